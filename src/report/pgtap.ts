import type { DomainGraph } from '../model/domain-graph.js';
import type { PlannedMessage } from '../model/plan.js';
import type { Judge } from '../model/properties.js';
import { sqlLiteral } from '../model/sql/literals.js';
import { transactionSql } from '../model/sql/statements.js';
import type { Versions } from '../model/versions.js';
import type { Read } from '../model/workload.js';
import { scriptMessage } from './counterexample.js';
import {
  errorCheck,
  type MessageContext,
  readCheck,
  type TapCheck,
  tenantVersions,
  untouchedTenants,
  versionChecks,
} from './pgtap-checks.js';
import { type HarnessUse, setupSql, startCheck, teardownSql } from './pgtap-session.js';

/** A workload told as a pgTAP file: what it is, its planned messages, how its property judges them. */
export interface PgtapStory {
  /** Comment lines at the head of the file: what it is, where it came from, how to run it. */
  about: string[];
  messages: PlannedMessage[];
  judge: Judge;
  graph: DomainGraph;
}

/** A message that is one cached read: its test replaces it (served against fresh, in one statement). */
function loneRead(m: PlannedMessage): Read | null {
  const [s] = m.statements;
  return m.statements.length === 1 && m.parts.length === 1 && s?.write.kind === 'read' ? s.write : null;
}

/** Whether a transaction of the workload is still open after `m`. */
function openAfter(m: PlannedMessage): boolean {
  return (
    m.inTransaction === true &&
    m.sql !== transactionSql.end('commit') &&
    m.sql !== transactionSql.end('rollback')
  );
}

/**
 * A message as psql must be given it: as the counterexample script has it, except parameterized
 * queries, which psql 15 cannot send with parameters: each is sent on its own with its values in
 * place (untyped literals, typed by the statement as its parameters were).
 */
function messageSql(m: PlannedMessage): string {
  if (!m.binds) return scriptMessage(m);
  return m.binds
    .map((b) => `${b.sql.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(b.params[Number(n) - 1] ?? ''))};`)
    .join('\n');
}

/** What a harness use a workload needs: reads inside larger messages and base-table writes call it. */
function harnessUse(messages: PlannedMessage[]): HarnessUse {
  return {
    checkedRead: messages.some((m) => !loneRead(m) && m.statements.some((s) => s.kind === 'read')),
    baseTables: messages.some((m) => m.statements.some((s) => s.kind === 'base')),
  };
}

const tapCall = (observed: string, expected: string, check: TapCheck) =>
  check.type === 'boolean'
    ? `SELECT ok(${expected === 'true' ? '' : 'NOT '}${observed}, ${sqlLiteral(check.description)});`
    : `SELECT is(${observed}, ${expected}, ${sqlLiteral(check.description)});`;

/** A value as a psql variable holds it: text. */
const asText = (sql: string, type: TapCheck['type']) => (type === 'text' ? sql : `(${sql})::text`);

/** Builds the file's body: each message, then its tests at once or, inside a transaction, later. */
class TapWriter {
  readonly lines: string[] = [];
  tests = 0;
  private pending: string[] = [];
  private variables = 0;

  /** Runs the checks now. */
  now(checks: TapCheck[]): void {
    for (const c of checks) this.lines.push(tapCall(c.observed, c.expected, c));
    this.tests += checks.length;
  }

  /** Keeps what the checks observe in psql variables, and their tests for {@link flush}. */
  later(checks: TapCheck[]): void {
    const gset: string[] = [];
    for (const c of checks) {
      const v = `tap_${++this.variables}`;
      if (c.observed === ':ERROR') this.lines.push(`\\set ${v} :ERROR`);
      else gset.push(`${asText(c.observed, c.type)} AS ${v}`);
      const expected = c.expectedLive ? `:'${v}_expected'` : c.expected;
      if (c.expectedLive) gset.push(`${asText(c.expected, c.type)} AS ${v}_expected`);
      const observed = c.observed === ':ERROR' ? `:${v}` : `:'${v}'::${c.type}`;
      this.pending.push(tapCall(observed, expected, c));
    }
    if (gset.length) this.lines.push(`SELECT ${gset.join(', ')} \\gset`);
    this.tests += checks.length;
  }

  /** The tests kept while a transaction was open, now that it is over. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.lines.push('-- the tests of the messages inside the transaction, now that it is over:');
    this.lines.push(...this.pending);
    this.pending = [];
  }
}

/** The body of the file: the messages and their tests. */
function body(story: PgtapStory, w: TapWriter): void {
  let before: Versions = new Map();
  let firstStatement = 1;
  let inside = false;
  let aborted = false;
  for (const [i, m] of story.messages.entries()) {
    const c: MessageContext = { number: i + 1, firstStatement, before, judge: story.judge };
    const read = loneRead(m);
    const keep = (checks: TapCheck[]) => (inside || openAfter(m) ? w.later(checks) : w.now(checks));
    w.lines.push(
      '',
      `-- message ${c.number}${m.inTransaction ? ', in the transaction' : ''}${m.expectError ? ' (must fail: it leaves no bump)' : ''}`,
    );
    const untouched = story.judge === 'isolation' && !aborted ? untouchedTenants(m) : [];
    const isolationBefore = `tap_before_${c.number}`;
    if (untouched.length) w.lines.push(`SELECT ${tenantVersions(untouched)} AS ${isolationBefore} \\gset`);
    if (read) keep([readCheck(read, story.graph, c)]);
    else {
      w.lines.push(messageSql(m));
      const checks = [errorCheck(m, c)];
      if (m.expectError && openAfter(m)) aborted = true;
      if (!aborted && story.judge === 'exact') checks.push(...versionChecks(m, c));
      if (!aborted && untouched.length)
        checks.push({
          observed: tenantVersions(untouched),
          expected: `:'${isolationBefore}'`,
          type: 'text',
          description: `message ${c.number} changes no version of ${untouched.join(', ')}, tenant${untouched.length > 1 ? 's' : ''} it does not touch`,
        });
      keep(checks);
    }
    if (aborted && m.sql.startsWith('ROLLBACK')) aborted = false;
    inside = openAfter(m);
    if (!inside) w.flush();
    before = m.versions;
    firstStatement += m.statements.length;
  }
  if (inside) {
    w.lines.push(
      '',
      'ROLLBACK; -- the run stopped here, inside the transaction, and rolled it back: its own end was never sent',
    );
    w.flush();
  }
}

/** A pgTAP file (plan, setup, the messages and their tests, teardown, finish) for pg_prove. */
export function pgtapFile(story: PgtapStory): string {
  const w = new TapWriter();
  body(story, w);
  const use = harnessUse(story.messages);
  return [
    ...story.about.map((l) => `-- ${l}`.trimEnd()),
    '',
    '\\set ON_ERROR_STOP 1',
    '\\set QUIET 1',
    '\\pset format unaligned',
    '\\pset tuples_only true',
    '\\pset pager off',
    'SET client_min_messages = warning; -- no NOTICE from the setup, the workload or the teardown',
    '',
    `SELECT plan(${w.tests + 1});`,
    '',
    '-- setup: helpers in pg_temp (gone with the session), and which tables are empty',
    ...setupSql(story.graph, use),
    startCheck(story.graph),
    '',
    '-- the workload: a message may fail (some must), and the file goes on, so that the teardown runs',
    '\\set ON_ERROR_STOP 0',
    ...w.lines,
    '',
    '-- teardown: the tables that were empty emptied again, with the triggers off (nothing is bumped)',
    '\\set ON_ERROR_STOP 1',
    ...teardownSql(story.graph, use),
    '',
    'SELECT * FROM finish();',
    '',
  ].join('\n');
}
