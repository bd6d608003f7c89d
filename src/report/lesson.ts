import type { ReadPath } from '../engine/design/install.js';
import { nextScenario } from '../teaching/lessons.js';
import { findScenario } from '../teaching/scenarios.js';
import type { DiagnosisClass } from '../verify/diagnosis.js';
import type { MessageReport, ScenarioReport } from '../verify/scenario.js';
import { TYPED } from '../verify/typed.js';
import { DEFECT, describeClass } from './diagnosis.js';
import { esc } from './html.js';
import { causeHtml, type DocsLocation, docAnchor, docsLine } from './references.js';

/** The design a broken scenario should be run on next: turbo-sim's corrected one. */
const CORRECTED = 'robust';

/** The designs the causes below were measured on (docs/defects.md, docs/coherence.md). */
const PUBLISHED = ['seed', 'seed-on-conflict'];

/** The entry of a DO block's shared key, which the catalogue tells from a message's (D1). */
const DO_BLOCK_ENTRY = 'D2. Statements in a DO block or a function share one tracker key';

/**
 * How the published designs break each scenario that they break: the kind of failure the report
 * shows, the diagnosis class (whose line and catalogue entry are in diagnosis.ts), and the entry of
 * docs/defects.md when the scenario's own workload has one of its own (a DO block is D2, not D1).
 */
const SCENARIO_CAUSES: {
  scenario: string;
  shows: 'missed' | 'stale';
  cause: DiagnosisClass;
  entry?: string;
}[] = [
  {
    scenario: 'loop-vs-batch',
    shows: 'missed',
    cause: 'message-key',
    entry: DO_BLOCK_ENTRY,
  },
  { scenario: 'multi-statement-message', shows: 'missed', cause: 'message-key' },
  { scenario: 'tenant-move', shows: 'missed', cause: 'old-tenant' },
  { scenario: 'cache-multi-domain', shows: 'stale', cause: 'read-path' },
];

/** Why a scenario broke: a known cause, its catalogue entry, and whether it was measured on this design. */
export interface ScenarioCause {
  cause: DiagnosisClass;
  line: string;
  doc: string | null;
  fix: string | null;
  /** False: how the published design breaks the scenario, offered as a hint for another design. */
  measured: boolean;
}

/** What a learner gets at the end of a scenario: why it broke (if it did) and the command to run next. */
export interface ScenarioLesson {
  broke: boolean;
  causes: ScenarioCause[];
  next: { command: string; because: string };
}

type LessonInput = Pick<ScenarioReport, 'scenario' | 'design' | 'ok' | 'schema'> & {
  readPath: ReadPath;
  summary: Pick<ScenarioReport['summary'], 'missed' | 'extra' | 'stale'>;
  steps?: ScenarioReport['steps'];
};

/**
 * Why messages typed in the playground broke, from their shape: a message of several statements that
 * made fewer bumps than due is how a key shared by one message (D1) or DO block (D2) shows.
 */
function typedCauses(r: LessonInput): (typeof SCENARIO_CAUSES)[number][] {
  const shared = (r.steps ?? []).filter(
    (s): s is MessageReport => s.kind === 'message' && s.missed.length > 0 && s.statements > 1,
  );
  if (shared.length === 0) return [];
  const block = shared.some((m) => /^\s*DO\b/i.test(m.sql));
  return [
    { scenario: TYPED, shows: 'missed', cause: 'message-key', ...(block ? { entry: DO_BLOCK_ENTRY } : {}) },
  ];
}

/**
 * The why and the next step after running `scenario` on `design`, on a page (or in a run) that shows
 * the designs `shown` side by side. A cause is offered only when the report shows its kind of
 * failure: a design that bumps too often is not told it fails like D1. The next step is never what
 * the page already shows: with the corrected design alongside, it is the next scenario on them all.
 */
export function scenarioLesson(r: LessonInput, shown: string[] = [r.design]): ScenarioLesson {
  const broke = !r.ok;
  // On a user's schema the commands carry its flags, and the next scenario is one it can run.
  const flags = r.schema ? ` ${r.schema.flags}` : '';
  const run = (scenario: string, design: string) =>
    `npx turbo-sim run ${scenario} --design ${design}${flags}`;
  let after = nextScenario(r.scenario);
  while (after !== null && r.schema && !r.schema.scenarios.includes(after)) after = nextScenario(after);
  const alongside = shown.length > 1 ? ', on the same designs' : '';
  // Messages typed in the playground are no scenario `run` could send again.
  const known = findScenario(r.scenario) !== undefined;
  const next =
    broke && r.design !== CORRECTED && !shown.includes(CORRECTED) && known
      ? { command: run(r.scenario, CORRECTED), because: 'the same scenario on the corrected design' }
      : (broke && r.design === CORRECTED) || after === null
        ? {
            command: `npx turbo-sim check --design ${r.design}${flags}`,
            because: 'random workloads of every statement kind, shrunk to the smallest failure',
          }
        : {
            command: run(after, shown.join(',')),
            because: `the next scenario on the learning path${alongside}`,
          };
  const causes = broke
    ? [...SCENARIO_CAUSES, ...(r.scenario === TYPED ? typedCauses(r) : [])]
        .filter((c) => c.scenario === r.scenario && r.summary[c.shows] > 0)
        .map((c) => ({
          cause: c.cause,
          ...describeClass(c.cause, r.readPath),
          ...(c.entry ? { doc: DEFECT(c.entry) } : {}),
          measured: PUBLISHED.includes(r.design),
        }))
    : [];
  return { broke, causes, next };
}

const FALLBACK = 'no known cause is recorded for this scenario; read the MISSED, EXTRA and STALE marks';
const hint = (c: ScenarioCause) => (c.measured ? '' : ' (how the published design breaks it)');

/** The closing lines of `turbo-sim run`: why the design broke the promise, and what to run next. */
export function formatLesson(r: ScenarioReport, shown: string[] = [r.design]): string[] {
  const lesson = scenarioLesson(r, shown);
  const why = !lesson.broke
    ? []
    : lesson.causes.length === 0
      ? [`why: ${FALLBACK}; the known defects: docs/defects.md`]
      : lesson.causes.map((c) => `why${hint(c)}: ${c.line}${c.doc ? ` (${c.doc})` : ''}`);
  const docs = lesson.broke ? [docsLine()] : [];
  return [...why, ...docs, `next: ${lesson.next.command}  (${lesson.next.because})`];
}

/** The why of a scenario in HTML: each cause, or a link to the catalogue when none is known. */
export function causesHtml(causes: ScenarioCause[], docs: DocsLocation): string {
  if (causes.length === 0)
    return `<p>why: ${esc(FALLBACK)}; the known defects: ${docAnchor('docs/defects.md', docs)}</p>`;
  return causes.map((c) => causeHtml(c, hint(c).trim())).join('');
}
