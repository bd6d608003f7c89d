import type { ReadPath } from '../engine/design/install.js';
import type { PlannedMessage } from '../model/plan.js';
import { splitPair } from '../model/versions.js';
import type { CheckReport, PropertyResult } from '../verify/check.js';
import type { Counterexample, MessageAccount } from '../verify/counterexample.js';
import type { Violation } from '../verify/verdict.js';
import { ACCOUNT_NOT_REPRODUCED } from './check.js';
import { counterexampleScript, replayCommand } from './counterexample.js';
import { describeDiagnosis, SPLITS } from './diagnosis.js';
import { glossaryHtml, termLink } from './glossary.js';
import { badge, copyBlock, esc, htmlPage, shortTenant, sqlBlock } from './html.js';
import { causeHtml, type DocsLocation, entriesHtml, type NamedEntry, packageDocs } from './references.js';

const pairText = (key: string) => {
  const { tenant, domain } = splitPair(key);
  return `${shortTenant(tenant)}/${domain}`;
};
const cxId = (property: string) => `cx-${property}`;

/** One row of the grid: the property, its verdict, and for a failure the first thing that broke. */
function gridRow(p: PropertyResult): string {
  const cx = p.counterexample;
  const verdict = p.ok
    ? `<td class="verdict holds">${badge('holds')}</td>`
    : `<td class="verdict fails"><a href="#${esc(cxId(p.name))}">${badge('FAILS')}</a></td>`;
  const first = cx?.violations[0];
  const found = p.ok
    ? `<td class="muted">${p.runs} runs</td>`
    : `<td>at run ${p.runs}; ${cx ? `${cx.statements} statement(s)` : 'no counterexample kept'}</td>`;
  const broke = first ? violationHtml(first, true) : '';
  return `<tr data-property="${esc(p.name)}"><th scope="row"><code>${esc(p.name)}</code></th>${verdict}${found}<td>${broke}</td><td class="wide muted">${esc(p.description)}</td></tr>`;
}

/** A violation in a few words: the pair with expected and observed version, or the finding. */
function violationHtml(v: Violation, withMessage: boolean): string {
  const at = withMessage ? ` (message ${v.message + 1})` : '';
  if (v.tenant === undefined) return `${badge(v.kind)} ${esc(v.detail ?? '')}${at}`;
  return `${badge(v.kind)} <code>${esc(`${shortTenant(v.tenant)}/${v.domain}`)}</code>: expected ${v.expected}, observed ${v.observed}${at}`;
}

/** What the design did at a message: its violations, with the pair, expected and observed version. */
function violationsCell(vs: Violation[]): string {
  if (vs.length === 0) return '<td class="muted" data-label="what the design did">as expected</td>';
  const kinds = new Set(vs.map((v) => v.kind.toLowerCase()));
  const items = vs.map((v) => `<li>${violationHtml(v, false)}</li>`);
  return `<td class="${esc([...kinds].join(' '))}" data-label="what the design did"><ul class="calls">${items.join('')}</ul></td>`;
}

/** What the message set off when replayed: the functions that fired (triggers marked) and bumps observed/expected. */
function accountCell(a: MessageAccount | undefined): string {
  if (!a) return '<td class="muted" data-label="what fired">not replayed</td>';
  const fired =
    a.firings === null
      ? '<span class="muted">functions unknown (statistics not allowed)</span>'
      : a.firings.length === 0
        ? 'no function ran'
        : `<ul class="calls">${a.firings.map((f) => `<li><code>${esc(f.name)}</code>${f.trigger ? ' (trigger)' : ''} × ${f.calls}</li>`).join('')}</ul>`;
  const bumps = a.bumps
    .map((b) => `<code>${esc(`${shortTenant(b.tenant)}/${b.domain}`)}</code> ${b.observed}/${b.expected}`)
    .join(', ');
  return `<td data-label="what fired">${fired}<p>bumps observed/expected: ${bumps || 'none'}</p>${a.error ? `<p>${badge('error')} ${esc(a.error)}</p>` : ''}</td>`;
}

function messageRow(
  m: PlannedMessage,
  i: number,
  violations: Violation[],
  account: MessageAccount | undefined,
): string {
  const statements = m.statements
    .map(
      (s) =>
        `<li><code>${esc(s.kind)}</code>${s.fails ? ' (must fail)' : ''}: must bump ${s.bumps.length ? s.bumps.map((k) => `<code>${esc(pairText(k))}</code>`).join(', ') : 'nothing'}</li>`,
    )
    .join('');
  const expected = [...m.versions]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<code>${esc(pairText(k))}</code> ${v}`)
    .join(', ');
  const mine = violations.filter((v) => v.message === i);
  return `<tr class="step message"><th scope="row">${i + 1}</th><td class="what">${sqlBlock(m.sql)}${m.expectError ? '<p class="muted">must fail, leaving no bump</p>' : ''}</td><td data-label="statements"><ul class="calls">${statements}</ul></td><td data-label="expected versions after">${expected || '<span class="muted">none</span>'}</td>${accountCell(account)}${violationsCell(mine)}</tr>`;
}

/** A property's diagnosis as the page names it: class, line, catalogue entry and fix. */
function entryOf(p: PropertyResult, readPath: ReadPath): NamedEntry | null {
  return p.diagnosis ? { cause: p.diagnosis.class, ...describeDiagnosis(p.diagnosis, readPath) } : null;
}

/** How the counterexample fared sent again split up: the evidence its diagnosis rests on. */
function replaysHtml(cx: Counterexample): string {
  if (!cx.replays?.length) return '';
  const items = cx.replays.map(
    (r) =>
      `<li data-split="${esc(r.split)}">${esc(SPLITS[r.split])}: ${r.reproduced ? badge('MISSED', 'again') : badge('ok', 'every bump made')}</li>`,
  );
  return `<p>Sent again from an empty database, which tells one dedup key from another:</p><ul class="calls replays">${items.join('')}</ul>`;
}

function counterexampleSection(p: PropertyResult, cx: Counterexample, readPath: ReadPath): string {
  const rows = cx.messages
    .map((m, i) =>
      messageRow(
        m,
        i,
        cx.violations,
        cx.account?.find((a) => a.message === i),
      ),
    )
    .join('');
  const entry = entryOf(p, readPath);
  const why = entry && p.diagnosis ? causeHtml(entry, `(culprit: ${p.diagnosis.culprit})`) : '';
  const fix = entry?.fix ? `<p class="fix">fix: ${esc(entry.fix)}</p>` : '';
  const notReproduced =
    cx.accountReproduced === false
      ? `<p class="notice account-not-reproduced">${esc(ACCOUNT_NOT_REPRODUCED.trim().replace(/^\(|\)$/g, ''))}.</p>`
      : '';
  // A back-to-back run is judged once after its last message; its violations carry that index.
  return `<section class="counterexample" id="${esc(cxId(p.name))}" data-property="${esc(p.name)}">
<h3><code>${esc(p.name)}</code> ${badge('FAILS')}</h3>
<p>${esc(p.description)}. Found at run ${p.runs}, ${cx.shrinks > 0 ? `shrunk ${cx.shrinks} times` : 'not shrunk'} to ${cx.statements} statement(s)${cx.source.pauseMs > 0 ? `, each message sent at least ${cx.source.pauseMs} ms after the previous one ended` : ', sent back to back'}.</p>
${why}${fix}
${copyBlock(replayCommand(cx.source), 'replay exactly (same seed, same shrink path)')}
<div class="scroll"><table class="timeline"><thead><tr><th>#</th><th>message</th><th>statements</th><th>expected versions after</th><th>what fired</th><th>what the design did</th></tr></thead><tbody>${rows}</tbody></table></div>${notReproduced}${replaysHtml(cx)}
<details open><summary>the counterexample as a standalone SQL script</summary>${copyBlock(counterexampleScript(cx), 'apply the design first, then send each message on its own')}</details>
</section>`;
}

/**
 * `check --html`: one self-contained page with the grid of properties and verdicts, and for each
 * failing property its counterexample statement by statement, the catalogue entry that explains it,
 * and the replay command and script ready to copy.
 */
export function checkHtml(r: CheckReport, options: { docs?: DocsLocation } = {}): string {
  const docs = options.docs ?? packageDocs();
  const failing = r.properties.filter((p) => !p.ok);
  const verdict = r.ok
    ? `${badge('holds')} all ${r.properties.length} properties hold`
    : `${badge('FAILS')} ${failing.length} of ${r.properties.length} properties fail`;
  const sections = failing
    .map((p) => (p.counterexample ? counterexampleSection(p, p.counterexample, r.readPath) : ''))
    .join('\n');
  const entries = failing.flatMap((p) => entryOf(p, r.readPath) ?? []);
  const body = [
    `<header><p class="muted">turbo-sim · check report · ${esc(r.backend)}</p><h1>check --design ${esc(r.design)}</h1>`,
    `<p>${verdict}: ${r.runs} random workloads per property, seed ${r.seed}; ${r.statementsChecked.toLocaleString('en-US')} statements checked${r.readsChecked ? `, ${r.readsChecked.toLocaleString('en-US')} of them cached reads` : ''}, in ${(r.elapsedMs / 1000).toFixed(1)} s.</p>`,
    `<p class="muted">Tenants: a = …000a, b = …000b, c = …000c. Each property runs random workloads of one class of ${termLink('statement', 'statements')} and compares every ${termLink('version')} after every ${termLink('message')} with the reference model; a failure is shrunk to the smallest workload that still fails (its ${termLink('counterexample')}), and its ${termLink('diagnosis')} names the ${termLink('culprit')}.</p></header>`,
    '<nav><a href="#grid">properties</a>' +
      (failing.length ? '<a href="#counterexamples">counterexamples</a>' : '') +
      '<a href="#glossary">words</a></nav>',
    `<h2 id="grid">Properties</h2><div class="scroll"><table class="grid"><thead><tr><th>property</th><th>verdict</th><th>runs</th><th>what broke first</th><th class="wide">workloads</th></tr></thead><tbody>${r.properties.map(gridRow).join('')}</tbody></table></div>`,
    failing.length ? `<h2 id="counterexamples">Counterexamples</h2>${sections}` : '',
    entriesHtml(entries, docs),
    glossaryHtml(),
  ].join('\n');
  return htmlPage(`turbo-sim check --design ${r.design}`, body);
}
