import type { Database } from './database.js';
import type { Design } from './designs.js';
import type { DomainGraph } from './domain-graph.js';
import { type PairKey, ReferenceModel, splitPair, type Versions } from './model.js';
import type { Scenario } from './scenarios.js';
import { Simulator } from './simulator.js';
import { TENANTS } from './workload.js';

/** A (tenant, domain) and by how much one message changed its version. */
export interface BumpCount {
  tenant: string;
  domain: string;
  count: number;
}

/** One (tenant, domain) version around a message: read before, read after, and what the model expects after. */
export interface VersionChange {
  tenant: string;
  domain: string;
  before: number;
  after: number;
  expected: number;
}

/** What one message of a scenario did. */
export interface MessageReport {
  kind: 'message';
  index: number;
  sql: string;
  statements: number;
  error: string | null;
  /** PL/pgSQL functions called while the message ran (trigger functions and what they call), from pg_stat_user_functions. */
  functionCalls: { name: string; calls: number }[] | null;
  /** Rows the message added to the design's statement tracker, if it has one. */
  trackerRows: number | null;
  expected: BumpCount[];
  observed: BumpCount[];
  missed: BumpCount[];
  extra: BumpCount[];
  /** The versions of every pair the message bumped or had to bump. */
  versions: VersionChange[];
}

/** A query a scenario shows, with its rows. */
export interface ShowReport {
  kind: 'show';
  title: string;
  sql: string;
  rows: Record<string, unknown>[] | null;
  error: string | null;
}

/** A cached read of a scenario: what it returned and whether the cache served it. */
export interface ReadReport {
  kind: 'read';
  title: string;
  tenant: string;
  sql: string;
  /** From turbo.tb_cache_read_log: 'hit' or 'miss', null if the read logged nothing. */
  outcome: string | null;
  cacheVersion: number | null;
  currentVersion: number | null;
  response: unknown;
  /** The builder's fresh response differs from what was served. */
  stale: boolean;
  error: string | null;
}

/** Everything `turbo-sim run` prints. */
export interface ScenarioReport {
  scenario: string;
  description: string;
  design: string;
  backend: string;
  ok: boolean;
  steps: (MessageReport | ShowReport | ReadReport)[];
  summary: {
    statements: number;
    expectedBumps: number;
    observedBumps: number;
    missed: number;
    extra: number;
    errors: number;
    reads: number;
    stale: number;
  };
}

function delta(after: Versions, before: Versions): Map<PairKey, number> {
  const out = new Map<PairKey, number>();
  for (const k of new Set([...after.keys(), ...before.keys()])) {
    const d = (after.get(k) ?? 0) - (before.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

function counts(m: Map<PairKey, number>): BumpCount[] {
  return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, count]) => ({ ...splitPair(k), count }));
}

async function functionCalls(db: Database): Promise<Map<string, number> | null> {
  try {
    // Function statistics reach the view only when flushed; forcing a flush in its own message makes
    // the counts exact at each read.
    await db.exec('SELECT pg_stat_force_next_flush()');
    const rows = await db.query<{ name: string; calls: string }>(
      "SELECT schemaname || '.' || funcname AS name, calls::text AS calls FROM pg_stat_user_functions WHERE schemaname = 'turbo'",
    );
    return new Map(rows.map((r) => [r.name, Number(r.calls)]));
  } catch {
    return null;
  }
}

async function trackerRows(db: Database): Promise<number | null> {
  const [exists] = await db.query<{ t: string | null }>(
    "SELECT to_regclass('turbo.tb_statement_version_tracker')::text AS t",
  );
  if (!exists?.t) return null;
  const [r] = await db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM turbo.tb_statement_version_tracker',
  );
  return Number(r?.n ?? 0);
}

/** One cached read as `tenant`, then the builder called directly, so a stale hit shows as one. */
async function cachedRead(
  db: Database,
  title: string,
  tenant: string,
  sql: string,
  builder: string,
  params: Record<string, unknown>,
): Promise<ReadReport> {
  const base = { kind: 'read' as const, title, tenant, sql };
  try {
    await db.query("SELECT set_config('app.tenant_id', $1, false)", [tenant]);
    const [logBefore] = await db.query<{ id: string | null }>(
      'SELECT max(id)::text AS id FROM turbo.tb_cache_read_log',
    );
    const [row] = await db.query<{ response: unknown }>(`SELECT (${sql})::jsonb AS response`);
    const [log] = await db.query<{
      id: string;
      outcome: string;
      cache_version: string | null;
      current_version: string;
    }>(
      // Ordered by the bigint column: ordering by the text output would put id 9 after id 10.
      'SELECT l.id::text AS id, outcome, cache_version::text, current_version::text FROM turbo.tb_cache_read_log l ORDER BY l.id DESC LIMIT 1',
    );
    const logged = log && log.id !== logBefore?.id ? log : undefined;
    const [fresh] = await db.query<{ response: unknown }>(
      'SELECT turbo.fn_call_builder($1, $2::jsonb) AS response',
      [builder, JSON.stringify(params)],
    );
    const stale = JSON.stringify(fresh?.response) !== JSON.stringify(row?.response);
    return {
      ...base,
      outcome: logged?.outcome ?? null,
      cacheVersion: logged?.cache_version == null ? null : Number(logged.cache_version),
      currentVersion: logged ? Number(logged.current_version) : null,
      response: row?.response ?? null,
      stale,
      error: null,
    };
  } catch (e) {
    return {
      ...base,
      outcome: null,
      cacheVersion: null,
      currentVersion: null,
      response: null,
      stale: false,
      error: (e as Error).message,
    };
  }
}

/**
 * Runs a scenario on a fresh database and reports, message by message, what ran, which functions
 * fired, tracker rows written, and expected vs observed bumps. Unlike a property, it goes on after
 * a violation and judges each message by its own change, so a lesson can show every step.
 */
export async function runScenario(
  scenario: Scenario,
  design: Design,
  graph: DomainGraph,
  open?: () => Promise<Database>,
): Promise<ScenarioReport> {
  const sim = await Simulator.create(design, graph, open);
  try {
    return await runScenarioOn(sim, scenario);
  } finally {
    await sim.close();
  }
}

/** {@link runScenario} on an open simulator, which it resets first (for running many scenarios on one database). */
export async function runScenarioOn(sim: Simulator, scenario: Scenario): Promise<ScenarioReport> {
  const { db, design, graph } = sim;
  await sim.reset();
  const steps: (MessageReport | ShowReport | ReadReport)[] = [];
  try {
    await db.exec("SET track_functions = 'all'; SET stats_fetch_consistency = 'none'");
  } catch {
    // Not allowed for a non-superuser on a server: the report then says the calls are unknown.
  }
  const model = new ReferenceModel(graph);
  let index = 0;
  for (const step of scenario.steps) {
    if (step.kind === 'read') {
      steps.push(
        await cachedRead(db, step.title, TENANTS[step.tenant] ?? '', step.sql, step.builder, step.params),
      );
      continue;
    }
    if (step.kind === 'show') {
      try {
        steps.push({
          kind: 'show',
          title: step.title,
          sql: step.sql,
          rows: await db.query(step.sql),
          error: null,
        });
      } catch (e) {
        steps.push({
          kind: 'show',
          title: step.title,
          sql: step.sql,
          rows: null,
          error: (e as Error).message,
        });
      }
      continue;
    }
    let expectedBefore = model.versions();
    for (const message of model.step(step)) {
      if (index > 0 && scenario.pauseMs > 0) await new Promise((r) => setTimeout(r, scenario.pauseMs));
      const callsBefore = await functionCalls(db);
      const trackerBefore = await trackerRows(db);
      const { observation } = await sim.runMessage(index, message);
      const callsAfter = await functionCalls(db);
      const trackerAfter = await trackerRows(db);
      const expected = delta(message.versions, expectedBefore);
      const observed = delta(observation.after, observation.before);
      const missed = new Map<PairKey, number>();
      const extra = new Map<PairKey, number>();
      for (const k of new Set([...expected.keys(), ...observed.keys()])) {
        const d = (observed.get(k) ?? 0) - (expected.get(k) ?? 0);
        if (d < 0) missed.set(k, -d);
        if (d > 0) extra.set(k, d);
      }
      steps.push({
        kind: 'message',
        index,
        sql: message.sql,
        statements: message.statements.length,
        error: observation.error?.message ?? null,
        functionCalls:
          callsBefore && callsAfter
            ? [...callsAfter]
                .map(([name, calls]) => ({ name, calls: calls - (callsBefore.get(name) ?? 0) }))
                .filter((c) => c.calls > 0)
                .sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name))
            : null,
        trackerRows: trackerBefore === null || trackerAfter === null ? null : trackerAfter - trackerBefore,
        expected: counts(expected),
        observed: counts(observed),
        missed: counts(missed),
        extra: counts(extra),
        versions: [...new Set([...expected.keys(), ...observed.keys()])].sort().map((k) => ({
          ...splitPair(k),
          before: observation.before.get(k) ?? 0,
          after: observation.after.get(k) ?? 0,
          expected: message.versions.get(k) ?? 0,
        })),
      });
      expectedBefore = message.versions;
      index += 1;
    }
  }
  const messages = steps.filter((s): s is MessageReport => s.kind === 'message');
  const sum = (xs: BumpCount[]) => xs.reduce((n, x) => n + x.count, 0);
  const reads = steps.filter((s): s is ReadReport => s.kind === 'read');
  const summary = {
    statements: messages.reduce((n, m) => n + m.statements, 0),
    expectedBumps: messages.reduce((n, m) => n + sum(m.expected), 0),
    observedBumps: messages.reduce((n, m) => n + sum(m.observed), 0),
    missed: messages.reduce((n, m) => n + sum(m.missed), 0),
    extra: messages.reduce((n, m) => n + sum(m.extra), 0),
    errors: messages.filter((m) => m.error !== null).length,
    reads: reads.length,
    stale: reads.filter((r) => r.stale).length,
  };
  return {
    scenario: scenario.name,
    description: scenario.description,
    design: design.name,
    backend: db.backend,
    ok:
      summary.missed === 0 &&
      summary.extra === 0 &&
      summary.stale === 0 &&
      reads.every((r) => r.error === null),
    steps,
    summary,
  };
}

const shortTenant = (t: string) => t.slice(-1);
const bumpList = (xs: BumpCount[]) =>
  xs.length === 0
    ? 'none'
    : xs.map((x) => `${shortTenant(x.tenant)}/${x.domain}${x.count === 1 ? '' : ` x${x.count}`}`).join(', ');

function clip(sql: string, max = 240): string {
  const one = sql.length > max ? `${sql.slice(0, max)} ... (${sql.length} chars)` : sql;
  return one.replace(/\n/g, '\n      ');
}

/** The human-readable form of a scenario report. */
export function formatScenarioReport(r: ScenarioReport): string {
  const out = [
    `scenario ${r.scenario} on design ${r.design} (${r.backend})`,
    `  ${r.description}`,
    '  tenants: a = ...000a, b = ...000b, c = ...000c; bumps are tenant/domain',
    '',
  ];
  for (const s of r.steps) {
    if (s.kind === 'read') {
      out.push(`  -> ${s.title} (as tenant ${shortTenant(s.tenant)})`, `     ${clip(`SELECT ${s.sql}`)}`);
      if (s.error) out.push(`     error: ${s.error}`);
      else {
        const versions =
          s.outcome === null ? '' : `: cached at ${s.cacheVersion ?? 'nothing'}, current ${s.currentVersion}`;
        out.push(
          `     ${(s.outcome ?? 'no cache read logged').toUpperCase()}${versions}${s.stale ? '  STALE: differs from a fresh build' : ''}`,
        );
        out.push(`     response: ${clip(JSON.stringify(s.response), 200)}`);
      }
      out.push('');
      continue;
    }
    if (s.kind === 'show') {
      out.push(`  == ${s.title}: ${s.sql}`);
      if (s.error) out.push(`     error: ${s.error}`);
      else if (!s.rows?.length) out.push('     (no rows)');
      else for (const row of s.rows) out.push(`     ${JSON.stringify(row)}`);
      out.push('');
      continue;
    }
    out.push(`  [${s.index + 1}] ${clip(s.sql)}`);
    if (s.statements > 1) out.push(`      statements in this message: ${s.statements}`);
    if (s.error) out.push(`      error: ${s.error}`);
    out.push(
      `      functions called: ${s.functionCalls === null ? 'unknown' : s.functionCalls.length === 0 ? 'none' : s.functionCalls.map((c) => `${c.name} x${c.calls}`).join(', ')}`,
    );
    if (s.trackerRows !== null) out.push(`      tracker rows written: ${s.trackerRows}`);
    out.push(`      bumps expected: ${bumpList(s.expected)}`);
    out.push(`      bumps observed: ${bumpList(s.observed)}`);
    if (s.versions.length)
      out.push(
        `      versions before -> after (expected): ${s.versions.map((v) => `${shortTenant(v.tenant)}/${v.domain} ${v.before} -> ${v.after}${v.after === v.expected ? '' : ` (${v.expected})`}`).join(', ')}`,
      );
    if (s.missed.length) out.push(`      MISSED: ${bumpList(s.missed)}`);
    if (s.extra.length) out.push(`      EXTRA:  ${bumpList(s.extra)}`);
    out.push('');
  }
  const m = r.summary;
  out.push(
    `summary: ${m.statements} statements, ${m.expectedBumps} bumps expected, ${m.observedBumps} observed, ${m.missed} MISSED, ${m.extra} EXTRA, ${m.errors} errors${m.reads ? `, ${m.reads} cached reads (${m.stale} stale)` : ''}: ${r.ok ? 'the design kept the promise' : 'the design broke the promise'}`,
  );
  return out.join('\n');
}
