import type { ConcurrencyBenchReport } from '../bench/concurrency.js';

const COLORS = ['#1f77b4', '#2ca02c', '#d62728', '#ff7f0e', '#9467bd', '#8c564b'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG of the concurrency table: a group of bars per workload, a bar per design, its height the
 * committed statements per second on a log scale (a design that deadlocks can be hundreds of times
 * slower than one that does not), with the deadlocks and the sessions that gave up written above
 * each bar. Hand-written SVG, like the cost chart.
 */
export function concurrencyChart(r: ConcurrencyBenchReport): string {
  const workloads = [...new Set(r.cells.map((c) => c.workload))];
  const designs = r.designs;
  const paces = r.cells.map((c) => c.statementsPerSecond).filter((x) => x > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(1, ...paces)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(10, ...paces)));
  const ticks: number[] = [];
  for (let t = lo; t <= hi; t *= 10) ticks.push(t);
  const bar = 34;
  const groupW = designs.length * bar + 50;
  const ml = 70;
  const mt = 80;
  const ph = 300;
  const width = Math.max(ml + workloads.length * groupW + 30, 640);
  const height = mt + ph + 60 + 22 * designs.length;
  const Y = (v: number) =>
    mt + ph - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Committed statements per second under concurrency (log scale)</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" fill="#444">${esc(`PostgreSQL ${r.server.version}, deadlock_timeout ${r.server.deadlockTimeout}, ${r.sessions} sessions x ${r.steps} steps, seed ${r.seed}`)}</text>`,
    `<text x="${width / 2}" y="58" text-anchor="middle" fill="#444">above each bar: deadlocks / sessions that gave up</text>`,
  ];
  for (const t of ticks) {
    parts.push(`<line x1="${ml}" x2="${width - 20}" y1="${Y(t)}" y2="${Y(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${ml - 6}" y="${Y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const [wi, workload] of workloads.entries()) {
    const x0 = ml + 25 + wi * groupW;
    parts.push(
      `<text x="${x0 + (designs.length * bar) / 2}" y="${mt + ph + 18}" text-anchor="middle" font-weight="bold">${esc(workload)}</text>`,
    );
    for (const [di, design] of designs.entries()) {
      const c = r.cells.find((x) => x.workload === workload && x.design === design);
      if (!c) continue;
      const x = x0 + di * bar;
      const top = Y(Math.max(c.statementsPerSecond, lo));
      parts.push(
        `<rect x="${x + 2}" y="${top.toFixed(1)}" width="${bar - 4}" height="${(mt + ph - top).toFixed(1)}" fill="${COLORS[di % COLORS.length]}"><title>${esc(`${design}, ${workload}: ${c.statementsPerSecond} statements/s, ${c.deadlocks} deadlocks, ${c.sessionsGaveUp} gave up`)}</title></rect>`,
      );
      parts.push(
        `<text x="${x + bar / 2}" y="${(top - 4).toFixed(1)}" text-anchor="middle" font-size="10">${c.deadlocks}/${c.sessionsGaveUp}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${ml}" y="${mt}" width="${width - 20 - ml}" height="${ph}" fill="none" stroke="#999"/>`,
  );
  parts.push(
    `<text x="${ml - 50}" y="${mt + ph / 2}" text-anchor="middle" transform="rotate(-90 ${ml - 50} ${mt + ph / 2})" fill="#444">statements/s</text>`,
  );
  for (const [di, design] of designs.entries()) {
    const y = mt + ph + 44 + di * 22;
    parts.push(`<rect x="${ml}" y="${y - 10}" width="14" height="14" fill="${COLORS[di % COLORS.length]}"/>`);
    parts.push(`<text x="${ml + 20}" y="${y + 2}">${esc(design)}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
