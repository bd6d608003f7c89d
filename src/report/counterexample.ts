import { harnessFiles } from '../engine/harness.js';
import { splitPair } from '../spec/versions.js';
import type { Counterexample, ReplaySource } from '../verify/counterexample.js';
import type { Violation } from '../verify/verdict.js';

/** The command that replays a counterexample exactly (same seed, same shrink path). */
export function replayCommand(src: ReplaySource): string {
  const extra = src.extraFlags ? ` ${src.extraFlags}` : '';
  return `npx turbo-sim check --design ${src.design}${extra} --property ${src.property} --seed ${src.seed} --path ${src.path}`;
}

/**
 * A standalone SQL script of a counterexample: the messages up to the one that broke the promise,
 * each annotated with what the model expected, then a query showing the versions.
 */
export function counterexampleScript(cx: Counterexample): string {
  const src = cx.source;
  const lines = [
    `-- turbo-sim counterexample: design ${src.design}, property ${src.property}`,
    `-- replay: ${replayCommand(src)}`,
    `-- apply the design first, on an empty database: npx turbo-sim sql --design ${src.design} | psql`,
    src.pauseMs > 0
      ? `-- send each message on its own, starting ${src.pauseMs} ms or more after the previous one ended (so statement_timestamp() differs)`
      : '-- send each message on its own, back to back with no pause',
  ];
  if (cx.messages.some((m) => m.statements.some((s) => s.kind === 'read' || s.kind === 'base'))) {
    lines.push(
      '',
      '-- the harness (checked read, base tables and their sync), needed by the statements below:',
    );
    for (const f of harnessFiles()) lines.push(f.sql.trimEnd());
  }
  for (const [i, m] of cx.messages.entries()) {
    lines.push('', `-- message ${i + 1}${m.expectError ? ' (must fail: it leaves no bump)' : ''}`);
    for (const s of m.statements) {
      if (m.statements.length > 1 || s.bumps.length > 0) {
        lines.push(`--   must bump: ${s.bumps.length ? s.bumps.map(short).join(', ') : 'nothing'}`);
      }
    }
    // A COPY's script ends with its input's `\.` line, which takes no `;`.
    lines.push(m.copy ? m.sql : `${m.sql};`);
  }
  lines.push('', '-- what the design did:');
  for (const v of cx.violations) lines.push(`--   ${describeViolation(v)}`);
  lines.push(
    'SELECT tenant_id, domain, version FROM turbo.tb_domain_version ORDER BY tenant_id, domain;',
    '',
  );
  return lines.join('\n');
}

function short(key: string): string {
  const { tenant, domain } = splitPair(key);
  return `${tenant.slice(-1)}/${domain}`;
}

/** One line for a violation, e.g. `MISSED tenant …0a domain price: expected version 2, observed 1 (message 3)`. */
export function describeViolation(v: Violation): string {
  if (v.tenant === undefined) return `${v.kind} at message ${v.message + 1}: ${v.detail ?? ''}`;
  return `${v.kind} tenant ${v.tenant} domain ${v.domain}: expected version ${v.expected}, observed ${v.observed} (message ${v.message + 1})`;
}
