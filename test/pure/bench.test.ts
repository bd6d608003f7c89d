import { describe, expect, it } from 'vitest';
import type { ConcurrencyBenchCell, ConcurrencyBenchReport } from '../../src/bench/concurrency.js';
import { type BenchCell, type BenchReport, median } from '../../src/bench/cost.js';
import type { VerifierReport } from '../../src/bench/verifier.js';
import { formatBench, formatConcurrencyBench, formatVerifier } from '../../src/report/bench.js';
import { benchChart } from '../../src/report/chart.js';
import { concurrencyChart } from '../../src/report/concurrency-chart.js';

const report: BenchReport = {
  backend: 'pglite',
  baseline: 'none',
  reps: 3,
  domain: 'price',
  statements: { domain: 'contract', sizes: [1, 10], rows: 500 },
  cells: ['none', 'seed'].flatMap((design, d): BenchCell[] => {
    const cell = (workload: BenchCell['workload'], size: number, ratio: number): BenchCell => ({
      workload,
      messages: workload === 'batch' ? 1 : 500 / size,
      design,
      op: 'insert',
      size,
      tenants: 1,
      samplesMs: [1, 2, 3],
      medianMs: 2,
      ratio: d === 0 ? 1 : ratio,
    });
    return [
      ...[1, 100, 10000].map((size) => cell('batch', size, Math.log10(size) + 1.5)),
      ...[1, 10].map((size) => cell('statements', size, 4 - size / 10)),
    ];
  }),
  loopVsBatch: [{ design: 'seed', rows: 1000, loopMs: 30, batchMs: 10 }],
  elapsedMs: 1000,
};

describe('bench output', () => {
  it('takes the median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('draws one line per design and tenant count, with every decade labelled', () => {
    const svg = benchChart(report);
    // Two designs in two rows of panels: single statements, then the small-statement sequences.
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('INSERT: 500 rows, tv_contract');
    for (const label of ['>1<', '>10<', '>100<', '>1000<', '>10000<', '>1x<', '>10x<'])
      expect(svg).toContain(label);
    expect(svg).toContain('>seed</text>');
    // Higher ratios sit higher on the chart: the seed's 10,000-row point is above its 1-row point.
    const seedLine = svg.match(/<polyline points="([^"]+)"/g)?.[1] ?? '';
    const ys = [...seedLine.matchAll(/,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys[0]).toBeGreaterThan(ys.at(-1) ?? Number.POSITIVE_INFINITY);
  });

  it('prints ratios and the loop-vs-batch comparison', () => {
    const text = formatBench(report);
    expect(text).toContain('5.50x');
    // The sequence table: seed's single-row statements at 3.90x, 10-row ones at 3.00x, in one row.
    const seq = text.slice(text.indexOf('500 rows on tv_contract'));
    expect(seq).toMatch(/seed\s+3\.90x \(2\.0\)\s+3\.00x \(2\.0\)/);
    expect(text).toMatch(/seed\s+loop\s+30\.0\s+batch\s+10\.0\s+loop\/batch 3\.0x/);
  });
});

// Two workloads, three designs: the hot-row design deadlocks on random and is far slower there.
const concurrency: ConcurrencyBenchReport = {
  server: { version: '15.18', deadlockTimeout: '100ms' },
  sessions: 8,
  steps: 100,
  seed: 1,
  designs: ['robust', 'deferred', 'robust-hot-row'],
  cells: (['random', 'statements'] as const).flatMap((workload) =>
    (['robust', 'deferred', 'robust-hot-row'] as const).map(
      (design): ConcurrencyBenchCell => ({
        design,
        workload,
        committedStatements: 1500,
        statementsPerSecond:
          design === 'robust' ? 2000 : design === 'deferred' ? 1600 : workload === 'random' ? 3 : 1900,
        deadlocks: design === 'robust-hot-row' && workload === 'random' ? 642 : 0,
        sessionsGaveUp: design === 'robust-hot-row' && workload === 'random' ? 1 : 0,
        ok: true,
        elapsedMs: 1000,
      }),
    ),
  ),
  elapsedMs: 5000,
};

describe('bench concurrency output', () => {
  it('prints a row per workload and design, with the first design as a multiple of the second', () => {
    const text = formatConcurrencyBench(concurrency);
    expect(text).toContain('PostgreSQL 15.18 (deadlock_timeout 100ms): 8 sessions x 100 steps');
    expect(text).toMatch(/random\s+robust\s+2,000\s+1,500\s+0\s+0\s+held\s+1\.25x/);
    expect(text).toMatch(/\n\s+robust-hot-row\s+3\s+1,500\s+642\s+1\s+held/);
    expect(text.match(/robust\/deferred|1\.25x/g)).toHaveLength(3); // header, and once per workload
  });

  it('draws a bar per design and workload, taller for more statements/s, deadlocks written above', () => {
    const svg = concurrencyChart(concurrency);
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="30" height="([\d.]+)"/g)];
    expect(bars).toHaveLength(6);
    // robust's random bar (2,000/s) is taller than robust-hot-row's (3/s), on a log scale down to 1.
    const heights = bars.map((b) => Number(b[2]));
    expect(heights[0]).toBeGreaterThan((heights[2] ?? 0) * 2);
    expect(svg).toContain('>642/1</text>');
    for (const label of ['>1<', '>10<', '>100<', '>1000<', '>10000<', '>random<', '>robust-hot-row<'])
      expect(svg).toContain(label);
  });
});

describe('bench --verifier output', () => {
  it("prints each check's engine share of the wall time and its CPU next to its statements/s", () => {
    const check = (workers: number, engineShare: number) => ({
      workers,
      runs: 2100,
      statements: 11090,
      elapsedMs: 25500,
      firstRunMs: 800,
      runsPerSecond: 82,
      statementsPerSecond: 435,
      engineShare,
      cpuMs: 22180,
      cores: 2,
      breakdown: {
        startup: 800,
        generation: 100,
        plan: 500,
        resets: 3000,
        pauses: 1200,
        database: 14500,
        versions: 4700,
        shrinking: 0,
      },
    });
    const v: VerifierReport = {
      backend: 'pglite',
      startupMs: 900,
      nextStartupMs: 400,
      resetMs: 0.7,
      checks: [check(1, 0.569), check(2, 0.516)],
      cacheHitMs: 0.4,
      cacheMissMs: 1.2,
      seedCounterexamples: [],
    };
    const text = formatVerifier(v);
    expect(text).toContain(
      "engine's share of the wall time: 57% (the checked messages inside the database; the rest is the harness)",
    );
    expect(text).toContain(
      "engine's share of the wall time: 52% (the checked messages inside the database, over 2 x the wall time;",
    );
    // 22.18 s of CPU for 11,090 statements: 2 ms each, so two cores pass at most 1,000 a second.
    expect(text).toContain(
      'CPU: 22.2 s of this process, databases included, 2000 us per checked statement: at most 1000 statements/s on 2 core(s)',
    );
  });
});
