import type { MessageReport, ScenarioReport } from '../verify/scenario.js';
import { esc, shortTenant } from './html.js';
import { type StepLine, stepChart } from './step-chart.js';

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
export const styleOf = (i: number) => STYLES[i % STYLES.length] as (typeof STYLES)[number];

/** A small SVG step chart of one pair: the expected version wide and pale, each design's observed in colour. */
export function versionChart(s: VersionSeries): string {
  const lines: StepLine[] = [
    {
      values: s.expected,
      attrs: 'class="expected" stroke="#1f2328" stroke-width="4" stroke-opacity="0.25"',
    },
    ...s.observed.map((o, i) => {
      const st = styleOf(i);
      const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : '';
      return {
        values: o.values,
        attrs: `class="observed" data-design="${esc(o.design)}" stroke="${st.color}" stroke-width="2"${dash}`,
        marked: (j: number) => o.values[j] !== s.expected[j],
      };
    }),
  ];
  const label = `${shortTenant(s.tenant)}/${s.domain}`;
  const summary = s.observed.map((o) => `${o.design} ${o.values.at(-1)}`).join(', ');
  const chart = stepChart(
    lines,
    (i) => (i === 0 ? 'start' : String(i)),
    `version of ${label} after each message`,
  );
  return `<figure data-pair="${esc(label)}"><figcaption>${esc(label)} <span class="muted">expected ${s.expected.at(-1)}; ${esc(summary)}</span></figcaption>${chart}</figure>`;
}

/**
 * The legend shared by a report's charts: of the version charts (expected and observed, a red dot
 * where they differ), or of the read path's charts (`versions` false: a red dot on a STALE read).
 */
export function chartLegend(designs: string[], versions = true): string {
  const line = (color: string, dash: string, width: number, opacity = 1) =>
    `<svg width="28" height="10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="${color}" stroke-width="${width}" stroke-opacity="${opacity}"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
  const dot =
    '<svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="4" fill="#cf222e"/></svg>';
  const items = [
    ...(versions ? [`<span>${line('#1f2328', '', 4, 0.25)} expected (the model)</span>`] : []),
    ...designs.map(
      (d, i) =>
        `<span>${line(styleOf(i).color, styleOf(i).dash, 2)} ${esc(d)} ${versions ? 'observed' : "read path's version"}</span>`,
    ),
    `<span>${dot} ${versions ? 'observed differs from expected' : 'a STALE read'}</span>`,
  ];
  return `<p class="legend">${items.join('')}</p>`;
}
