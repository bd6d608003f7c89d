import { harnessFiles } from '../engine/harness.js';
import type { PlannedMessage } from '../model/plan.js';
import { transactionSql } from '../model/sql/statements.js';
import { splitPair } from '../model/versions.js';
import type { Counterexample, ReplaySource } from '../verify/counterexample.js';
import type { Violation } from '../verify/verdict.js';

/** The command that replays a counterexample exactly (same seed, same shrink path). */
export function replayCommand(src: ReplaySource): string {
  const shrink = src.shrink ? '' : ' --no-shrink';
  return `npx turbo-sim check --design ${src.design}${domainsFlag(src)}${schemaFlags(src)} --property ${src.property} --seed ${src.seed} --path ${src.path}${shrink}`;
}

const schemaFlags = (src: ReplaySource) => (src.schema ? ` ${src.schema.flags}` : '');

function domainsFlag(src: ReplaySource): string {
  if (src.domains === undefined) return '';
  return src.domains === null
    ? ' --domains <the graph, built in code: write it to a file>'
    : ` --domains ${src.domains}`;
}

/** The SQL of one message as psql must be given it to send it as one message: `\;` joins its parts. */
export function psqlMessage(parts: string[]): string {
  return `${parts.join(' \\;\n')};`;
}

/**
 * One message as the script gives it to psql. A COPY is its statement, then its input ending in
 * `\.` (no `;` after it); parameterized queries were sent one by one, so each is its own message
 * (shown with its `$n` placeholders and their values in a comment); anything else is one message.
 */
export function scriptMessage(m: PlannedMessage): string {
  if (m.copy) return m.sql;
  if (m.binds) return `${m.sql};`;
  return psqlMessage(m.parts);
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
    src.schema
      ? `-- apply your schema first (${src.schema.flags.replace(/^--schema /, '').replace(/ --.*$/, '')}, each with psql -f), then the design over it: npx turbo-sim sql --design ${src.design}${schemaFlags(src)} | psql`
      : `-- apply the design first, on an empty database: npx turbo-sim sql --design ${src.design}${domainsFlag(src)} | psql`,
    '-- then this file: psql -f FILE (a message of several statements is written with \\; so psql sends it as one)',
    src.pauseMs > 0
      ? `-- each message starts ${src.pauseMs} ms or more after the previous one ended (so statement_timestamp() differs; psql's pace does that on a server)`
      : '-- the messages went back to back with no pause',
  ];
  if (src.clockDependent)
    lines.push(
      "-- this failure depends on the clock (PGlite's millisecond statement_timestamp()); on a server it may not reproduce",
    );
  if (cx.messages.some((m) => m.statements.some((s) => s.kind === 'read' || s.kind === 'base'))) {
    lines.push(
      '',
      '-- the harness (checked read, base tables and their sync), needed by the statements below:',
    );
    for (const f of harnessFiles()) lines.push(f.sql.trimEnd());
  }
  if (src.schema?.setup.length) {
    lines.push('', '-- the rows the tv_ rows reference (tenants, parents), written once:');
    for (const sql of src.schema.setup) lines.push(`${sql};`);
  }
  for (const [i, m] of cx.messages.entries()) {
    lines.push('', `-- message ${i + 1}${m.expectError ? ' (must fail: it leaves no bump)' : ''}`);
    for (const s of m.statements) {
      if (m.statements.length > 1 || s.bumps.length > 0) {
        lines.push(`--   must bump: ${s.bumps.length ? s.bumps.map(short).join(', ') : 'nothing'}`);
      }
    }
    lines.push(scriptMessage(m));
  }
  lines.push('', '-- what the design did:');
  for (const v of cx.violations) lines.push(`--   ${describeViolation(v)}`);
  lines.push(
    src.schema?.versions ??
      'SELECT tenant_id, domain, version FROM turbo.v_domain_version ORDER BY tenant_id, domain;',
  );
  // The run judged the versions inside the transaction and stopped there: what it sent next was a
  // ROLLBACK, never the transaction's own end. The script ends the same way.
  if (endsInsideTransaction(cx.messages))
    lines.push(
      'ROLLBACK; -- the run stopped here, inside the transaction, and rolled it back: its own end was never sent',
    );
  lines.push('');
  return lines.join('\n');
}

/** Whether the last message sent left a transaction open (it is inside one, and not its COMMIT or ROLLBACK). */
function endsInsideTransaction(messages: PlannedMessage[]): boolean {
  const last = messages.at(-1);
  return (
    last?.inTransaction === true &&
    last.sql !== transactionSql.end('commit') &&
    last.sql !== transactionSql.end('rollback')
  );
}

/** A pair as `a/price`: the tenant's last letter and the domain. */
export function shortPair(tenant: string, domain: string): string {
  return `${tenant.slice(-1)}/${domain}`;
}

function short(key: string): string {
  const { tenant, domain } = splitPair(key);
  return shortPair(tenant, domain);
}

/** One line for a violation, e.g. `MISSED tenant …0a domain price: expected version 2, observed 1 (message 3)`. */
export function describeViolation(v: Violation): string {
  if (v.tenant === undefined) return `${v.kind} at message ${v.message + 1}: ${v.detail ?? ''}`;
  return `${v.kind} tenant ${v.tenant} domain ${v.domain}: expected version ${v.expected}, observed ${v.observed} (message ${v.message + 1})`;
}
