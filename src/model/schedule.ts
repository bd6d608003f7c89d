import type { DomainGraph } from './domain-graph.js';
import { InputError } from './input-error.js';
import { ReferenceModel } from './model.js';
import type { Step, Workload } from './workload.js';

/**
 * Interleavings of concurrent sessions, as the scheduler of `turbo-sim concurrency` runs them. Each
 * session's workload becomes a list of units: one per client message, and two per cached read (the
 * read up to its pause point between build and store, then the resume that lets it store). An
 * interleaving is an order: the session of every unit, in the order they are sent. When the session
 * an order names next is still waiting (on a lock, or paused), the scheduler runs the first entry
 * whose session is free instead, as PostgreSQL's isolation tester does with a blocked step.
 */

/** Units of a cached read step: the read up to its pause point, and the resume. */
export const READ_UNITS = 2;

/** A step that is one cached read on its own, which the scheduler can pause between build and store. */
export function isPausedRead(step: Step): boolean {
  return step.kind === 'statement' && step.write.kind === 'read';
}

/** A session of an order's sessions, each listing the units of its steps. */
export type UnitCounts = number[][];

// mulberry32: a small seeded generator, so an order depends on the seed alone.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const totals = (counts: UnitCounts) => counts.map((c) => c.reduce((n, x) => n + x, 0));

/** One order from `seed`: each next unit from a session drawn in proportion to the units it has left. */
export function randomOrder(counts: UnitCounts, seed: number): number[] {
  const left = totals(counts);
  const next = random(seed);
  const out: number[] = [];
  for (let n = left.reduce((a, b) => a + b, 0); n > 0; n--) {
    let pick = Math.floor(next() * n);
    let s = 0;
    while (pick >= (left[s] ?? 0)) pick -= left[s++] ?? 0;
    left[s] = (left[s] ?? 0) - 1;
    out.push(s);
  }
  return out;
}

/** How many orders {@link allOrders} would list: the multinomial of the sessions' unit totals. */
export function orderCount(counts: UnitCounts): number {
  let n = 0;
  let ways = 1;
  for (const t of totals(counts))
    for (let k = 1; k <= t; k++) {
      n += 1;
      ways = (ways * n) / k;
    }
  return Math.round(ways);
}

/** Every order of the sessions' units (all interleavings), at most `limit` of them or an InputError. */
export function allOrders(counts: UnitCounts, limit: number): number[][] {
  const n = orderCount(counts);
  if (n > limit)
    throw new InputError(
      `--exhaustive would run ${n} interleavings (more than ${limit}); use fewer --sessions or --steps`,
    );
  const out: number[][] = [];
  const left = totals(counts);
  const walk = (prefix: number[]) => {
    if (left.every((x) => x === 0)) out.push([...prefix]);
    left.forEach((x, s) => {
      if (x === 0) return;
      left[s] = x - 1;
      prefix.push(s);
      walk(prefix);
      prefix.pop();
      left[s] = x;
    });
  };
  walk([]);
  return out;
}

/**
 * What a replay needs besides the seed's workloads: the steps of each session kept (after shrinking;
 * null keeps all) and the order of units.
 */
export interface ReplayPath {
  keep: number[][] | null;
  order: number[];
}

/** `keep=0:1.3,1:0;order=0,1,1,0` (keep left out when every step is kept). */
export function formatPath(p: ReplayPath): string {
  const keep = p.keep ? `keep=${p.keep.map((k, s) => `${s}:${k.join('.')}`).join(',')};` : '';
  return `${keep}order=${p.order.join(',')}`;
}

/** Reads what {@link formatPath} wrote, for `sessions` sessions; an InputError names what is wrong. */
export function parsePath(text: string, sessions: number): ReplayPath {
  const bad = (why: string) => new InputError(`--path ${JSON.stringify(text)}: ${why}`);
  const parts = new Map(text.split(';').map((p) => p.split('=', 2) as [string, string]));
  const order = (parts.get('order') ?? '')
    .split(',')
    .filter((x) => x !== '')
    .map(Number);
  if (order.length === 0 || order.some((s) => !Number.isInteger(s) || s < 0 || s >= sessions))
    throw bad(`order must list session numbers below ${sessions}, comma-separated`);
  const keepText = parts.get('keep');
  if (keepText === undefined) return { keep: null, order };
  const keep: number[][] = Array.from({ length: sessions }, () => []);
  for (const entry of keepText.split(',')) {
    const [s, steps = ''] = entry.split(':');
    const list = keep[Number(s)];
    if (!list) throw bad(`keep names session ${s}, not one of 0..${sessions - 1}`);
    for (const x of steps.split('.').filter((y) => y !== '')) {
      if (!/^\d+$/.test(x)) throw bad(`keep lists step "${x}", not a step number`);
      list.push(Number(x));
    }
  }
  return { keep, order };
}

/** The workloads a path keeps of the seed's (every step when `keep` is null). */
export function keptWorkloads(workloads: Workload[], keep: number[][] | null): Workload[] {
  if (!keep) return workloads;
  return workloads.map((w, s) => (keep[s] ?? []).filter((i) => i < w.length).map((i) => w[i] as Step));
}

/**
 * The order with session `session`'s step `step` removed: its units (the entries of that session
 * from the step's first unit on) are dropped, so everything else stays in the same relative order.
 */
export function dropStep(order: number[], counts: UnitCounts, session: number, step: number): number[] {
  const units = counts[session] ?? [];
  const from = units.slice(0, step).reduce((n, x) => n + x, 0);
  const to = from + (units[step] ?? 0);
  let seen = -1;
  return order.filter((s) => {
    if (s !== session) return true;
    seen += 1;
    return seen < from || seen >= to;
  });
}

/** Each concurrent session's model works on its own id range, so sessions share tables and tenants but not rows. */
export function sessionScope(session: number): { from: number; to: number } {
  const span = 1_000_000;
  return { from: (session + 1) * span, to: (session + 2) * span };
}

/** The units of every step of every session, planned on a model of each session's own. */
export function unitCounts(graph: DomainGraph, workloads: Workload[]): UnitCounts {
  return workloads.map((w, s) => {
    const model = new ReferenceModel(graph, sessionScope(s));
    return w.map((step) => (isPausedRead(step) ? READ_UNITS : model.step(step).length));
  });
}
