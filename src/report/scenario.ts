import { findScenario } from '../teaching/scenarios.js';
import type { BumpCount, ScenarioReport } from '../verify/scenario.js';
import { formatLesson } from './lesson.js';

const shortTenant = (t: string) => t.slice(-1);
const bumpList = (xs: BumpCount[]) =>
  xs.length === 0
    ? 'none'
    : xs.map((x) => `${shortTenant(x.tenant)}/${x.domain}${x.count === 1 ? '' : ` x${x.count}`}`).join(', ');

function clip(sql: string, max = 240): string {
  const one = sql.length > max ? `${sql.slice(0, max)} ... (${sql.length} chars)` : sql;
  return one.replace(/\n/g, '\n      ');
}

/**
 * The human-readable form of a scenario report; `shown` are the designs the same run shows side by
 * side, so that its `next:` is not what is already shown.
 */
export function formatScenarioReport(r: ScenarioReport, shown: string[] = [r.design]): string {
  const notice = findScenario(r.scenario)?.notice;
  const out = [
    `scenario ${r.scenario} on design ${r.design} (${r.backend})`,
    `  ${r.description}`,
    ...(notice ? [`  what to notice: ${notice}`] : []),
    // The texts above name the seed graph's tables and cascade; the bumps below follow the schema's.
    ...(r.schema
      ? [
          "  on your schema: the text above is written for turbo-sim's seed graph; the bumps below follow your tables and cascade",
        ]
      : []),
    '  tenants: a = ...000a, b = ...000b, c = ...000c; bumps are tenant/domain',
    '',
  ];
  let reads = 0;
  for (const s of r.steps) {
    if (s.kind === 'read') {
      // Numbered R1, R2, ... as the HTML page's timeline and its read path chart number them.
      reads += 1;
      out.push(
        `  -> R${reads} ${s.title} (as tenant ${shortTenant(s.tenant)})`,
        `     ${clip(`SELECT ${s.sql}`)}`,
      );
      if (s.error) out.push(`     error: ${s.error}`);
      else {
        const versions =
          s.outcome === null ? '' : `: cached at ${s.cacheVersion ?? 'nothing'}, current ${s.currentVersion}`;
        out.push(
          `     ${(s.outcome ?? 'no cache read logged').toUpperCase()}${versions}${s.stale ? '  STALE: differs from a fresh build' : ''}`,
        );
        out.push(`     response: ${clip(JSON.stringify(s.response), 200)}`);
      }
      out.push('');
      continue;
    }
    if (s.kind === 'show') {
      out.push(`  == ${s.title}: ${s.sql}`);
      if (s.error) out.push(`     error: ${s.error}`);
      else if (!s.rows?.length) out.push('     (no rows)');
      else for (const row of s.rows) out.push(`     ${JSON.stringify(row)}`);
      out.push('');
      continue;
    }
    out.push(`  [${s.message}] ${clip(s.sql)}`);
    if (s.statements > 1) out.push(`      statements in this message: ${s.statements}`);
    if (s.error) out.push(`      error: ${s.error}`);
    out.push(
      `      functions called: ${s.functionCalls === null ? 'unknown' : s.functionCalls.length === 0 ? 'none' : s.functionCalls.map((c) => `${c.name} x${c.calls}`).join(', ')}`,
    );
    if (s.trackerRows !== null) out.push(`      tracker rows written: ${s.trackerRows}`);
    out.push(`      bumps expected: ${bumpList(s.expected)}`);
    out.push(`      bumps observed: ${bumpList(s.observed)}`);
    if (s.versions.length)
      out.push(
        `      versions before -> after (expected): ${s.versions.map((v) => `${shortTenant(v.tenant)}/${v.domain} ${v.before} -> ${v.after}${v.after === v.expected ? '' : ` (${v.expected})`}`).join(', ')}`,
      );
    if (s.missed.length) out.push(`      MISSED: ${bumpList(s.missed)}`);
    if (s.extra.length) out.push(`      EXTRA:  ${bumpList(s.extra)}`);
    out.push('');
  }
  const m = r.summary;
  out.push(
    `summary: ${m.statements} statements, ${m.expectedBumps} bumps expected, ${m.observedBumps} observed, ${m.missed} MISSED, ${m.extra} EXTRA, ${m.errors} errors${m.reads ? `, ${m.reads} cached reads (${m.stale} stale)` : ''}: ${r.ok ? 'the design kept the promise' : 'the design broke the promise'}`,
    ...formatLesson(r, shown),
  );
  return out.join('\n');
}
