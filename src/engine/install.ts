import type { DomainGraph } from '../spec/domain-graph.js';
import { InputError } from '../spec/input-error.js';
import { type Database, sqlError } from './database.js';
import type { Design } from './designs.js';
import { harnessFiles } from './harness.js';
import { baseFiles, type SqlFile } from './sql-files.js';
import { splitSql, statementHead } from './sql-split.js';

/** Runs SQL files one statement at a time so a failure names file, line and statement. */
export async function runSqlFiles(db: Database, files: SqlFile[]): Promise<void> {
  for (const f of files) {
    for (const st of splitSql(f.sql)) {
      try {
        await db.exec(st.sql);
      } catch (e) {
        throw new InputError(
          `${f.path}:${st.line}: ${sqlError(e).message} (in statement: ${statementHead(st.sql)})`,
        );
      }
    }
  }
}

/**
 * Installs the base layer with `graph`'s tables, the design, and the harness's checked read on an
 * empty database, then seeds random(): a design may call it (the seed cleans its tracker with
 * probability 1%), and seeded, the same workload calls the same functions every time.
 */
export async function installDesign(db: Database, graph: DomainGraph, design: Design): Promise<void> {
  await runSqlFiles(db, baseFiles(graph));
  await runSqlFiles(db, design.files);
  await runSqlFiles(db, harnessFiles());
  await db.exec('SELECT setseed(0.5)');
}
