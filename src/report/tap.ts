import type { CheckReport } from '../verify/check.js';
import { describeViolation, replayCommand } from './counterexample.js';
import { describeDiagnosis } from './diagnosis.js';

/** A YAML scalar that survives any text: a JSON string is a valid YAML double-quoted scalar. */
const yaml = (s: string) => JSON.stringify(s);

/**
 * The check report as TAP version 14: one test point per property, skipped ones with a SKIP
 * directive, and for a failing one a YAML diagnostic block with the violation, the diagnosis, its
 * fix and the replay command (the full script is in the text and JSON reports).
 */
export function checkTap(r: CheckReport): string {
  const total = r.properties.length + r.skipped.length;
  const out = ['TAP version 14', `1..${total}`];
  let n = 0;
  for (const p of r.properties) {
    n += 1;
    out.push(`${p.ok ? 'ok' : 'not ok'} ${n} - ${r.design}: ${p.name}`);
    const cx = p.counterexample;
    if (p.ok || !cx) continue;
    const first = cx.violations[0];
    const d = p.diagnosis ? describeDiagnosis(p.diagnosis, r.readPath) : null;
    out.push('  ---');
    out.push(`  message: ${yaml(first ? describeViolation(first) : 'the property fails')}`);
    out.push(`  severity: fail`);
    if (d && p.diagnosis) out.push(`  diagnosis: ${yaml(`${p.diagnosis.culprit}: ${d.line}`)}`);
    if (d?.doc) out.push(`  see: ${yaml(d.doc)}`);
    if (d?.fix) out.push(`  fix: ${yaml(d.fix)}`);
    out.push(`  replay: ${yaml(replayCommand(cx.source))}`);
    out.push('  ...');
  }
  for (const s of r.skipped) {
    n += 1;
    out.push(`ok ${n} - ${r.design}: ${s.name} # SKIP ${s.reason}`);
  }
  return out.join('\n');
}
