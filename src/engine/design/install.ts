import type { DomainGraph, UserSchema } from '../../model/domain-graph.js';
import { InputError } from '../../model/input-error.js';
import { type Database, DatabaseFailure, sqlError } from '../database.js';
import { harnessFiles } from '../harness.js';
import type { Design } from './designs.js';
import { baseFiles, type SqlFile } from './sql-files.js';
import { lineAt, type SqlStatement, splitSql, statementHead } from './sql-split.js';

// Statements are sent in batches (one message each): 40,000 one-line statements one message at a
// time would be 40,000 round trips. A batch that fails was one implicit transaction and left nothing
// behind, so it is sent again one statement at a time to find the statement that failed.
const BATCH = 500;

/**
 * What every run's session starts with, at install and at every reset: random() (the seed design's
 * occasional clean-up) gives the same numbers to a run whichever database, installed or copied,
 * runs it, as the same report for any number of workers needs.
 */
export const SESSION_START = 'SELECT setseed(0.5)';

function describeFailure(f: SqlFile, st: SqlStatement, e: unknown): InputError {
  const err = sqlError(e);
  // PostgreSQL's cursor position (1-based, in characters of what was sent) names the line of the error
  // itself, inside a function body too; without one, the statement's first line.
  const line = err.position === undefined ? st.line : lineAt(f.sql, st.offset + err.position - 1);
  return new InputError(`${f.path}:${line}: ${err.message} (in statement: ${statementHead(st.sql)})`);
}

async function runOneByOne(db: Database, f: SqlFile, sts: SqlStatement[]): Promise<void> {
  for (const st of sts) {
    try {
      await db.exec(st.sql);
    } catch (e) {
      throw describeFailure(f, st, e);
    }
  }
}

/** Runs SQL files in order, so a failure names file, line and statement. */
export async function runSqlFiles(db: Database, files: SqlFile[]): Promise<void> {
  for (const f of files) {
    const sts = await splitSql(f.sql, f.path);
    // A file that controls its own transactions is sent as written, one statement at a time.
    const batchable = !sts.some((st) => st.alone);
    for (let i = 0; i < sts.length; ) {
      const batch = batchable ? sts.slice(i, i + BATCH) : sts.slice(i, i + 1);
      i += batch.length;
      if (batch.length === 1) {
        await runOneByOne(db, f, batch);
        continue;
      }
      try {
        await db.exec(batch.map((st) => st.sql).join(';\n'));
      } catch (e) {
        // A timeout or a lost connection leaves no database to try again on: name the batch.
        if (e instanceof DatabaseFailure)
          throw new DatabaseFailure(`${f.path}:${batch[0]?.line}-${batch.at(-1)?.line}: ${e.message}`);
        await db.exec('ROLLBACK').catch(() => {});
        await runOneByOne(db, f, batch);
      }
    }
  }
}

/**
 * Which read path cached reads go through: the base layer's (`base`) or one the design installed
 * by replacing `turbo.fn_domains_version` (`design`). A stale read means different things in each.
 */
export type ReadPath = 'base' | 'design';

async function readPathFingerprint(db: Database): Promise<string | null> {
  const [row] = await db.query<{ h: string | null }>(
    "SELECT md5(pg_get_functiondef(to_regprocedure('turbo.fn_domains_version(uuid, text[])'))) AS h",
  );
  return row?.h ?? null;
}

/** The graph's reads whose builder function the database does not have: an input error, not a design failure. */
async function checkBuilders(db: Database, graph: DomainGraph): Promise<void> {
  for (const read of graph.reads ?? []) {
    const [row] = await db.query<{ ok: boolean }>(
      "SELECT to_regprocedure($1 || '(jsonb)') IS NOT NULL AS ok",
      [read.builder],
    );
    if (!row?.ok)
      throw new InputError(
        `${graph.origin ?? 'domain graph'}: read ${read.name} names builder ${read.builder}(jsonb), which ${graph.builders ?? 'no builders file'} does not define`,
      );
  }
}

/**
 * The SQL installed around a design, when it does not come from the package's own `sql/` folder:
 * the playground's page has no file system and brings the files it was served.
 */
export interface InstallLayers {
  /** The base layer with the graph's tables ({@link baseFiles}). */
  base: SqlFile[];
  /** The harness installed after the design ({@link harnessFiles}). */
  harness: SqlFile[];
}

/** The base layer and harness of `graph` from the package's own files. */
export function installLayers(graph: DomainGraph): InstallLayers {
  return { base: baseFiles(graph), harness: harnessFiles(graph) };
}

/**
 * Installs the base layer with `graph`'s tables, the design, and the harness's checked read on an
 * empty database, then seeds random(): a design may call it (the seed cleans its tracker with
 * probability 1%), and seeded, the same workload calls the same functions every time.
 */
export async function installDesign(
  db: Database,
  graph: DomainGraph,
  design: Design,
  layers?: InstallLayers,
): Promise<{ readPath: ReadPath }> {
  if (graph.schema) await loadSchema(db, graph.schema);
  if (graph.schema?.base !== false) await runSqlFiles(db, layers?.base ?? baseFiles(graph));
  await checkBuilders(db, graph);
  const base = await readPathFingerprint(db);
  await runSqlFiles(db, design.files);
  const readPath = (await readPathFingerprint(db)) === base ? 'base' : 'design';
  await runSqlFiles(db, layers?.harness ?? harnessFiles(graph));
  await db.exec(SESSION_START);
  return { readPath };
}

/**
 * Loads a prepared schema, then the rows its base tables must hold, and resets the session (a dump
 * empties search_path). An extension this database lacks is named, with where to check instead.
 */
export async function loadSchema(db: Database, schema: UserSchema): Promise<void> {
  try {
    await runSqlFiles(db, schema.files);
  } catch (e) {
    const m =
      /extension "([^"]+)" is not available|could not open extension control file "[^"]*\/([^"/]+)\.control"/.exec(
        e instanceof Error ? e.message : '',
      );
    if (m)
      throw new InputError(
        `the schema needs extension ${m[1] ?? m[2]}, which this ${db.backend === 'pglite' ? 'PGlite' : 'server'} does not have: check it on a PostgreSQL server that has it with --database-url`,
      );
    throw e;
  }
  await db.exec('RESET ALL');
  for (const sql of schema.setup) {
    try {
      await db.exec(sql);
    } catch (e) {
      throw new InputError(
        `could not write the rows the tv_ tables reference: ${sqlError(e).message} (in: ${sql.slice(0, 120)})`,
      );
    }
  }
}
