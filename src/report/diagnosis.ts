import type { ReadPath } from '../engine/design/install.js';
import type { MessageAccount } from '../verify/counterexample.js';
import type { Diagnosis, DiagnosisClass } from '../verify/diagnosis.js';
import type { Split } from '../verify/experiment.js';
import { shortPair } from './counterexample.js';

/** The heading behind each link {@link docLink} made, so that a page can title the entry it links. */
const HEADINGS = new Map<string, string>();

/** A heading of docs/defects.md or docs/coherence.md, linked the way GitHub anchors it. */
function docLink(file: 'defects' | 'coherence', heading: string): string {
  const slug = heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
  const link = `docs/${file}.md#${slug}`;
  HEADINGS.set(link, heading);
  return link;
}

/** The heading of a catalogue entry by its link (`docs/defects.md#d1-...`), or the link itself. */
export const docHeading = (link: string) => HEADINGS.get(link) ?? link;

/** The link of an entry of docs/defects.md, by its heading. */
export const DEFECT = (h: string) => docLink('defects', h);
const COHERENCE = (h: string) => docLink('coherence', h);

/** What a class means, where its entry is, and what to change (pointing to how robust does it). */
interface ClassText {
  line: string;
  doc: string | null;
  fix: string | null;
}

const CLASSES: Record<Exclude<DiagnosisClass, 'read-path'>, ClassText> = {
  'per-row': {
    line: 'bumps once per row: a statement touching several rows of one tenant bumps that tenant several times (no dedup per statement)',
    doc: DEFECT('P1. Bumping per row'),
    fix: "keep the pairs a statement already bumped and bump each once, as robust's statement-level triggers do from their transition tables (sql/designs/robust/)",
  },
  'per-trigger': {
    line: 'bumps once per trigger firing: an upsert fires both the INSERT and the UPDATE trigger, a writable CTE one trigger per table, and a cascade target shared by two touched domains is bumped by each; each bumped',
    doc: DEFECT('P2. Bumping per trigger'),
    fix: 'collect the pairs of every trigger a statement fires and bump their union once at its last AFTER trigger, as robust does (sql/designs/robust/)',
  },
  'message-key': {
    line: 'dedup keyed on the clock or the client message: statements in one message, DO block or function share statement_timestamp() and count as one',
    doc: DEFECT('D1. Statements in one message share one tracker key'),
    fix: 'key the dedup on the statement, not on statement_timestamp() or the message: robust opens a statement at its first BEFORE STATEMENT trigger and closes it at its last AFTER trigger (sql/designs/robust/)',
  },
  'clock-key': {
    line: "dedup keyed on statement_timestamp(): statements sent back to back within one tick of PGlite's millisecond clock count as one (this failure depends on timing)",
    doc: DEFECT('D3. Back-to-back statements under a millisecond clock (PGlite only)'),
    fix: 'key the dedup on the statement, not on a clock: robust needs no timestamp at all (sql/designs/robust/)',
  },
  'per-transaction': {
    line: 'dedup keyed on the transaction: a later statement of the same transaction bumps nothing',
    doc: DEFECT('P3. Dedup per transaction'),
    fix: "key the dedup on the statement, not on txid_current(): robust's statement ends at its last AFTER trigger, however many share the transaction (sql/designs/robust/)",
  },
  'old-tenant': {
    line: "a statement that moves a row to another tenant bumps only the new tenant: the old tenant's caches stay",
    doc: DEFECT('D4. UPDATE moving a row to another tenant bumps only the new tenant'),
    fix: "bump the tenants of both OLD and NEW rows of an UPDATE, MERGE or upsert, as robust's UPDATE triggers read both transition tables (sql/designs/robust/)",
  },
  'truncate-ignored': {
    line: 'TRUNCATE bumps nothing: it fires no row trigger, only a TRUNCATE statement trigger',
    doc: DEFECT('D5. TRUNCATE bumps nothing'),
    fix: 'add a BEFORE TRUNCATE statement trigger that bumps every tenant with rows in the table, as robust does (sql/designs/robust/)',
  },
  'missing-cascade-edge': {
    line: 'a cascade target of a touched domain was not bumped: the design lacks a cascade edge of the graph',
    doc: DEFECT('P4. A missing or extra cascade edge'),
    fix: "read the cascade from turbo.tb_domain_dependency (the domain file) instead of a hard-coded list, as robust's triggers are built from it (sql/designs/robust/)",
  },
  'extra-cascade-edge': {
    line: 'a domain the statement did not have to bump was bumped: the design has a cascade edge the graph does not',
    doc: DEFECT('P4. A missing or extra cascade edge'),
    fix: "read the cascade from turbo.tb_domain_dependency (the domain file) instead of a hard-coded list, as robust's triggers are built from it (sql/designs/robust/)",
  },
  'one-level-cascade': {
    line: 'the graph is transitive but the design cascades one level: a target two edges away is not bumped',
    doc: DEFECT('D8. One-level cascade'),
    fix: 'close the cascade over the graph (every target of a target), as robust does when the domain file says "transitive" (sql/designs/robust/)',
  },
  'cte-order': {
    line: "a writable CTE writing several tables misses a cascade target: the design counts the statement's parts as one key",
    doc: DEFECT('D7. A writable CTE writing contract_item before contract skips the contract cascade'),
    fix: "remember pairs per statement, not per key taken by the first row: each table of the statement adds its own cascade, as robust's pending pairs do (sql/designs/robust/)",
  },
  'missed-bumps-read': {
    line: 'a reader saw missed bumps: an earlier message did not bump what it had to (see what fired); the triggers are at fault, not the read path',
    doc: COHERENCE('Cache coherence: does a cached read ever return what a fresh build would not?'),
    fix: 'fix the bumps first (the diagnosis of the failing bump property); the read path is not at fault',
  },
  'tenant-leak': {
    line: "a read returned another tenant's response, or a statement bumped a tenant it did not touch",
    doc: COHERENCE('Tenant isolation'),
    fix: 'scope every cache key and every bump to the tenant of the rows, as robust bumps only pairs from its transition tables (sql/designs/robust/)',
  },
  'design-error': {
    line: 'the design raised an error where the statement must succeed (or let it succeed where it must fail)',
    doc: null,
    fix: "see the error in the account above: the design's SQL fails where it must not (or lets a failing statement succeed)",
  },
  unknown: {
    line: 'no known class: the evidence (the account of what fired above, and the replays split up) does not single out one',
    doc: null,
    fix: null,
  },
};

/** The diagnosis as one line and a link, for people and for JSON. */
export function describeDiagnosis(d: Diagnosis, readPath: ReadPath): ClassText {
  return describeClass(d.class, readPath);
}

/** One class of diagnosis as one line and a link (also what a scenario's lesson links to). */
export function describeClass(cls: DiagnosisClass, readPath: ReadPath): ClassText {
  if (cls !== 'read-path') return CLASSES[cls];
  return readPath === 'design'
    ? {
        line: "every bump was right, yet the read was stale: the design's own read path (turbo.fn_domains_version) misses a bump, as the published MAX of several domains' versions does",
        doc: COHERENCE(
          'C1. The MAX-of-versions multi-domain check serves stale responses (every design on the published read path)',
        ),
        fix: "compare the SUM of the guarding domains' versions, not their MAX, as the base layer's read path does (sql/base/)",
      }
    : {
        line: 'every bump was right, yet the read was stale on the base read path: the builder reads a table its guarding domains do not cover',
        doc: COHERENCE(
          'C4. Cascade depth: a one-level cascade leaves deeper responses stale (every design, by specification)',
        ),
        fix: 'guard each response with every domain its builder reads, or make the cascade reach them (a transitive graph)',
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

/** What each replay of a counterexample sent, in words. */
export const SPLITS: Record<Split, string> = {
  'as-run': 'as the run sent it',
  messages: 'its statements as separate messages of one transaction',
  transactions: 'its statements each in its own transaction',
  paced: 'with a pause between messages',
};

/** How the counterexample fared sent again split up: the evidence its diagnosis rests on. */
export function formatReplays(replays: { split: Split; reproduced: boolean }[]): string[] {
  return replays.map((r) => `  ${SPLITS[r.split]}: ${r.reproduced ? 'MISSED again' : 'every bump made'}`);
}
