import type { ReadPath } from '../engine/design/install.js';
import type { MessageAccount } from '../verify/counterexample.js';
import type { Diagnosis, DiagnosisClass } from '../verify/diagnosis.js';
import { shortPair } from './counterexample.js';

/** A heading of docs/defects.md or docs/coherence.md, linked the way GitHub anchors it. */
function docLink(file: 'defects' | 'coherence', heading: string): string {
  const slug = heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
  return `docs/${file}.md#${slug}`;
}

const DEFECT = (h: string) => docLink('defects', h);
const COHERENCE = (h: string) => docLink('coherence', h);

/** One line per class, and where its entry is. */
const CLASSES: Record<Exclude<DiagnosisClass, 'read-path'>, { line: string; doc: string | null }> = {
  'per-row': {
    line: 'bumps once per row: a statement touching several rows of one tenant bumps that tenant several times (no dedup per statement)',
    doc: DEFECT('P1. Bumping per row'),
  },
  'per-trigger': {
    line: 'bumps once per trigger firing: an upsert fires both the INSERT and the UPDATE trigger, a writable CTE one trigger per table, and a cascade target shared by two touched domains is bumped by each; each bumped',
    doc: DEFECT('P2. Bumping per trigger'),
  },
  'message-key': {
    line: 'dedup keyed on the clock or the client message: statements in one message, DO block or function share statement_timestamp() and count as one',
    doc: DEFECT('D1. Statements in one message share one tracker key'),
  },
  'clock-key': {
    line: "dedup keyed on statement_timestamp(): statements sent back to back within one tick of PGlite's millisecond clock count as one (this failure depends on timing)",
    doc: DEFECT('D3. Back-to-back statements under a millisecond clock (PGlite only)'),
  },
  'per-transaction': {
    line: 'dedup keyed on the transaction: a later statement of the same transaction bumps nothing',
    doc: DEFECT('P3. Dedup per transaction'),
  },
  'old-tenant': {
    line: "a statement that moves a row to another tenant bumps only the new tenant: the old tenant's caches stay",
    doc: DEFECT('D4. UPDATE moving a row to another tenant bumps only the new tenant'),
  },
  'truncate-ignored': {
    line: 'TRUNCATE bumps nothing: it fires no row trigger, only a TRUNCATE statement trigger',
    doc: DEFECT('D5. TRUNCATE bumps nothing'),
  },
  'missing-cascade-edge': {
    line: 'a cascade target of a touched domain was not bumped: the design lacks a cascade edge of the graph',
    doc: DEFECT('P4. A missing or extra cascade edge'),
  },
  'extra-cascade-edge': {
    line: 'a domain the statement did not have to bump was bumped: the design has a cascade edge the graph does not',
    doc: DEFECT('P4. A missing or extra cascade edge'),
  },
  'one-level-cascade': {
    line: 'the graph is transitive but the design cascades one level: a target two edges away is not bumped',
    doc: DEFECT('D8. One-level cascade'),
  },
  'cte-order': {
    line: "a writable CTE writing several tables misses a cascade target: the design counts the statement's parts as one key",
    doc: DEFECT('D7. A writable CTE writing contract_item before contract skips the contract cascade'),
  },
  'missed-bumps-read': {
    line: 'a reader saw missed bumps: an earlier message did not bump what it had to (see what fired); the triggers are at fault, not the read path',
    doc: COHERENCE('Cache coherence: does a cached read ever return what a fresh build would not?'),
  },
  'tenant-leak': {
    line: "a read returned another tenant's response, or a statement bumped a tenant it did not touch",
    doc: COHERENCE('Tenant isolation'),
  },
  'design-error': {
    line: 'the design raised an error where the statement must succeed (or let it succeed where it must fail)',
    doc: null,
  },
  unknown: { line: 'no known pattern matches; what each message fired is shown above', doc: null },
};

/** The diagnosis as one line and a link, for people and for JSON. */
export function describeDiagnosis(d: Diagnosis, readPath: ReadPath): { line: string; doc: string | null } {
  return describeClass(d.class, readPath);
}

/** One class of diagnosis as one line and a link (also what a scenario's lesson links to). */
export function describeClass(cls: DiagnosisClass, readPath: ReadPath): { line: string; doc: string | null } {
  if (cls !== 'read-path') return CLASSES[cls];
  return readPath === 'design'
    ? {
        line: "every bump was right, yet the read was stale: the design's own read path (turbo.fn_domains_version) misses a bump, as the published MAX of several domains' versions does",
        doc: COHERENCE(
          'C1. The MAX-of-versions multi-domain check serves stale responses (every design on the published read path)',
        ),
      }
    : {
        line: 'every bump was right, yet the read was stale on the base read path: the builder reads a table its guarding domains do not cover',
        doc: COHERENCE(
          'C4. Cascade depth: a one-level cascade leaves deeper responses stale (every design, by specification)',
        ),
      };
}

/** What each message fired, one line each: functions (triggers marked) and bumps expected vs observed. */
export function formatAccount(account: MessageAccount[]): string[] {
  return account.map((a) => {
    const fired =
      a.firings === null
        ? 'functions unknown (statistics not allowed)'
        : a.firings.length === 0
          ? 'no function ran'
          : a.firings.map((f) => `${f.name}${f.trigger ? ' (trigger)' : ''} x${f.calls}`).join(', ');
    const bumps = a.bumps
      .map((b) => `${shortPair(b.tenant, b.domain)} ${b.observed}/${b.expected}`)
      .join(', ');
    return `  message ${a.message + 1}: ${fired}; bumps observed/expected: ${bumps || 'none'}${a.error ? `; error: ${a.error}` : ''}`;
  });
}
