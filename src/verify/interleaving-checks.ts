import type { Database, SqlError } from '../engine/database.js';
import { harnessFinding } from '../engine/harness.js';
import { readVersions } from '../engine/state.js';
import type { CachedRead } from '../model/domain-graph.js';
import { pairKey, type Versions } from '../model/versions.js';
import type { ConcurrencyViolation, InterleavingRun, StoredRead } from './interleaving.js';
import { type At, compareVersions } from './verdict.js';

/**
 * The checks of a concurrent run that need the database: at a quiet point (no session inside a
 * step), the versions and every response the read path would serve; after a read, a fresh build to
 * compare it with. All run on the scheduler's control connection, whose reads never pause.
 */

/** Versions-exact at a quiet point: expected (start plus every session's committed bumps) against the table. */
export async function versionViolations(
  control: Database,
  expected: Versions,
  at: At,
): Promise<ConcurrencyViolation[]> {
  return compareVersions(expected, await readVersions(control), at).map((v) => ({
    ...v,
    property: 'versions-exact',
  }));
}

/**
 * No stale set at a quiet point: every cache row of a read that the design's read path would serve
 * equals a fresh build (sql/harness/30-pause-point.sql; what it stores on a miss is rolled back).
 */
export async function staleSetViolations(
  control: Database,
  reads: CachedRead[],
  at: At,
): Promise<ConcurrencyViolation[]> {
  const spec = JSON.stringify(reads.map((r) => ({ name: r.name, domains: r.domains, builder: r.builder })));
  const rows = await control.query<{ read: string; tenant: string; served: string; fresh: string }>(
    'SELECT read, tenant::text AS tenant, served::text AS served, fresh::text AS fresh FROM turbo_sim.fn_stale_reads($1::jsonb)',
    [spec],
  );
  return rows.map((r) => ({
    kind: 'STALE',
    property: 'no-stale-set',
    ...at,
    tenant: r.tenant,
    read: r.read,
    detail: `the read path serves ${r.served} but a fresh build is ${r.fresh}`,
  }));
}

/** What `read`'s builder returns for `tenant` now, as jsonb text (comparable with a served response's). */
export async function freshBuild(control: Database, read: CachedRead, tenant: string): Promise<string> {
  const [row] = await control.query<{ fresh: string }>(
    'SELECT turbo_sim.fn_fresh_build($1, $2)::text AS fresh',
    [tenant, read.builder],
  );
  return row?.fresh ?? 'null';
}

/** The version a read's response is guarded by, as state.ts reads versions: the sum over its domains. */
export async function guardVersion(control: Database, read: CachedRead, tenant: string): Promise<number> {
  const versions = await readVersions(control);
  return read.domains.reduce((n, d) => n + (versions.get(pairKey(tenant, d)) ?? 0), 0);
}

/** The version the cache row of (read, tenant) carries, or null when there is none. */
export async function storedVersion(
  control: Database,
  read: CachedRead,
  tenant: string,
): Promise<number | null> {
  const [row] = await control.query<{ v: string }>(
    "SELECT cache_version::text AS v FROM turbo.tb_graphql_cache WHERE tenant_id = $1 AND query_type = $2 AND query_key = 'all'",
    [tenant, read.name],
  );
  return row ? Number(row.v) : null;
}

/** The class of a concurrent violation, with the evidence it rests on. */
export interface ConcurrencyDiagnosis {
  /**
   * stale-set: a read built its response, another session's COMMIT was acknowledged, and the read
   * stored the response under a version newer than the one it built at. unknown: nothing in the
   * account shows how the violation came about.
   */
  class: 'stale-set' | 'unknown';
  store?: StoredRead;
}

/** Diagnoses the first violation of a run from its account (the stores the scheduler recorded). */
export function diagnose(run: InterleavingRun): ConcurrencyDiagnosis {
  const v = run.violations[0];
  if (!v?.read) return { class: 'unknown' };
  const store = [...run.stores]
    .reverse()
    .find(
      (s) =>
        s.read === v.read &&
        s.tenant === v.tenant &&
        s.commitsBetween.length > 0 &&
        s.storedVersion !== null &&
        s.storedVersion > s.versionAtBuild,
    );
  return store ? { class: 'stale-set', store } : { class: 'unknown' };
}

/** A violation as the checks find it, before the scheduler adds where (event and session). */
export type Finding = Omit<ConcurrencyViolation, 'message' | 'statement' | 'session'>;

/**
 * What a read that ended must satisfy: its own tenant's response (tenant-isolation), and, when no
 * session committed while it ran (`quiet`), what a fresh build returns (real-time).
 */
export async function readViolations(
  control: Database,
  read: CachedRead,
  tenant: string,
  served: string,
  quiet: boolean,
): Promise<Finding[]> {
  const out: Finding[] = [];
  const servedTenant = (JSON.parse(served) as { tenant?: string } | null)?.tenant;
  if (servedTenant !== tenant)
    out.push({
      property: 'tenant-isolation',
      kind: 'LEAK',
      read: read.name,
      tenant,
      detail: `served tenant ${servedTenant}'s response`,
    });
  if (quiet) {
    const fresh = await freshBuild(control, read, tenant);
    if (fresh !== served)
      out.push({
        property: 'real-time',
        kind: 'STALE',
        read: read.name,
        tenant,
        detail: `served ${served} but a fresh build is ${fresh}, and no session committed during the read`,
      });
  }
  return out;
}

const DEADLOCK = '40P01';
const SERIALIZATION = '40001';
const CANCELLED = '57014';

/**
 * What a failed unit means: a deadlock (PostgreSQL's, or the scheduler's cancel of the session
 * that closed a cycle), a serialization failure, or an error, with the violation it shows: a
 * harness finding of a read inside a transaction (LEAK: tenant-isolation; STALE: own-writes, unless
 * another session committed between its two builds), or an error the plan did not expect.
 */
export function failureOf(
  e: SqlError,
  cancelled: boolean,
  expectError: boolean,
  quiet: boolean,
): { outcome: 'deadlock' | 'serialization' | 'error'; violation?: Finding } {
  if (e.code === DEADLOCK || (cancelled && e.code === CANCELLED)) return { outcome: 'deadlock' };
  if (e.code === SERIALIZATION) return { outcome: 'serialization' };
  const finding = harnessFinding(e);
  const detail = finding?.message ?? e.message;
  const read = typeof finding?.detail.read === 'string' ? { read: finding.detail.read } : {};
  const tenant = typeof finding?.detail.tenant === 'string' ? { tenant: finding.detail.tenant } : {};
  if (finding?.kind === 'LEAK')
    return {
      outcome: 'error',
      violation: { property: 'tenant-isolation', kind: 'LEAK', ...read, ...tenant, detail },
    };
  if (finding)
    return quiet
      ? { outcome: 'error', violation: { property: 'own-writes', kind: 'STALE', ...read, ...tenant, detail } }
      : { outcome: 'error' };
  return expectError
    ? { outcome: 'error' }
    : { outcome: 'error', violation: { property: 'errors', kind: 'ERROR', detail } };
}
