import { type Diagnosis, diagnose, nextScenario } from '../spec/lessons.js';
import type { ScenarioReport } from '../verify/scenario.js';
import { esc } from './html.js';

/** The design a broken scenario should be run on next: turbo-sim's corrected one. */
const CORRECTED = 'robust';

/** What a learner gets at the end of a scenario: why it broke (if it did) and the command to run next. */
export interface ScenarioLesson {
  broke: boolean;
  diagnoses: Diagnosis[];
  next: { command: string; because: string };
}

/** The why and the next step after running `scenario` on `design`. */
export function scenarioLesson(
  r: Pick<ScenarioReport, 'scenario' | 'design' | 'ok'> & {
    summary: Pick<ScenarioReport['summary'], 'missed' | 'extra' | 'stale'>;
  },
): ScenarioLesson {
  const broke = !r.ok;
  const run = (scenario: string, design: string) => `npx turbo-sim run ${scenario} --design ${design}`;
  const after = nextScenario(r.scenario);
  const next =
    broke && r.design !== CORRECTED
      ? { command: run(r.scenario, CORRECTED), because: 'the same scenario on the corrected design' }
      : broke || after === null
        ? {
            command: `npx turbo-sim check --design ${r.design}`,
            because: 'random workloads of every statement kind, shrunk to the smallest failure',
          }
        : { command: run(after, r.design), because: 'the next scenario on the learning path' };
  const seen = (['missed', 'extra', 'stale'] as const)
    .filter((k) => r.summary[k] > 0)
    .map((k) => k.toUpperCase());
  return { broke, diagnoses: broke ? diagnose(r.design, { scenario: r.scenario }, seen) : [], next };
}

/** One line per catalogue entry explaining a failure, or a pointer to the catalogue when none does. */
export function diagnosisLines(diagnoses: Diagnosis[], fallback: string): string[] {
  if (diagnoses.length === 0) return [`why: ${fallback}; the known defects: docs/defects.md`];
  return diagnoses.map(
    ({ entry, measured }) =>
      `why${measured ? '' : ' (how the published design breaks it)'}: ${entry.id}, ${entry.title}: ${entry.why} (${entry.doc})`,
  );
}

/** The closing lines of `turbo-sim run`: why the design broke the promise, and what to run next. */
export function formatLesson(r: ScenarioReport): string[] {
  const lesson = scenarioLesson(r);
  const why = lesson.broke
    ? diagnosisLines(
        lesson.diagnoses,
        'no catalogue entry covers this scenario; read the MISSED, EXTRA and STALE lines above',
      )
    : [];
  return [...why, `next: ${lesson.next.command}  (${lesson.next.because})`];
}

/** Why a design broke the promise (the catalogue entries, the path of each document) and what to run next. */
export function diagnosisHtml(diagnoses: Diagnosis[], fallback: string): string {
  if (diagnoses.length === 0)
    return `<p>why: ${esc(fallback)}; the known defects: <code>docs/defects.md</code></p>`;
  return diagnoses
    .map(
      ({ entry, measured }) =>
        `<p class="why" data-entry="${esc(entry.id)}">why${measured ? '' : ' <span class="muted">(how the published design breaks it)</span>'}: <strong>${esc(entry.id)}. ${esc(entry.title)}</strong>: ${esc(entry.why)}. <span class="muted">Read more:</span> <code>${esc(entry.doc)}</code></p>`,
    )
    .join('');
}
