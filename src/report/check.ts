import { type CheckReport, type PropertyResult, shardIndices } from '../verify/check.js';
import type { Counterexample } from '../verify/counterexample.js';
import { counterexampleScript, describeViolation, replayCommand } from './counterexample.js';
import { describeDiagnosis, formatAccount, formatReplays } from './diagnosis.js';
import { docsLine } from './references.js';

/** Messages are numbered from 1 in JSON, as in the text and the script ("message 4" is `message: 4`). */
const numbered = <T extends { message: number }>(x: T): T => ({ ...x, message: x.message + 1 });

/** A counterexample for machines: the workload, what broke, what fired, the script and the replay command. */
function counterexampleJson(cx: Counterexample) {
  return {
    workload: cx.workload,
    violations: cx.violations.map(numbered),
    script: counterexampleScript(cx),
    replay: replayCommand(cx.source),
    statements: cx.statements,
    shrinks: cx.shrinks,
    clockDependent: cx.source.clockDependent,
    account: cx.account?.map(numbered) ?? null,
    accountReproduced: cx.accountReproduced ?? null,
    replays: cx.replays ?? null,
  };
}

/** The check report as the JSON document `check --json` prints. */
export function checkJson(r: CheckReport) {
  const first = r.properties.find((p) => !p.ok)?.counterexample ?? null;
  return {
    design: r.design,
    backend: r.backend,
    ok: r.ok,
    runs: r.runs,
    seed: r.seed,
    readPath: r.readPath,
    properties: r.properties.map((p) => ({
      ...p,
      counterexample: p.counterexample ? counterexampleJson(p.counterexample) : null,
      diagnosis: p.diagnosis
        ? {
            class: p.diagnosis.class,
            culprit: p.diagnosis.culprit,
            ...describeDiagnosis(p.diagnosis, r.readPath),
          }
        : null,
    })),
    skipped: r.skipped,
    /** Violations of the first failing property's counterexample. */
    violations: first?.violations.map(numbered) ?? [],
    /** SQL of the first failing property's counterexample, or null. */
    counterexample: first ? counterexampleScript(first) : null,
    statementsChecked: r.statementsChecked,
    readsChecked: r.readsChecked,
    elapsedMs: r.elapsedMs,
  };
}

/** Said under an account that did not show the violation again, so that nobody reads it as the run's. */
export const ACCOUNT_NOT_REPRODUCED =
  "  (this replay did not reproduce the violation: every bump above came out as expected, so the failure depends on timing the replay did not repeat; the bumps above are not the run's)";

const READ_PATH = {
  base: "the base layer's (sum of versions)",
  design: "the design's own turbo.fn_domains_version",
};

function verdictLine(p: PropertyResult, shrunk: boolean, width: number): string {
  if (p.ok) {
    const tries = p.replayTries && p.replayTries > 1 ? `, did not reproduce in ${p.replayTries} tries` : '';
    return `  ${p.name.padEnd(width)}  holds  ${p.runs} runs${tries}`;
  }
  const cx = p.counterexample;
  const first = cx?.violations[0];
  const tries = p.replayTries && p.replayTries > 1 ? ` (reproduced at try ${p.replayTries})` : '';
  const clock = cx?.source.clockDependent ? ' [depends on timing]' : '';
  return `  ${p.name.padEnd(width)}  FAILS  at run ${p.runs}${tries}, ${shrunk ? 'shrunk to' : 'found with'} ${cx?.statements ?? '?'} statement(s): ${first ? describeViolation(first) : ''}${clock}`;
}

/** Failing properties grouped by what a user must fix: the triggers, the read path, or the design raising. */
function culprits(r: CheckReport): string[] {
  const groups = new Map<string, string[]>();
  for (const p of r.properties) {
    if (!p.diagnosis) continue;
    groups.set(p.diagnosis.culprit, [...(groups.get(p.diagnosis.culprit) ?? []), p.name]);
  }
  return [...groups].map(([culprit, names]) => `  ${culprit}: ${names.join(', ')}`);
}

/** Whether the report's counterexamples were shrunk (a check run with --no-shrink says "found with"). */
export function wasShrunk(r: CheckReport): boolean {
  return r.properties.every((p) => p.counterexample?.source.shrink !== false);
}

/**
 * The check report for people: one line per property, each counterexample with its cause, a summary.
 * `shrunk` defaults to what the counterexamples say of themselves.
 */
export function formatCheck(r: CheckReport, options: { shrunk: boolean } = { shrunk: wasShrunk(r) }): string {
  const out = [
    `design ${r.design} on ${r.backend}: seed ${r.seed}, ${r.runs} runs per property${r.shard ? ` (shard ${r.shard.index}/${r.shard.count}: run indices ${shardIndices(3 * r.shard.count, r.shard).join(', ')}, ...; turbo-sim merge adds the shards up)` : ''}; read path: ${READ_PATH[r.readPath]}`,
  ];
  const width = Math.max(...r.properties.map((p) => p.name.length));
  for (const p of r.properties) out.push(verdictLine(p, options.shrunk, width));
  for (const s of r.skipped) out.push(`  ${s.name.padEnd(width)}  skipped: ${s.reason}`);
  for (const p of r.properties) {
    const cx = p.counterexample;
    if (!cx) continue;
    out.push(`\n--- counterexample for ${p.name}\n${counterexampleScript(cx)}`);
    if (cx.account)
      out.push(
        'what each message fired (replayed with function statistics on):',
        ...formatAccount(cx.account),
        ...(cx.accountReproduced === false ? [ACCOUNT_NOT_REPRODUCED] : []),
      );
    if (cx.replays)
      out.push(
        'sent again from an empty database (what tells one dedup key from another):',
        ...formatReplays(cx.replays),
      );
    if (p.diagnosis) {
      const d = describeDiagnosis(p.diagnosis, r.readPath);
      out.push(`diagnosis (${p.diagnosis.culprit}): ${d.line}${d.doc ? ` -- see ${d.doc}` : ''}`);
      if (d.fix) out.push(`fix: ${d.fix}`);
    }
  }
  const seconds = r.elapsedMs / 1000;
  const failing = r.properties.filter((p) => !p.ok).length;
  if (failing > 0) out.push('', 'what to fix, by what failed:', ...culprits(r));
  if (r.properties.some((p) => p.diagnosis && describeDiagnosis(p.diagnosis, r.readPath).doc))
    out.push(docsLine());
  const reads = r.readsChecked
    ? `; ${r.readsChecked} cached reads, ${Math.round(r.readsChecked / seconds)}/s`
    : '';
  out.push(
    `${r.ok ? 'all properties hold' : `${failing} of ${r.properties.length} properties fail`}; ${r.statementsChecked} statements checked in ${seconds.toFixed(1)} s (${Math.round(r.statementsChecked / seconds)} statements/s${reads})`,
  );
  return out.join('\n');
}
