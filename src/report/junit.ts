import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import type { CheckReport } from '../verify/check.js';
import { ACCOUNT_NOT_REPRODUCED } from './check.js';
import { counterexampleScript, describeViolation, replayCommand } from './counterexample.js';
import { describeDiagnosis, formatAccount, formatReplays } from './diagnosis.js';

/**
 * The check report as JUnit XML, the format CI systems show as test results: one testsuite per
 * design, one testcase per property (skipped properties marked skipped), and for a failing property a
 * failure whose message is the first violation and whose body holds the diagnosis and its fix, the
 * replay command, the split replays and the account of what fired, and the counterexample script.
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
    const lines = [
      ...(diagnosis
        ? [
            `diagnosis (${p.diagnosis?.culprit}): ${diagnosis.line}${diagnosis.doc ? ` -- see ${diagnosis.doc}` : ''}`,
            ...(diagnosis.fix ? [`fix: ${diagnosis.fix}`] : []),
          ]
        : []),
      `replay: ${replayCommand(cx.source)}`,
      ...(cx.replays ? ['sent again from an empty database:', ...formatReplays(cx.replays)] : []),
      ...(cx.account
        ? [
            'what each message fired:',
            ...formatAccount(cx.account),
            ...(cx.accountReproduced === false ? [ACCOUNT_NOT_REPRODUCED] : []),
          ]
        : []),
    ];
    test.stacktrace(`${lines.join('\n')}\n\n${counterexampleScript(cx)}`);
  }
  for (const s of r.skipped) suite.testCase().className(`turbo-sim.${r.design}`).name(s.name).skipped();
  return builder.build();
}
