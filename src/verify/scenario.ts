import type { Database } from '../engine/database.js';
import type { Design } from '../engine/design/designs.js';
import type { ReadPath } from '../engine/design/install.js';
import { observeRead, type ReadObservation, trackerRows, trackFunctions } from '../engine/observe.js';
import type { DomainGraph } from '../model/domain-graph.js';
import { ReferenceModel } from '../model/model.js';
import { splitPair, unionKeys } from '../model/versions.js';
import { TENANTS } from '../model/workload.js';
import { scenarioUnmet } from '../teaching/scenario-needs.js';
import { SCENARIOS, type Scenario } from '../teaching/scenarios.js';
import { type ObservedMessage, runObserved } from './explain.js';
import { Simulator } from './simulator.js';
import type { BumpCounts } from './verdict.js';

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
  /**
   * The message's number, counted from 1 over the scenario's messages: "[2]" in the text, row 2 of
   * the HTML timeline, `message: 2` here, as check numbers its counterexamples' messages.
   */
  message: number;
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
export interface ReadReport extends ReadObservation {
  kind: 'read';
  title: string;
  tenant: string;
  sql: string;
}

/** Everything `turbo-sim run` shows. */
export interface ScenarioReport {
  scenario: string;
  description: string;
  design: string;
  backend: string;
  /** Whose read path served the cached reads: the base layer's, or the design's own. */
  readPath: ReadPath;
  ok: boolean;
  steps: (MessageReport | ShowReport | ReadReport)[];
  /** On a user's schema (--schema): the flags that read it again, and the scenarios it can run. */
  schema?: { flags: string; scenarios: string[] };
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

function counts(m: BumpCounts): BumpCount[] {
  return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, count]) => ({ ...splitPair(k), count }));
}

/** A lesson shows the turbo schema's functions: the design's triggers and the helpers they call. */
function turboCalls(calls: ObservedMessage['firings']) {
  return (
    calls?.filter((c) => c.name.startsWith('turbo.')).map(({ name, calls: n }) => ({ name, calls: n })) ??
    null
  );
}

async function show(db: Database, title: string, sql: string): Promise<ShowReport> {
  try {
    return { kind: 'show', title, sql, rows: await db.query(sql), error: null };
  } catch (e) {
    return { kind: 'show', title, sql, rows: null, error: (e as Error).message };
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
  const { db, graph } = sim;
  await sim.reset();
  const steps: (MessageReport | ShowReport | ReadReport)[] = [];
  // Not allowed for a non-superuser on a server: the report then says the calls are unknown.
  await trackFunctions(db);
  const model = new ReferenceModel(graph);
  let index = 0;
  for (const step of scenario.steps) {
    if (step.kind === 'read') {
      const tenant = TENANTS[step.tenant] ?? '';
      const observed = await observeRead(db, tenant, step.sql, step.builder, step.params);
      steps.push({ kind: 'read', title: step.title, tenant, sql: step.sql, ...observed });
      continue;
    }
    if (step.kind === 'show') {
      steps.push(await show(db, step.title, step.sql));
      continue;
    }
    let expectedBefore = model.versions();
    for (const message of model.step(step)) {
      await sim.pace(scenario.pauseMs);
      const trackerBefore = await trackerRows(db);
      const observed = await runObserved(sim, index, message, expectedBefore);
      steps.push(messageReport(index, observed, trackerBefore, await trackerRows(db)));
      expectedBefore = message.versions;
      index += 1;
    }
  }
  return scenarioReport(sim, scenario, steps);
}

/**
 * What one message did, for a report: `observed` as {@link runObserved} gives it (or with the bumps
 * compared against another expectation), and the tracker rows counted around it.
 */
export function messageReport(
  index: number,
  { observation, firings, bumps }: ObservedMessage,
  trackerBefore: number | null,
  trackerAfter: number | null,
  statements = observation.message.statements.length,
): MessageReport {
  return {
    kind: 'message',
    message: index + 1,
    sql: observation.message.sql,
    statements,
    error: observation.error?.message ?? null,
    functionCalls: turboCalls(firings),
    trackerRows: trackerBefore === null || trackerAfter === null ? null : trackerAfter - trackerBefore,
    expected: counts(bumps.expected),
    observed: counts(bumps.observed),
    missed: counts(bumps.missed),
    extra: counts(bumps.extra),
    versions: unionKeys(bumps.expected, bumps.observed).map((k) => ({
      ...splitPair(k),
      before: observation.before.get(k) ?? 0,
      after: observation.after.get(k) ?? 0,
      expected: observation.message.versions.get(k) ?? 0,
    })),
  };
}

/** The report of `steps` run on `sim`: the steps, their totals, and whether the promise held. */
export function scenarioReport(
  sim: Simulator,
  scenario: Pick<Scenario, 'name' | 'description'>,
  steps: ScenarioReport['steps'],
): ScenarioReport {
  const messages = steps.filter((s): s is MessageReport => s.kind === 'message');
  const sum = (xs: BumpCount[]) => xs.reduce((n, x) => n + x.count, 0);
  const total = (f: (m: MessageReport) => number) => messages.reduce((n, m) => n + f(m), 0);
  const reads = steps.filter((s): s is ReadReport => s.kind === 'read');
  const summary = {
    statements: total((m) => m.statements),
    expectedBumps: total((m) => sum(m.expected)),
    observedBumps: total((m) => sum(m.observed)),
    missed: total((m) => sum(m.missed)),
    extra: total((m) => sum(m.extra)),
    errors: messages.filter((m) => m.error !== null).length,
    reads: reads.length,
    stale: reads.filter((r) => r.stale).length,
  };
  const ok = summary.missed + summary.extra + summary.stale === 0 && reads.every((r) => r.error === null);
  const { graph } = sim;
  return {
    scenario: scenario.name,
    description: scenario.description,
    design: sim.design.name,
    backend: sim.db.backend,
    readPath: sim.readPath,
    ok,
    steps,
    ...(graph.schema
      ? {
          schema: {
            flags: graph.schema.flags,
            scenarios: SCENARIOS.filter((s) => scenarioUnmet(s, graph) === null).map((s) => s.name),
          },
        }
      : {}),
    summary,
  };
}
