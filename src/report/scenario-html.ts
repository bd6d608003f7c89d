import { findScenario } from '../teaching/scenarios.js';
import type { MessageReport, ReadReport, ScenarioReport, ShowReport } from '../verify/scenario.js';
import { glossaryHtml, termLink } from './glossary.js';
import { badge, copyBlock, esc, htmlPage, shortTenant, sqlBlock } from './html.js';
import { causesHtml, scenarioLesson } from './lesson.js';
import { readChart, readSeries } from './read-chart.js';
import { type DocsLocation, entriesHtml, packageDocs } from './references.js';
import { chartLegend, versionChart, versionSeries } from './version-chart.js';

type Step = ScenarioReport['steps'][number];

const label = (design: string) => `<div class="design-label">${esc(design)}</div>`;
const verdict = (r: ScenarioReport) => badge(r.ok ? 'kept' : 'broke');

/** A pair's version around one message: before -> after, expected, and MISSED or EXTRA when they differ. */
function versionRows(m: MessageReport): string {
  if (m.versions.length === 0) return '<p class="muted">no version moved or had to move</p>';
  const rows = m.versions.map((v) => {
    const diff = v.after - v.expected;
    const mark =
      diff < 0
        ? `<td class="mark missed" data-verdict="MISSED">${badge('MISSED', String(-diff))}</td>`
        : diff > 0
          ? `<td class="mark extra" data-verdict="EXTRA">${badge('EXTRA', String(diff))}</td>`
          : `<td class="mark" data-verdict="ok">${badge('ok')}</td>`;
    const pair = `${shortTenant(v.tenant)}/${v.domain}`;
    return `<tr data-pair="${esc(pair)}"><td><code>${esc(pair)}</code></td><td class="num">${v.before} → ${v.after}</td><td class="num">${v.expected}</td>${mark}</tr>`;
  });
  return `<table class="versions"><thead><tr><th>${termLink('pair', 'tenant/domain')}</th><th class="num">before → after</th><th class="num">expected</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function messageCell(m: MessageReport, design: string): string {
  const calls =
    m.functionCalls === null
      ? '<p class="muted">functions fired: unknown (statistics not readable)</p>'
      : m.functionCalls.length === 0
        ? '<p>functions fired: none</p>'
        : `<p>functions fired:</p><ul class="calls">${m.functionCalls.map((c) => `<li><code>${esc(c.name)}</code> × ${c.calls.toLocaleString('en-US')}</li>`).join('')}</ul>`;
  return [
    label(design),
    m.error ? `<p>${badge('error')} ${esc(m.error)}</p>` : '',
    calls,
    m.trackerRows === null
      ? ''
      : `<p>${termLink('tracker')} rows written: <strong>${m.trackerRows}</strong></p>`,
    versionRows(m),
  ].join('');
}

function readCell(r: ReadReport, design: string): string {
  if (r.error) return `${label(design)}<p>${badge('error')} ${esc(r.error)}</p>`;
  const outcome =
    r.outcome === null ? '<span class="muted">no cache read logged</span>' : badge(r.outcome.toUpperCase());
  const versions =
    r.outcome === null ? '' : ` cached at ${r.cacheVersion ?? 'nothing'}, current ${r.currentVersion}`;
  const stale = r.stale ? ` ${badge('STALE')} differs from a fresh build` : '';
  const response = JSON.stringify(r.response, null, 1);
  return `${label(design)}<p>${outcome}${esc(versions)}${stale}</p><details><summary class="muted">response (${response.length} characters)</summary><pre><code>${esc(response)}</code></pre></details>`;
}

/** Up to this many rows of a shown query; the rest are counted. */
const SHOW_ROWS = 12;

function showCell(s: ShowReport, design: string): string {
  if (s.error) return `${label(design)}<p>${badge('error')} ${esc(s.error)}</p>`;
  const rows = s.rows ?? [];
  if (rows.length === 0) return `${label(design)}<p class="muted">(no rows)</p>`;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    esc(v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v);
  const body = rows
    .slice(0, SHOW_ROWS)
    .map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`)
    .join('');
  const more = rows.length > SHOW_ROWS ? `<p class="muted">and ${rows.length - SHOW_ROWS} more rows</p>` : '';
  return `${label(design)}<div class="scroll"><table class="versions"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>${more}`;
}

function stepCells(step: Step, design: string): string {
  if (step.kind === 'message') return messageCell(step, design);
  if (step.kind === 'read') return readCell(step, design);
  return showCell(step, design);
}

/** A timeline row's number: a message's own (as in the text and JSON), a cached read's R1, R2, ... */
type RowNo = { message: number } | { read: number } | null;

/** One timeline row: what was sent (the same for every design), then one cell per design. */
function timelineRow(steps: Step[], designs: string[], no: RowNo): string {
  const first = steps[0] as Step;
  const what =
    first.kind === 'message'
      ? `${sqlBlock(first.sql)}<p class="muted">${first.statements.toLocaleString('en-US')} ${termLink('statement', first.statements === 1 ? 'statement' : 'statements')} in this ${termLink('message')}</p>`
      : first.kind === 'read'
        ? `<p><strong>cached read</strong> as tenant ${esc(shortTenant(first.tenant))}: ${esc(first.title)}</p>${sqlBlock(`SELECT ${first.sql}`)}`
        : `<p><strong>${esc(first.title)}</strong></p>${sqlBlock(first.sql)}`;
  const cells = steps
    .map((s, i) => {
      const stale = s.kind === 'read' && s.stale ? ' stale' : '';
      return `<td class="design${stale}">${stepCells(s, designs[i] ?? '')}</td>`;
    })
    .join('');
  const [id, shown] =
    no === null
      ? ['', '']
      : 'message' in no
        ? [` id="message-${no.message}"`, no.message]
        : [` id="read-${no.read}"`, `R${no.read}`];
  return `<tr class="step ${first.kind}"${id}><th scope="row">${shown}</th><td class="what">${what}</td>${cells}</tr>`;
}

function summaryTable(reports: ScenarioReport[]): string {
  const cols: [string, (r: ScenarioReport) => string | number][] = [
    ['statements', (r) => r.summary.statements],
    ['bumps expected', (r) => r.summary.expectedBumps],
    ['bumps observed', (r) => r.summary.observedBumps],
    ['MISSED', (r) => r.summary.missed],
    ['EXTRA', (r) => r.summary.extra],
    ['errors', (r) => r.summary.errors],
    ['cached reads', (r) => r.summary.reads],
    ['STALE', (r) => r.summary.stale],
  ];
  const rows = reports.map(
    (r) =>
      `<tr data-design="${esc(r.design)}"><th scope="row">${esc(r.design)}</th><td>${verdict(r)}</td>${cols.map(([name, f]) => `<td class="num${(name === 'MISSED' || name === 'EXTRA' || name === 'STALE') && Number(f(r)) > 0 ? ` ${name.toLowerCase()}` : ''}">${Number(f(r)).toLocaleString('en-US')}</td>`).join('')}</tr>`,
  );
  return `<div class="scroll"><table class="summary"><thead><tr><th>design</th><th>promise</th>${cols.map(([n]) => `<th class="num">${n === 'MISSED' || n === 'EXTRA' || n === 'STALE' ? termLink(n) : esc(n)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function lessonBlock(r: ScenarioReport, shown: string[], docs: DocsLocation): string {
  const lesson = scenarioLesson(r, shown);
  const why = lesson.broke
    ? causesHtml(lesson.causes, docs)
    : '<p>every message bumped exactly what it had to, and every cached read was fresh.</p>';
  return `<div class="lesson ${lesson.broke ? 'broke' : 'kept'}" data-design="${esc(r.design)}"><h3>${esc(r.design)} ${verdict(r)}</h3>${why}${copyBlock(lesson.next.command, `next: ${lesson.next.because}`)}</div>`;
}

/** The read path's version at each cached read, per design, when the scenario reads the cache. */
function readPathSection(reports: ScenarioReport[], designs: string[]): string {
  const series = readSeries(reports);
  if (series.length === 0) return '';
  return `<h2 id="read-path">The ${termLink('read path')}'s version at each cached read</h2><p class="muted">A read serves the cached response (HIT) while this number equals the one the response was stored under; a write to any ${termLink('guarding domains', 'guarding domain')} must move it. Reads are R1, R2, ... in the timeline.</p>${chartLegend(designs, false)}<div class="charts">${series.map(readChart).join('')}</div>`;
}

/** Where the page links the docs: the package's folder unless the caller knows better (the CLI does). */
export interface PageOptions {
  docs?: DocsLocation;
}

/**
 * `run --html`: one self-contained page for a scenario run on one or more designs, side by side: the
 * timeline of messages and reads, a step chart of every version over the messages and of the read
 * path's version over the reads, why and what next, the defects it names and the words it uses.
 */
export function scenarioHtml(reports: ScenarioReport[], options: PageOptions = {}): string {
  const first = reports[0];
  if (!first) throw new Error('scenarioHtml needs at least one report');
  return htmlPage(
    `turbo-sim run ${first.scenario} on ${reports.map((r) => r.design).join(', ')}`,
    scenarioBody(reports, options),
  );
}

/** The body of {@link scenarioHtml}, which the playground shows after each run. */
export function scenarioBody(reports: ScenarioReport[], options: PageOptions = {}): string {
  const first = reports[0];
  if (!first) throw new Error('scenarioBody needs at least one report');
  const docs = options.docs ?? packageDocs();
  const designs = reports.map((r) => r.design);
  const notice = findScenario(first.scenario)?.notice;
  let readNo = 0;
  const rows = first.steps.map((_, i) => {
    const steps = reports.map((r) => r.steps[i] as Step);
    const step = steps[0] as Step;
    const no: RowNo =
      step.kind === 'message' ? { message: step.message } : step.kind === 'read' ? { read: ++readNo } : null;
    return timelineRow(steps, designs, no);
  });
  const lessons = reports.map((r) => scenarioLesson(r, designs));
  const readPath = readPathSection(reports, designs);
  return [
    `<header><p class="muted">turbo-sim · scenario report · ${esc(first.backend)}</p><h1>${esc(first.scenario)}</h1><p>${esc(first.description)}</p>`,
    notice ? `<p class="notice"><strong>What to notice:</strong> ${esc(notice)}</p>` : '',
    `<p class="muted">Tenants: a = …000a, b = …000b, c = …000c. A ${termLink('version')} is one counter per (tenant, domain) ${termLink('pair')} in <code>turbo.tb_domain_version</code>; every ${termLink('statement')} must ${termLink('bump')} each pair it touches exactly once, ${termLink('cascade')} targets included.</p></header>`,
    `<nav><a href="#summary">summary</a><a href="#versions">versions</a>${readPath ? '<a href="#read-path">read path</a>' : ''}<a href="#timeline">timeline</a><a href="#why">why, and next</a><a href="#glossary">words</a></nav>`,
    `<h2 id="summary">Summary</h2>${summaryTable(reports)}`,
    `<h2 id="versions">Versions over the messages</h2>${chartLegend(designs)}<div class="charts">${versionSeries(reports).map(versionChart).join('')}</div>`,
    readPath,
    `<h2 id="timeline">Timeline</h2><table class="timeline"><thead><tr><th>#</th><th>sent</th>${designs.map((d) => `<th>${esc(d)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
    `<h2 id="why">Why, and what to run next</h2>${reports.map((r) => lessonBlock(r, designs, docs)).join('')}`,
    entriesHtml(
      lessons.flatMap((l) => l.causes),
      docs,
    ),
    glossaryHtml(),
  ].join('\n');
}
