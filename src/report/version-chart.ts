import type { MessageReport, ScenarioReport } from '../verify/scenario.js';
import { esc, shortTenant } from './html.js';

/** One (tenant, domain) version after each message: the model's, and each design's observed. */
export interface VersionSeries {
  tenant: string;
  domain: string;
  /** Index 0 is before the first message; index i is after message i. */
  expected: number[];
  observed: { design: string; values: number[] }[];
}

const messagesOf = (r: ScenarioReport) => r.steps.filter((s): s is MessageReport => s.kind === 'message');

/**
 * Every pair any message bumped or had to bump, followed through the scenario. A message reports only
 * the pairs it touched; the others keep their version, so each series carries its last value forward.
 */
export function versionSeries(reports: ScenarioReport[]): VersionSeries[] {
  const first = reports[0];
  if (!first) return [];
  const count = messagesOf(first).length;
  const keys = new Map<string, { tenant: string; domain: string }>();
  for (const r of reports)
    for (const m of messagesOf(r)) for (const v of m.versions) keys.set(`${v.tenant}/${v.domain}`, v);
  const follow = (r: ScenarioReport, key: string, pick: 'after' | 'expected') => {
    const values = [0];
    for (const m of messagesOf(r)) {
      const v = m.versions.find((x) => `${x.tenant}/${x.domain}` === key);
      values.push(v ? v[pick] : (values.at(-1) as number));
    }
    return values.slice(0, count + 1);
  };
  return [...keys]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, pair]) => ({
      ...pair,
      expected: follow(first, key, 'expected'),
      observed: reports.map((r) => ({ design: r.design, values: follow(r, key, 'after') })),
    }));
}

/** Line colours and dash patterns per design, distinct in colour and in black-and-white print. */
const STYLES = [
  { color: '#0969da', dash: '' },
  { color: '#bc4c00', dash: '6 3' },
  { color: '#8250df', dash: '2 2' },
  { color: '#1a7f37', dash: '8 2 2 2' },
];
const styleOf = (i: number) => STYLES[i % STYLES.length] as (typeof STYLES)[number];

const W = 270;
const H = 120;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

/** A small SVG line chart of one pair: the expected version dashed black, each design's observed in colour. */
export function versionChart(s: VersionSeries): string {
  const n = s.expected.length - 1;
  const top = Math.max(1, ...s.expected, ...s.observed.flatMap((o) => o.values));
  const x = (i: number) => PAD.left + (n === 0 ? 0 : (i / n) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const points = (vs: number[]) => vs.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const ticks = n <= 12 ? [...Array(n + 1).keys()] : [0, n];
  const parts = [
    `<line x1="${PAD.left}" y1="${y(0)}" x2="${W - PAD.right}" y2="${y(0)}" stroke="#8c959f"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${y(0)}" stroke="#8c959f"/>`,
    `<text x="${PAD.left - 4}" y="${y(top) + 4}" text-anchor="end">${top}</text>`,
    `<text x="${PAD.left - 4}" y="${y(0) + 4}" text-anchor="end">0</text>`,
    ...ticks.map(
      (i) => `<text x="${x(i)}" y="${H - 6}" text-anchor="middle">${i === 0 ? 'start' : i}</text>`,
    ),
    `<polyline class="expected" points="${points(s.expected)}" fill="none" stroke="#1f2328" stroke-width="4" stroke-opacity="0.25"/>`,
    ...s.observed.map((o, i) => {
      const st = styleOf(i);
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : '';
      const wrong = o.values
        .map((v, j) =>
          v === s.expected[j] ? '' : `<circle cx="${x(j)}" cy="${y(v)}" r="3.5" fill="#cf222e"/>`,
        )
        .join('');
      return `<polyline class="observed" data-design="${esc(o.design)}" points="${points(o.values)}" fill="none" stroke="${st.color}" stroke-width="2"${dash}/>${wrong}`;
    }),
  ];
  const label = `${shortTenant(s.tenant)}/${s.domain}`;
  const summary = s.observed.map((o) => `${o.design} ${o.values.at(-1)}`).join(', ');
  return `<figure data-pair="${esc(label)}"><figcaption>${esc(label)} <span class="muted">expected ${s.expected.at(-1)}; ${esc(summary)}</span></figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(`version of ${label} after each message`)}" font-size="10" font-family="sans-serif">${parts.join('')}</svg></figure>`;
}

/** The legend shared by a report's charts. */
export function chartLegend(designs: string[]): string {
  const line = (color: string, dash: string, width: number, opacity = 1) =>
    `<svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
  const items = [
    `<span>${line('#1f2328', '', 4, 0.25)} expected (the model)</span>`,
    ...designs.map((d, i) => `<span>${line(styleOf(i).color, styleOf(i).dash, 2)} ${esc(d)} observed</span>`),
    '<span><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="4" fill="#cf222e"/></svg> observed differs from expected</span>',
  ];
  return `<p class="legend">${items.join('')}</p>`;
}
