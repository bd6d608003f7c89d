import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../../src/engine/design/designs.js';
import { fullSql } from '../../src/engine/design/sql-files.js';
import type { DomainGraph } from '../../src/model/domain-graph.js';
import { counterexampleScript } from '../../src/report/counterexample.js';
import type { Counterexample } from '../../src/verify/counterexample.js';
import type { PgServer } from './pg-server.js';

/** What psql saw when it ran a counterexample script: the versions it printed last, and its errors. */
export interface PsqlReplay {
  versions: Map<string, number>;
  stderr: string;
}

let databases = 0;

/**
 * Does what a counterexample script tells a user to do, with psql on a fresh database of `server`:
 * apply `turbo-sim sql` for the design, then the script with `psql -f`. The versions are the rows the
 * script's own last SELECT printed, inside the script's session (a counterexample may end inside an
 * open transaction, which only that session sees).
 */
export function replayWithPsql(
  server: PgServer,
  design: Design,
  graph: DomainGraph,
  cx: Counterexample,
  /** A user's schema files (--schema), applied with `psql -f` first, as the script's header says. */
  schemaFiles: string[] = [],
): PsqlReplay {
  const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-replay-'));
  const db = `turbo_replay_${process.pid}_${databases++}`;
  const psql = (args: string[], input?: string) =>
    spawnSync(join(server.bin, 'psql'), ['-X', '-d', server.url.replace(/\/postgres$/, `/${db}`), ...args], {
      encoding: 'utf8',
      ...(input === undefined ? {} : { input }),
    });
  try {
    execFileSync(join(server.bin, 'psql'), ['-X', '-q', '-d', server.url, '-c', `CREATE DATABASE ${db}`]);
    // A dump's OWNER TO and GRANT lines name roles this server lacks: psql reports them and goes on.
    for (const f of schemaFiles) psql(['-q', '-f', f]);
    const applied = psql(['-q', '-v', 'ON_ERROR_STOP=1'], fullSql(graph, design));
    if (applied.status !== 0) throw new Error(`applying ${design.name} failed: ${applied.stderr}`);
    const file = join(dir, 'counterexample.sql');
    writeFileSync(file, counterexampleScript(cx));
    const run = psql(['-q', '-A', '-t', '-F', '|', '-f', file]);
    const versions = new Map<string, number>();
    for (const line of run.stdout.split('\n')) {
      const m = /^([0-9a-f-]{36})\|([a-z_]+)\|(\d+)$/.exec(line.trim());
      if (m) versions.set(`${m[1]}/${m[2]}`, Number(m[3]));
    }
    return { versions, stderr: run.stderr };
  } finally {
    execFileSync(join(server.bin, 'psql'), [
      '-X',
      '-q',
      '-d',
      server.url,
      '-c',
      `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`,
    ]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether psql saw what the report says the design did: each violated version, or the harness's finding. */
export function reproduces(cx: Counterexample, replay: PsqlReplay): boolean {
  return cx.violations.every((v) => {
    if (v.kind === 'STALE' || v.kind === 'LEAK') return replay.stderr.includes(`turbo-sim ${v.kind}`);
    if (v.kind === 'ERROR') return replay.stderr.includes('ERROR');
    return (replay.versions.get(`${v.tenant}/${v.domain}`) ?? 0) === v.observed;
  });
}
