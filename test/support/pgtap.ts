import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Design } from '../../src/engine/design/designs.js';
import { fullSql } from '../../src/engine/design/sql-files.js';
import { BUMP_PROPERTIES } from '../../src/model/properties.js';
import { type PgtapFiles, pgtapFiles } from '../../src/report/pgtap-files.js';
import { regressionSuite } from '../../src/verify/regression-suite.js';
import { graph } from './fixtures.js';
import type { PgServer } from './pg-server.js';

// Running the files of `check --pgtap` as a team's CI does: pg_prove against a database with the
// design applied and pgTAP created, on a throwaway server (pg-server.ts).

/** Why the pgTAP tests cannot run on `s`, or null: they need pg_prove and the extension for its version. */
export function pgtapMissing(s: PgServer): string | null {
  if (spawnSync('pg_prove', ['--version']).status !== 0) return 'no pg_prove';
  const version = basename(join(s.bin, '..'));
  if (!existsSync(`/usr/share/postgresql/${version}/extension/pgtap.control`))
    return `no pgTAP for PostgreSQL ${version}`;
  return null;
}

let databases = 0;

/** A fresh database with `design` applied (as `turbo-sim sql | psql` does) and pgTAP created; its URL. */
export function databaseWith(s: PgServer, design: Design): string {
  const name = `turbo_pgtap_${process.pid}_${databases++}`;
  const url = s.url.replace(/\/postgres$/, `/${name}`);
  execFileSync(join(s.bin, 'psql'), ['-X', '-q', '-d', s.url, '-c', `CREATE DATABASE ${name}`]);
  execFileSync(join(s.bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], {
    input: `${fullSql(graph, design)}\nCREATE EXTENSION pgtap;`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  return url;
}

/** pg_prove on `files`: its exit code, which files failed (from its summary), and its output. */
export function prove(url: string, files: string[]): { code: number | null; failed: string[]; out: string } {
  const r = spawnSync('pg_prove', ['--dbname', url, ...files], { encoding: 'utf8' });
  const summary = r.stdout.split('Test Summary Report')[1] ?? '';
  return { code: r.status, failed: files.filter((f) => summary.includes(f)), out: r.stdout + r.stderr };
}

/**
 * Whether pg_prove finds a failing file among `files`, a few at a time, stopping at the first. Four:
 * a pg_prove costs 0.07 s of CPU to start and a file 0.1 s, so larger chunks run more files past
 * the first failing one (new-tenant-only on robust's suite: 0.8 s in chunks of 8, 0.45 s of 4).
 */
export function anyFails(url: string, files: string[], chunk = 4): boolean {
  for (let i = 0; i < files.length; i += chunk)
    if (prove(url, files.slice(i, i + chunk)).failed.length) return true;
  return false;
}

/** Rows of tv_ tables, versions and the harness's schema left in the database: '' is the promise. */
export function leftBehind(s: PgServer, url: string): string {
  const count = (t: string) =>
    `(xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', ${t}), false, true, '')))[1]::text`;
  const sql = `SELECT concat_ws(' ',
      (SELECT string_agg(table_name || ':' || ${count('table_name')}, ' ') FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name LIKE 'tv\\_%' AND ${count('table_name')} <> '0'),
      (SELECT 'versions:' || count(*) FROM turbo.tb_domain_version HAVING count(*) > 0),
      (SELECT 'schema turbo_sim' FROM pg_namespace WHERE nspname = 'turbo_sim'))`;
  return execFileSync(join(s.bin, 'psql'), ['-X', '-A', '-t', '-d', url, '-c', sql], {
    encoding: 'utf8',
  }).trim();
}

/**
 * robust's regression suite as `check --design robust --runs 30 --pgtap` writes it once robust
 * holds (the property suites check that it does), written into `dir`: the files' paths and notes.
 */
export function robustSuite(dir: string): { files: string[]; written: PgtapFiles } {
  const report = { ok: true, design: 'robust', seed: 42, runs: 30 };
  const properties = BUMP_PROPERTIES.map((p) => ({ name: p.name, counterexample: null }));
  const written = pgtapFiles(
    { ...report, properties },
    graph,
    regressionSuite({ ...report, properties }, graph),
  );
  mkdirSync(dir, { recursive: true });
  const files = written.files.map((f) => {
    writeFileSync(join(dir, f.name), f.sql);
    return join(dir, f.name);
  });
  return { files, written };
}
