import type { DomainGraph } from '../model/domain-graph.js';
import type { PlannedMessage } from '../model/plan.js';
import type { Judge } from '../model/properties.js';
import { sqlLiteral } from '../model/sql/literals.js';
import { type PairKey, splitPair, type Versions } from '../model/versions.js';
import { type Read, TENANTS, tenantOf } from '../model/workload.js';
import { messageWords, statementWords, tenantLetter } from './statement-words.js';

// The pgTAP tests of one message: what the specification says it must do, as `is()` and `ok()`
// calls on what the database shows. A test is either run at once or, inside the workload's own
// transaction, its observed value is kept in a psql variable and the test runs once the transaction
// is over: pgTAP counts its tests in temporary tables, which a ROLLBACK would take back.

/** One pgTAP test: the observed value as SQL, what it must equal, and what it says. */
export interface TapCheck {
  /** SQL of the observed value (`:ERROR` for psql's error flag of the message). */
  observed: string;
  /** SQL of the expected value. */
  expected: string;
  /** The expected value is read from the database too (a fresh build), at the same moment as the observed one. */
  expectedLive?: boolean;
  /** How the value is kept in a psql variable and read back: as text, cast back to this type. */
  type: 'bigint' | 'text' | 'boolean';
  description: string;
}

/** `a/price` for a pair key. */
export function pairWords(key: PairKey): string {
  const { tenant, domain } = splitPair(key);
  return `${tenantLetter(tenant)}/${domain}`;
}

const list = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

/** Every version above 0 as the helper turbo_sim_versions prints it: `a/price=2 b/price=1` (C order). */
export function versionsText(v: Versions, except: Set<PairKey>): string {
  return [...v]
    .filter(([k, n]) => n !== 0 && !except.has(k))
    .map(([k, n]) => `${pairWords(k)}=${n}`)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    .join(' ');
}

/** The pairs whose expected version a message changes. */
function changedPairs(before: Versions, after: Versions): PairKey[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => (before.get(k) ?? 0) !== (after.get(k) ?? 0)).sort();
}

/** What the checks of a message need to know besides the message. */
export interface MessageContext {
  /** 1-based message number. */
  number: number;
  /** The number of the message's first statement, counted over the whole workload. */
  firstStatement: number;
  /** The model's versions before the message. */
  before: Versions;
  judge: Judge;
}

/** The error test of a message: it fails when it must, and only then. */
export function errorCheck(m: PlannedMessage, c: MessageContext): TapCheck {
  const what = `message ${c.number} (${messageWords(m)})`;
  const reads = m.statements.some((s) => s.kind === 'read');
  return m.expectError
    ? { observed: ':ERROR', expected: 'true', type: 'boolean', description: `${what} fails, as it must` }
    : {
        observed: ':ERROR',
        expected: 'false',
        type: 'boolean',
        description: `${what} runs without error${reads ? ' (a cached read serving a stale or foreign response raises in the harness)' : ''}`,
      };
}

/** The version tests of a message under the judge `exact`: one per pair it changes, one for the rest. */
export function versionChecks(m: PlannedMessage, c: MessageContext): TapCheck[] {
  const changed = changedPairs(c.before, m.versions);
  const checks = changed.map((key): TapCheck => {
    const { tenant, domain } = splitPair(key);
    const bumpers = m.statements.flatMap((s, i) =>
      s.bumps.includes(key) ? [{ n: c.firstStatement + i, words: statementWords(s.write) }] : [],
    );
    const version = m.versions.get(key) ?? 0;
    const who =
      bumpers.length === 0
        ? `message ${c.number} (${messageWords(m)}) takes back the bumps of`
        : `statement${bumpers.length > 1 ? 's' : ''} ${list(bumpers.map((b) => String(b.n)))} (${bumpers.map((b) => b.words).join('; ')}) bump${bumpers.length > 1 ? '' : 's'}`;
    return {
      observed: `pg_temp.turbo_sim_version(${sqlLiteral(tenant)}, ${sqlLiteral(domain)})`,
      expected: `${version}::bigint`,
      type: 'bigint',
      description: `${who} ${pairWords(key)}: version ${version}`,
    };
  });
  const except = `ARRAY[${changed.map((k) => sqlLiteral(pairWords(k))).join(', ')}]::text[]`;
  checks.push({
    observed: `pg_temp.turbo_sim_versions(${except})`,
    expected: sqlLiteral(versionsText(m.versions, new Set(changed))),
    type: 'text',
    description: `message ${c.number} (${messageWords(m)}) bumps nothing ${changed.length ? 'else' : 'at all'}`,
  });
  return checks;
}

/** The tenants of the workload a message touches none of (its bumps, or the bumps it takes back). */
export function untouchedTenants(m: PlannedMessage): string[] {
  const keys = [...m.statements.flatMap((s) => s.bumps), ...(m.undoes ?? [])];
  const touched = new Set(keys.map((k) => tenantLetter(splitPair(k).tenant)));
  return TENANTS.map(tenantLetter).filter((t) => !touched.has(t));
}

/** The observed versions of `tenants`, for the isolation judge (kept before the message, compared after). */
export function tenantVersions(tenants: string[]): string {
  return `pg_temp.turbo_sim_versions('{}', ARRAY[${tenants.map(sqlLiteral).join(', ')}]::text[])`;
}

/** A cached read's test: what it serves against a fresh build (or, tenant only, whose response it is). */
export function readCheck(read: Read, graph: DomainGraph, c: MessageContext): TapCheck {
  const r = (graph.reads ?? []).find((x) => x.name === read.read);
  if (!r) throw new Error(`read ${read.read} is not in the graph`);
  const tenant = tenantOf(read.tenant);
  const served = `pg_temp.turbo_sim_served(${sqlLiteral(tenant)}, ${sqlLiteral(r.name)}, ARRAY[${r.domains.map(sqlLiteral).join(', ')}], ${sqlLiteral(r.builder)})`;
  const what = `message ${c.number}: ${statementWords(read)}`;
  return read.tenantOnly
    ? {
        observed: `${served} ->> 'tenant'`,
        expected: sqlLiteral(tenant),
        type: 'text',
        description: `${what} serves ${tenantLetter(tenant)}'s own response`,
      }
    : {
        observed: `(${served})::text`,
        expected: `turbo.fn_call_builder(${sqlLiteral(r.builder)}, '{}'::jsonb)::text`,
        expectedLive: true,
        type: 'text',
        description: `${what} serves what a fresh build returns`,
      };
}
