import { spawn } from 'node:child_process';
import { afterAll, beforeAll, vi } from 'vitest';
import { buildProgram, runCli } from '../../src/cli/program.js';
import { loadDesign } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { planWorkload } from '../../src/model/model.js';
import { type Statement, type Step, TENANTS, type Workload } from '../../src/model/workload.js';
import type { CheckReport } from '../../src/verify/check.js';
import type { RunStrategy } from '../../src/verify/run-strategy.js';
import { Simulator } from '../../src/verify/simulator.js';
import type { Verdict } from '../../src/verify/verdict.js';

// What several test files share: the seed graph, the tenants by name, one simulator per design for
// a whole file, and the built CLI run as a user runs it.

/**
 * A check's options for one database: vitest's two workers already keep both cores busy, so a
 * second simulator in a check would only add the copy of its database (about 2 s of CPU each).
 * test/pglite/scale.test.ts proves the report is the same for any number of databases.
 */
export const ONE_DATABASE = { workers: 1 } as const;

/** The seed's domain graph. */
export const graph = seedGraph();

/** The three workload tenants, a, b and c. */
export const [A, B, C] = TENANTS as [string, string, string];

/** A step of one statement in its own message. */
export const stmt = (write: Statement): Step => ({ kind: 'statement', write });

/** The strategy every class but back-to-back uses: 1 ms between messages, versions judged exactly. */
export const PAUSED: RunStrategy = { kind: 'paused', pauseMs: 1 };

/**
 * One simulator per design, opened before the file's tests and closed after them (PGlite needs
 * closing, or node will not exit). Returns the lookup.
 */
export function useSimulators(designs: readonly string[]): (design: string) => Simulator {
  const sims = new Map<string, Simulator>();
  beforeAll(async () => {
    for (const d of designs) sims.set(d, await Simulator.create(loadDesign(d), graph));
  });
  afterAll(async () => {
    for (const s of sims.values()) await s.close();
  });
  return (design) => {
    const sim = sims.get(design);
    if (!sim) throw new Error(`no simulator for ${design}`);
    return sim;
  };
}

/** Runs a workload from an empty database on `sim`. */
export async function runWorkload(
  sim: Simulator,
  workload: Workload,
  strategy: RunStrategy = PAUSED,
): Promise<Verdict> {
  await sim.reset();
  return sim.runPlan(planWorkload(sim.graph, workload), strategy);
}

/**
 * Runs the built CLI without blocking the test, timing it; `signal` is sent once stderr matches
 * `when` (a signal test interrupts a run in the middle).
 */
export function cliAsync(
  args: string[],
  interrupt?: { when: RegExp; signal: NodeJS.Signals },
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli/main.js', ...args]);
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    if (interrupt && !sent && interrupt.when.test(stderr)) sent = child.kill(interrupt.signal);
  });
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started })),
  );
}

/**
 * The CLI run in this process (cli/program.ts, as main.ts runs it): what a process would print and
 * its exit code, without the 0.6 s of CPU a process spends loading modules. For checks of bad input
 * and help; the process boundary itself (signals, exit on its own) keeps its tests with cliAsync.
 */
export async function cliHere(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.exitCode;
  process.exitCode = undefined;
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  try {
    const code = await runCli(buildProgram(), ['node', 'turbo-sim', ...args], {});
    return { code: code ?? Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = before;
  }
}

/** A check report without its timings: a check spread over more databases must give exactly this. */
export const untimed = (r: CheckReport) =>
  JSON.parse(
    JSON.stringify(r, (k, v) =>
      k === 'elapsedMs' || k === 'firstFailureMs' ? undefined : v instanceof Map ? [...v] : v,
    ),
  );
