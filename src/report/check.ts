import type { CheckReport } from '../verify/check.js';
import type { Counterexample } from '../verify/counterexample.js';
import { counterexampleScript, describeViolation, replayCommand } from './counterexample.js';

/** A counterexample for machines: the workload, what broke, the script and the replay command. */
function counterexampleJson(cx: Counterexample) {
  return {
    workload: cx.workload,
    violations: cx.violations,
    script: counterexampleScript(cx),
    replay: replayCommand(cx.source),
    statements: cx.statements,
    shrinks: cx.shrinks,
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
    properties: r.properties.map((p) => ({
      ...p,
      counterexample: p.counterexample ? counterexampleJson(p.counterexample) : null,
    })),
    /** Violations of the first failing property's counterexample. */
    violations: first?.violations ?? [],
    /** SQL of the first failing property's counterexample, or null. */
    counterexample: first ? counterexampleScript(first) : null,
    statementsChecked: r.statementsChecked,
    readsChecked: r.readsChecked,
    elapsedMs: r.elapsedMs,
  };
}

/** The check report for people: one line per property, each counterexample's script, a summary. */
export function formatCheck(r: CheckReport, options: { shrunk: boolean }): string {
  const out = [`design ${r.design} on ${r.backend}: seed ${r.seed}, ${r.runs} runs per property`];
  const width = Math.max(...r.properties.map((p) => p.name.length));
  for (const p of r.properties) {
    const cx = p.counterexample;
    const first = cx?.violations[0];
    const failed = `at run ${p.runs}, ${options.shrunk ? 'shrunk to' : 'found with'} ${cx?.statements ?? '?'} statement(s): ${first ? describeViolation(first) : ''}`;
    out.push(`  ${p.name.padEnd(width)}  ${p.ok ? 'holds' : 'FAILS'}  ${p.ok ? `${p.runs} runs` : failed}`);
  }
  for (const p of r.properties) {
    if (p.counterexample)
      out.push(`\n--- counterexample for ${p.name}\n${counterexampleScript(p.counterexample)}`);
  }
  const seconds = r.elapsedMs / 1000;
  const failing = r.properties.filter((p) => !p.ok).length;
  const reads = r.readsChecked
    ? `; ${r.readsChecked} cached reads, ${Math.round(r.readsChecked / seconds)}/s`
    : '';
  out.push(
    `${r.ok ? 'all properties hold' : `${failing} of ${r.properties.length} properties fail`}; ${r.statementsChecked} statements checked in ${seconds.toFixed(1)} s (${Math.round(r.statementsChecked / seconds)} statements/s${reads})`,
  );
  return out.join('\n');
}
