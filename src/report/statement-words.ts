import type { PlannedMessage } from '../model/plan.js';
import { type Predicate, type Statement, TENANTS, type TenantRef, type Write } from '../model/workload.js';

// A statement in words, for the descriptions of pgTAP tests: what a reviewer needs to recognise the
// statement in the file above the test, not its SQL again.

/** A tenant as the reports name it: the last letter of its UUID (a, b, c). */
export function tenantLetter(t: TenantRef | string): string {
  const uuid = typeof t === 'number' ? (TENANTS[t] ?? String(t)) : t;
  return uuid.slice(-1);
}

const tenantList = (ts: TenantRef[]) => [...new Set(ts.map(tenantLetter))].sort().join(', ');
const rowsOf = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function predicateWords(where: Predicate): string {
  switch (where.kind) {
    case 'all':
      return 'every row';
    case 'none':
      return 'no row';
    case 'tenant':
      return `the rows of ${tenantLetter(where.tenant)}`;
    case 'idMod':
      return `the rows with id % ${where.modulus} = ${where.remainder}`;
  }
}

function writeWords(w: Write): string {
  switch (w.kind) {
    case 'insert':
      return w.tenants.length === 0
        ? `INSERT of no row into ${w.domain}`
        : `INSERT of ${rowsOf(w.tenants.length)} for ${tenantList(w.tenants)} into ${w.domain}${w.failing ? ', failing on a duplicate id' : ''}`;
    case 'update':
      return w.moveTo === undefined
        ? `UPDATE of ${predicateWords(w.where)} of ${w.domain}`
        : `UPDATE moving ${predicateWords(w.where)} of ${w.domain} to ${tenantLetter(w.moveTo)}`;
    case 'delete':
      return `DELETE of ${predicateWords(w.where)} of ${w.domain}`;
    case 'upsert':
      return `INSERT ... ON CONFLICT DO UPDATE of ${rowsOf(w.rows.length)} (${tenantList(w.rows.map((r) => r.tenant))}) into ${w.domain}`;
    case 'truncate':
      return `TRUNCATE of ${w.domains.join(', ')}`;
    case 'cte':
      return `one statement writing ${w.parts.map(writeWords).join('; ')} in CTEs`;
    case 'insertSelect':
      return `INSERT into ${w.domain} SELECT ${predicateWords(w.where)} of ${w.from}`;
    case 'updateFrom':
      return `UPDATE of ${w.domain} FROM ${predicateWords(w.where)} of ${w.from}${w.takeTenant ? ', taking their tenant' : ''}`;
    case 'deleteUsing':
      return `DELETE from ${w.domain} USING ${predicateWords(w.where)} of ${w.from}`;
    case 'insertIgnore':
      return `INSERT ... ON CONFLICT DO NOTHING of ${rowsOf(w.rows.length)} (${tenantList(w.rows.map((r) => r.tenant))}) into ${w.domain}`;
    case 'merge':
      return `MERGE of ${rowsOf(w.rows.length)} (${tenantList(w.rows.map((r) => r.tenant))}) into ${w.domain}`;
    case 'insertChild':
      return `INSERT of ${rowsOf(w.rows.length)} referencing ${w.foreignKey}`;
    case 'rekey':
      return `renumbering ${predicateWords(w.where)} of ${w.domain} (foreign keys follow)`;
    case 'base': {
      const op =
        w.op.kind === 'insert'
          ? `INSERT for ${tenantList(w.op.tenants)}`
          : w.op.kind === 'update'
            ? `UPDATE of ${predicateWords(w.op.where)}${w.op.moveTo === undefined ? '' : ` to ${tenantLetter(w.op.moveTo)}`}`
            : `DELETE of ${predicateWords(w.op.where)}`;
      return `${op} on the base table of ${w.domain}, synced by ${w.sync}`;
    }
  }
}

/** A statement of a workload in words, e.g. `UPDATE moving every row of price to b`. */
export function statementWords(s: Statement): string {
  return s.kind === 'read'
    ? `cached read ${s.read} as ${tenantLetter(s.tenant)}${s.tenantOnly ? ' (its tenant only)' : ''}`
    : writeWords(s);
}

/** A message in words: its one statement, or what kind of message holds several. */
export function messageWords(m: PlannedMessage): string {
  if (m.statements.length === 1 && m.parts.length === 1 && m.statements[0])
    return statementWords(m.statements[0].write);
  if (m.statements.length === 0) return m.sql.split('\n')[0] ?? m.sql;
  const head = m.sql.trimStart();
  const kind = head.startsWith('DO')
    ? 'a DO block'
    : head.startsWith('CREATE') && head.includes('FUNCTION')
      ? 'a function created and called'
      : m.binds
        ? 'parameterized queries'
        : m.copy
          ? 'a COPY'
          : head.startsWith('PREPARE')
            ? 'prepared statements'
            : 'one message';
  return `${kind} of ${m.statements.length} statement${m.statements.length === 1 ? '' : 's'}`;
}
