import type { BenchReport } from '../bench/cost.js';

const COLORS = ['#555555', '#d62728', '#ff7f0e', '#bcbd22', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Powers of ten covering [lo, hi]. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/**
 * An SVG of cost ratio (to the baseline design) against batch size, both on log scales: one panel
 * per statement kind, one line per design, solid for one tenant per statement and dashed for more;
 * a second row of panels for the small-statement sequences when the report has them.
 * Hand-written SVG, so the chart needs no dependency and diffs as text.
 */
export function benchChart(r: BenchReport): string {
  const ops = [...new Set(r.cells.map((c) => c.op))];
  const designs = [...new Set(r.cells.map((c) => c.design))];
  const tenantCounts = [...new Set(r.cells.map((c) => c.tenants))].sort((a, b) => a - b);
  const sizes = [...new Set(r.cells.map((c) => c.size))].sort((a, b) => a - b);
  const workloads = [...new Set(r.cells.map((c) => c.workload))].sort();
  const ratios = r.cells.map((c) => c.ratio).filter((x) => x > 0 && Number.isFinite(x));
  const xTicks = decades(Math.min(...sizes), Math.max(...sizes));
  const yTicks = decades(Math.min(0.5, ...ratios), Math.max(2, ...ratios));
  const pw = 300;
  const ph = 260;
  const ml = 60;
  const mt = 60;
  const gap = 70;
  const legendH = 24 + 18 * Math.ceil(designs.length / 3) + 18;
  const width = Math.max(ml + ops.length * (pw + gap), ml + 3 * 260);
  const rowH = ph + 70;
  const height = mt + workloads.length * rowH - 20 + legendH;
  const lx = (v: number) =>
    (Math.log10(v) - Math.log10(xTicks[0] ?? 1)) /
    (Math.log10(xTicks.at(-1) ?? 10) - Math.log10(xTicks[0] ?? 1));
  const ly = (v: number) =>
    (Math.log10(v) - Math.log10(yTicks[0] ?? 0.1)) /
    (Math.log10(yTicks.at(-1) ?? 10) - Math.log10(yTicks[0] ?? 0.1));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Cost of one statement, as a multiple of "${esc(r.baseline)}" (log scales)</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" fill="#444">${esc(`${r.backend}, tv_${r.domain}, median of ${r.reps} runs; ${tenantCounts.length > 1 ? `solid: ${tenantCounts[0]} tenant(s) per statement, dashed: ${tenantCounts.slice(1).join(', ')}` : `${tenantCounts[0]} tenant(s) per statement`}`)}</text>`,
  ];
  for (const [ri, workload] of workloads.entries()) {
    for (const [pi, op] of ops.entries()) {
      const x0 = ml + pi * (pw + gap);
      const y0 = mt + ri * rowH;
      const X = (v: number) => x0 + lx(v) * pw;
      const Y = (v: number) => y0 + ph - ly(v) * ph;
      const what =
        workload === 'batch'
          ? `1 statement, tv_${r.domain}`
          : `${r.statements.rows} rows, tv_${r.statements.domain}`;
      parts.push(
        `<g><text x="${x0 + pw / 2}" y="${y0 - 6}" text-anchor="middle" font-weight="bold">${esc(`${op.toUpperCase()}: ${what}`)}</text>`,
      );
      parts.push(`<rect x="${x0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
      for (const t of yTicks) {
        parts.push(
          `<line x1="${x0}" x2="${x0 + pw}" y1="${Y(t)}" y2="${Y(t)}" stroke="${t === 1 ? '#888' : '#e5e5e5'}"/>`,
        );
        parts.push(`<text x="${x0 - 4}" y="${Y(t) + 4}" text-anchor="end">${t}x</text>`);
      }
      for (const t of xTicks) {
        parts.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${y0}" y2="${y0 + ph}" stroke="#e5e5e5"/>`);
        parts.push(`<text x="${X(t)}" y="${y0 + ph + 16}" text-anchor="middle">${t}</text>`);
      }
      parts.push(
        `<text x="${x0 + pw / 2}" y="${y0 + ph + 34}" text-anchor="middle" fill="#444">rows per statement</text>`,
      );
      for (const [di, design] of designs.entries()) {
        for (const [ti, tenants] of tenantCounts.entries()) {
          const pts = r.cells
            .filter(
              (c) =>
                c.workload === workload &&
                c.op === op &&
                c.design === design &&
                c.tenants === tenants &&
                c.ratio > 0,
            )
            .sort((a, b) => a.size - b.size)
            .map((c) => `${X(c.size).toFixed(1)},${Y(c.ratio).toFixed(1)}`);
          const color = COLORS[di % COLORS.length];
          parts.push(
            `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${ti > 0 ? ' stroke-dasharray="6 4"' : ''}/>`,
          );
          for (const p of pts) {
            const [px, py] = p.split(',');
            parts.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
          }
        }
      }
      parts.push('</g>');
    }
  }
  parts.push(
    `<text x="${ml - 45}" y="${mt + ph / 2}" text-anchor="middle" transform="rotate(-90 ${ml - 45} ${mt + ph / 2})" fill="#444">time / time of "${esc(r.baseline)}"</text>`,
  );
  const ly0 = mt + (workloads.length - 1) * rowH + ph + 60;
  for (const [di, design] of designs.entries()) {
    const x = ml + (di % 3) * 260;
    const y = ly0 + Math.floor(di / 3) * 18;
    parts.push(
      `<line x1="${x}" x2="${x + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${COLORS[di % COLORS.length]}" stroke-width="3"/>`,
    );
    parts.push(`<text x="${x + 30}" y="${y}">${esc(design)}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
