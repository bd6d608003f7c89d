import type { ScheduledReport } from '../verify/concurrency-search.js';
import type { InterleavingRun } from '../verify/interleaving.js';
import { oneLine } from '../verify/scheduler.js';
import { glossaryHtml, termLink } from './glossary.js';
import { badge, copyBlock, esc, htmlPage, sqlBlock } from './html.js';
import { concurrencyDiagnosisLine, concurrencyViolationLine } from './interleaving.js';

// The colour of an event's outcome, from the shared stylesheet's verdict classes.
const OUTCOME: Record<string, string> = {
  paused: 'miss',
  waits: 'miss',
  deadlock: 'error',
  error: 'error',
  skipped: 'miss',
  done: 'ok',
};

/**
 * Swimlanes of an interleaving: one column per session, one row per event in the order it
 * happened, so the reader sees which session built, which committed in between, and which stored.
 */
export function swimlanes(run: InterleavingRun, sessions: number[]): string {
  const head = sessions.map((s) => `<th scope="col">session ${s}</th>`).join('');
  const rows = run.events.map((e, n) => {
    const cells = sessions.map((s) => {
      if (s !== e.session) return '<td></td>';
      const colour = OUTCOME[e.outcome];
      const mark = colour ? `<span class="badge ${colour}">${esc(e.outcome)}</span> ` : '';
      // A message's text is its SQL on one line: the SQL block alone says it.
      const text = e.sql && e.text !== oneLine(e.sql) ? `${esc(e.text)}` : e.sql ? '' : esc(e.text);
      return `<td class="what">${mark}${text}${e.sql ? sqlBlock(e.sql) : ''}</td>`;
    });
    return `<tr><th scope="row">${n + 1}</th>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="timeline swimlanes"><thead><tr><th>#</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** A scheduled concurrency report as one self-contained HTML page: verdict, swimlanes, diagnosis, replay, glossary. */
export function scheduledHtml(r: ScheduledReport): string {
  const c = r.counterexample;
  const title = `concurrency check of ${r.design}`;
  const body = [
    `<h1>${esc(title)} ${badge(r.ok ? 'holds' : 'FAILS')}</h1>`,
    `<p>${r.sessions} ${termLink('session', 'sessions')} x ${r.steps} steps, ${esc(r.workload)} workload, seed ${r.seed}, ${r.interleavings} ${termLink('interleaving', 'interleaving(s)')}: ${r.committedStatements} committed ${termLink('statement', 'statements')}, ${r.deadlocks} deadlocks, ${r.readsServed} cached reads served, ${r.quietChecks} quiet-point checks.</p>`,
    ...(c
      ? [
          `<h2>Counterexample: ${c.sessions} session(s), ${c.units} unit(s)</h2>`,
          `<ul>${c.run.violations.map((v) => `<li>${badge(v.kind)} ${esc(concurrencyViolationLine(v))}</li>`).join('')}</ul>`,
          swimlanes(
            c.run,
            c.workloads.flatMap((w, s) => (w.length > 0 ? [s] : [])),
          ),
          `<p class="lesson">${esc(concurrencyDiagnosisLine(c.diagnosis))}</p>`,
        ]
      : []),
    copyBlock(r.replay, 'replay'),
    glossaryHtml(),
  ];
  return htmlPage(title, body.join('\n'));
}
