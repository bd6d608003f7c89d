import type { ReadReport, ScenarioReport } from '../verify/scenario.js';
import { esc, shortTenant } from './html.js';
import { type StepLine, stepChart } from './step-chart.js';
import { styleOf } from './version-chart.js';

/**
 * The read path's version at each cached read of one query, per design: the number a cached response
 * is stored under and compared with. Two designs can make the same bumps and still differ here (the
 * published MAX of the guarding domains' versions against the base layer's SUM), so the version
 * charts alone would draw them the same.
 */
export interface ReadSeries {
  sql: string;
  tenant: string;
  /** The reads' numbers on the page (R1, R2, ... in the order the scenario reads). */
  reads: number[];
  observed: { design: string; current: (number | null)[]; cached: (number | null)[]; stale: boolean[] }[];
}

const readsOf = (r: ScenarioReport) => r.steps.filter((s): s is ReadReport => s.kind === 'read');

/** One series per query a scenario reads (as one tenant), each read numbered as the timeline numbers it. */
export function readSeries(reports: ScenarioReport[]): ReadSeries[] {
  const first = reports[0];
  if (!first) return [];
  const groups = new Map<string, ReadSeries>();
  for (const [i, read] of readsOf(first).entries()) {
    const key = `${read.tenant} ${read.sql}`;
    const group = groups.get(key) ?? { sql: read.sql, tenant: read.tenant, reads: [], observed: [] };
    group.reads.push(i + 1);
    groups.set(key, group);
  }
  for (const group of groups.values())
    group.observed = reports.map((r) => {
      const reads = group.reads.map((n) => readsOf(r)[n - 1]);
      return {
        design: r.design,
        current: reads.map((x) => x?.currentVersion ?? null),
        cached: reads.map((x) => x?.cacheVersion ?? null),
        stale: reads.map((x) => x?.stale === true),
      };
    });
  return [...groups.values()];
}

/** A step chart of the read path's version at each read of one query, a red dot on a stale read. */
export function readChart(s: ReadSeries): string {
  const lines: StepLine[] = s.observed.map((o, i) => {
    const st = styleOf(i);
    const dash = st.dash ? ` stroke-dasharray="${st.dash}"` : '';
    return {
      values: o.current,
      attrs: `class="read-path" data-design="${esc(o.design)}" stroke="${st.color}" stroke-width="2"${dash}`,
      marked: (j: number) => o.stale[j] === true,
    };
  });
  const at = (o: ReadSeries['observed'][number], j: number) =>
    `${o.current[j] ?? '?'}${o.stale[j] ? ' STALE' : o.cached[j] === o.current[j] ? ' hit' : ''}`;
  const summary = s.observed.map((o) => `${o.design} ${o.current.map((_, j) => at(o, j)).join(', ')}`);
  const reads = s.reads.map((n) => `R${n}`).join(', ');
  const chart = stepChart(
    lines,
    (i) => `R${s.reads[i]}`,
    `the read path's version at reads ${reads} as tenant ${shortTenant(s.tenant)}`,
  );
  return `<figure class="read-path" data-reads="${esc(reads)}"><figcaption>read path's version at ${esc(reads)} <span class="muted">${esc(summary.join('; '))}</span></figcaption>${chart}</figure>`;
}
