import { appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

// A setup file for vitest.cpu.config.ts: the CPU each test file took in its worker process, threads
// (PGlite's workers) and waited-for child processes (the CLI) included, one line per file appended
// to $TURBO_SIM_CPU_LOG. Wall time says little on a shared machine; CPU says where the time goes.

const log = process.env.TURBO_SIM_CPU_LOG ?? join(tmpdir(), 'turbo-sim-cpu-per-file.tsv');

/** Seconds of CPU from /proc/self/stat: this process (user, sys) and its reaped children. */
function cpu(): { user: number; sys: number; children: number } {
  const fields = (readFileSync('/proc/self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
  const ticks = (i: number) => Number(fields[i] ?? 0) / 100;
  return { user: ticks(11), sys: ticks(12), children: ticks(13) + ticks(14) };
}

let start = cpu();
beforeAll(() => {
  start = cpu();
});
afterAll(() => {
  const end = cpu();
  const file = relative(process.cwd(), expect.getState().testPath ?? '?');
  const s = (x: number) => x.toFixed(1);
  appendFileSync(
    log,
    `${file}\tuser ${s(end.user - start.user)}\tsys ${s(end.sys - start.sys)}\tchildren ${s(end.children - start.children)}\n`,
  );
});
