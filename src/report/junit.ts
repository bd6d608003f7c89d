import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { CheckReport } from '../verify/check.js';
import { counterexampleScript, describeViolation, replayCommand } from './counterexample.js';
import { describeDiagnosis } from './diagnosis.js';

/**
 * The check report as JUnit XML, the format CI systems show as test results: one testsuite per
 * design, one testcase per property (skipped properties marked skipped), and for a failing property a
 * failure whose message is the first violation and whose body holds the diagnosis, the
 * counterexample script and the replay command.
 */
export function checkJunit(r: CheckReport): string {
  // Loaded when asked for: the package and its XML writer took 0.18 s of every CLI start, and only
  // --reporter junit needs them. It is CommonJS, its module.exports the builder itself.
  const builder = (createRequire(import.meta.url)('junit-report-builder') as Builder).newBuilder();
  const suite = builder.testSuite().name(`turbo-sim ${r.design}`);
  for (const p of r.properties) {
    const test = suite
      .testCase()
      .className(`turbo-sim.${r.design}`)
      .name(p.name)
      .time(p.elapsedMs / 1000);
    const cx = p.counterexample;
    if (p.ok || !cx) continue;
    const first = cx.violations[0];
    test.failure(first ? describeViolation(first) : 'the property fails', first?.kind ?? 'FAIL');
    const diagnosis = p.diagnosis ? describeDiagnosis(p.diagnosis, r.readPath) : null;
    const why = diagnosis
      ? `diagnosis (${p.diagnosis?.culprit}): ${diagnosis.line}${diagnosis.doc ? ` -- see ${diagnosis.doc}` : ''}\n`
      : '';
    test.stacktrace(`${why}replay: ${replayCommand(cx.source)}\n\n${counterexampleScript(cx)}`);
  }
  for (const s of r.skipped) suite.testCase().className(`turbo-sim.${r.design}`).name(s.name).skipped();
  return builder.build();
}
