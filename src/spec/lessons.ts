import { SCENARIOS } from './scenarios.js';

/**
 * The learning path through the scenarios, and the catalogue entries (docs/defects.md,
 * docs/coherence.md) that explain each way a design is known to break the promise. Data only: the
 * reports turn it into "why" and "what next" lines.
 */

/** One group of scenarios on the learning path, in the order a learner should run them. */
export interface PathGroup {
  title: string;
  scenarios: string[];
}

/** The learning path: `list` prints these groups in order; the first scenario is where to start. */
export const LEARNING_PATH: PathGroup[] = [
  { title: "Start here: the seed's own test", scenarios: ['loop-vs-batch'] },
  {
    title: 'One bump per statement, per tenant',
    scenarios: ['batch-1000', 'multi-tenant', 'multi-statement-message', 'tenant-move'],
  },
  { title: 'Cascades', scenarios: ['cascade-contract', 'cascade-contract-item'] },
  { title: 'Cached reads', scenarios: ['cache-single-domain', 'cache-multi-domain', 'turbo-router'] },
  { title: "Operating the seed's tracker", scenarios: ['maintenance'] },
];

/** The scenario the learning path starts with. */
export const START_SCENARIO: string = LEARNING_PATH[0]?.scenarios[0] ?? '';

/** The path's groups, plus any scenario the path does not place yet, so that `list` shows every one. */
export function pathGroups(): PathGroup[] {
  const placed = new Set(LEARNING_PATH.flatMap((g) => g.scenarios));
  const rest = SCENARIOS.map((s) => s.name).filter((n) => !placed.has(n));
  return rest.length ? [...LEARNING_PATH, { title: 'More', scenarios: rest }] : LEARNING_PATH;
}

/** The scenarios in learning-path order. */
export function pathOrder(): string[] {
  return pathGroups().flatMap((g) => g.scenarios);
}

/** The scenario after `name` on the path, or null after the last one. */
export function nextScenario(name: string): string | null {
  const order = pathOrder();
  const i = order.indexOf(name);
  return i < 0 ? null : (order[i + 1] ?? null);
}

/** One entry of the defect catalogue: a known way to break the promise, and where it is explained. */
export interface DefectEntry {
  /** The entry's label in its document (D1, C1, ...). */
  id: string;
  title: string;
  /** The mechanism, in one sentence. */
  why: string;
  /** What the failure looks like in a report: bumps MISSED, or a cached read STALE. */
  kind: 'MISSED' | 'STALE';
  /** Document and anchor, relative to the package root: `docs/defects.md#d1-...`. */
  doc: string;
  /** The designs the entry was measured on. */
  designs: string[];
  /** Scenarios whose failure this entry explains. */
  scenarios: string[];
  /** Properties whose failure this entry explains. */
  properties: string[];
}

const SEEDS = ['seed', 'seed-on-conflict'];
const defects = (anchor: string) => `docs/defects.md#${anchor}`;

/** The catalogue entries the reports link to; each anchor is a heading of its document (a test checks). */
export const DEFECTS: DefectEntry[] = [
  {
    id: 'D1',
    title: 'Statements in one message share one tracker key',
    why: 'the tracker key holds statement_timestamp(), the time the client message arrived, so every statement of a message after the first finds its key taken and bumps nothing',
    kind: 'MISSED',
    doc: defects('d1-statements-in-one-message-share-one-tracker-key'),
    designs: SEEDS,
    scenarios: ['multi-statement-message'],
    properties: ['multi-statement-message'],
  },
  {
    id: 'D2',
    title: 'Statements in a DO block or a function share one tracker key',
    why: 'a DO block is one client message: its 1000 INSERTs share statement_timestamp() and so one tracker key, and only the first bumps',
    kind: 'MISSED',
    doc: defects('d2-statements-in-a-do-block-or-a-function-share-one-tracker-key'),
    designs: SEEDS,
    scenarios: ['loop-vs-batch'],
    properties: ['do-block'],
  },
  {
    id: 'D3',
    title: 'Back-to-back statements under a millisecond clock',
    why: "PGlite's statement_timestamp() has millisecond resolution, so two messages within one millisecond share a tracker key",
    kind: 'MISSED',
    doc: defects('d3-back-to-back-statements-under-a-millisecond-clock-pglite-only'),
    designs: SEEDS,
    scenarios: [],
    properties: ['back-to-back'],
  },
  {
    id: 'D4',
    title: 'UPDATE moving a row to another tenant bumps only the new tenant',
    why: 'COALESCE(NEW.tenant_id, OLD.tenant_id) takes the new tenant whenever there is one, so the tenant that lost the row keeps its version and its cached answers',
    kind: 'MISSED',
    doc: defects('d4-update-moving-a-row-to-another-tenant-bumps-only-the-new-tenant'),
    designs: SEEDS,
    scenarios: ['tenant-move'],
    properties: ['tenant-move'],
  },
  {
    id: 'D5',
    title: 'TRUNCATE bumps nothing',
    why: 'TRUNCATE fires no row-level trigger, and the seed declares only row triggers for INSERT, UPDATE and DELETE',
    kind: 'MISSED',
    doc: defects('d5-truncate-bumps-nothing'),
    designs: SEEDS,
    scenarios: [],
    properties: ['truncate'],
  },
  {
    id: 'D6',
    title: 'An upsert that re-tenants a row bumps only the new tenant',
    why: 'ON CONFLICT DO UPDATE fires the UPDATE row trigger, which, as in D4, sees only the new tenant',
    kind: 'MISSED',
    doc: defects('d6-an-upsert-that-re-tenants-a-row-bumps-only-the-new-tenant'),
    designs: SEEDS,
    scenarios: [],
    properties: ['upsert'],
  },
  {
    id: 'D7',
    title: 'A writable CTE writing contract_item before contract skips the contract cascade',
    why: 'one statement, one tracker key: the contract_item row fires first and takes the contract key through its cascade, so the contract row skips its bump and its whole cascade (allocation)',
    kind: 'MISSED',
    doc: defects('d7-a-writable-cte-writing-contract_item-before-contract-skips-the-contract-cascade'),
    designs: SEEDS,
    scenarios: [],
    properties: ['writable-cte'],
  },
  {
    id: 'C1',
    title: 'The MAX-of-versions multi-domain check serves stale responses',
    why: 'a response guarded by several domains is cached at the MAX of their versions, which does not move when a lower version is bumped; the SUM would',
    kind: 'STALE',
    doc: 'docs/coherence.md#c1-the-max-of-versions-multi-domain-check-serves-stale-responses-every-design-on-the-published-read-path',
    designs: SEEDS,
    scenarios: ['cache-multi-domain'],
    properties: ['coherence-multi-domain'],
  },
  {
    id: 'stale',
    title: 'Every missed bump becomes a stale read',
    why: 'a read cached before a write whose bump was missed keeps matching the version, so it is served after the write',
    kind: 'STALE',
    doc: 'docs/coherence.md#verdicts-turbo-sim-check---property-coherence-coherence-multi-domain-tenant-isolation---runs-200',
    designs: SEEDS,
    scenarios: [],
    properties: ['coherence'],
  },
  {
    id: 'transactions',
    title: 'A limit every design shares: transactions of several statements',
    why: "deferred applies a transaction's bumps at COMMIT: until then the transaction does not see its own bumps in turbo.tb_domain_version",
    kind: 'MISSED',
    doc: defects('a-limit-every-design-shares-transactions-of-several-statements'),
    designs: ['deferred'],
    scenarios: [],
    properties: ['transaction', 'mixed', 'tenant-isolation'],
  },
];

/** A catalogue entry that explains a failure, and whether it was measured on this very design. */
export interface Diagnosis {
  entry: DefectEntry;
  /** False: the entry explains how a published design fails there, not necessarily this one. */
  measured: boolean;
}

/**
 * The entries that explain a failing scenario or property for a design, among those whose kind of
 * failure was seen: those measured on the design, or else those measured on the published designs
 * (a hint, not a finding).
 */
export function diagnose(
  design: string,
  failing: { scenario: string } | { property: string },
  seen: string[],
): Diagnosis[] {
  const matches = DEFECTS.filter(
    (d) =>
      seen.includes(d.kind) &&
      ('scenario' in failing
        ? d.scenarios.includes(failing.scenario)
        : d.properties.includes(failing.property)),
  );
  const own = matches.filter((d) => d.designs.includes(design));
  if (own.length > 0) return own.map((entry) => ({ entry, measured: true }));
  return matches.filter((d) => d.designs.includes('seed')).map((entry) => ({ entry, measured: false }));
}
