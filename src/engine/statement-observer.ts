import { join } from 'node:path';
import type { DomainGraph } from '../model/domain-graph.js';
import { ReferenceModel } from '../model/model.js';
import { pairKey, type Versions } from '../model/versions.js';
import type { Database } from './database.js';
import { runSqlFiles } from './design/install.js';
import { packageRoot } from './design/package-root.js';
import { type SqlFile, sqlFilesOf } from './design/sql-files.js';

/**
 * The playground's statement observer (sql/playground): which statements ran and which (tenant,
 * domain) each touched, read back from the database, for SQL a learner typed, which has no workload
 * the reference model could plan.
 */

/** The observer's SQL, installed after the design and the harness. */
export function observerFiles(): SqlFile[] {
  return sqlFilesOf(join(packageRoot(), 'sql', 'playground'));
}

/** Installs the observer on a database with a design installed (`files`: as served to a page, else the package's). */
export async function installObserver(db: Database, files: SqlFile[] = observerFiles()): Promise<void> {
  await runSqlFiles(db, files);
}

/** Forgets every statement observed so far (with the versions, at a reset). */
export async function forgetObserved(db: Database): Promise<void> {
  await db.exec('TRUNCATE turbo_sim.touched');
}

/**
 * The versions the statements observed so far must have left: each statement bumps every pair it
 * touched, closed over the graph's cascade, once (`statements`: how many touched a row). Only the rows the session can see count, so a
 * rolled-back statement counts for nothing. Null when they cannot be read (an aborted transaction).
 */
export async function observedExpectation(
  db: Database,
  graph: DomainGraph,
): Promise<{ versions: Versions; statements: number } | null> {
  let rows: { statement: string; tenant: string; domain: string }[];
  try {
    rows = await db.query(
      'SELECT statement::text, tenant_id::text AS tenant, domain FROM turbo_sim.touched ORDER BY 1',
    );
  } catch {
    return null;
  }
  const byStatement = new Map<string, string[]>();
  for (const r of rows)
    byStatement.set(r.statement, [...(byStatement.get(r.statement) ?? []), pairKey(r.tenant, r.domain)]);
  const model = new ReferenceModel(graph);
  const versions: Versions = new Map();
  for (const touched of byStatement.values())
    for (const k of model.bumpsFor(touched)) versions.set(k, (versions.get(k) ?? 0) + 1);
  return { versions, statements: byStatement.size };
}
