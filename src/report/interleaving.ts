import type { ConcurrencyCounterexample, ScheduledReport } from '../verify/concurrency-search.js';
import type { ConcurrencyViolation, InterleavingRun } from '../verify/interleaving.js';
import type { ConcurrencyDiagnosis } from '../verify/interleaving-checks.js';

/** Width of one session's column in {@link interleavingColumns}. */
const COLUMN = 44;

const cell = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, width - 3)}...` : text.padEnd(width);

/**
 * An interleaving as one column per session, one row per thing that happened, in order: what a
 * session sent, where it waited or paused, and when it ended. The SQL of each numbered row follows.
 */
export function interleavingColumns(run: InterleavingRun, sessions: number[]): string[] {
  const at = new Map(sessions.map((s, i) => [s, i]));
  const head = `      ${sessions.map((s) => cell(`session ${s}`, COLUMN)).join(' | ')}`;
  const out = [head, `      ${sessions.map(() => '-'.repeat(COLUMN)).join('-+-')}`];
  const sql: string[] = [];
  run.events.forEach((e, n) => {
    const col = at.get(e.session);
    if (col === undefined) return;
    const mark = e.outcome === 'sent' ? '' : `[${e.outcome}] `;
    const cells = sessions.map((_, i) => (i === col ? cell(`${mark}${e.text}`, COLUMN) : ' '.repeat(COLUMN)));
    out.push(`  ${String(n + 1).padStart(2)}  ${cells.join(' | ')}`.trimEnd());
    if (e.sql) sql.push(`  ${String(n + 1).padStart(2)}  session ${e.session}: ${e.sql}`);
  });
  return [...out, '', '  SQL sent:', ...sql];
}

/** The diagnosis of a concurrent counterexample in words, naming the order of events it rests on. */
export function concurrencyDiagnosisLine(d: ConcurrencyDiagnosis): string {
  const s = d.store;
  if (d.class !== 'stale-set' || !s)
    return "diagnosis: unknown (the account shows no read that stored its response across another session's COMMIT)";
  const commits = s.commitsBetween.map((c) => `session ${c.session} (row ${c.event + 1})`).join(', ');
  return `diagnosis: stale set: session ${s.session} built ${s.read} for tenant ${s.tenant.slice(-1)} at version ${s.versionAtBuild} (row ${s.event + 1}), then the COMMIT of ${commits} was acknowledged, then session ${s.session} stored the response built before that COMMIT under the version read after it (${s.storedVersion}): stored a response built before a COMMIT under the version read after it; read the version before building`;
}

/** One violation, one line. */
export function concurrencyViolationLine(v: ConcurrencyViolation): string {
  const where = [
    v.session === undefined ? null : `session ${v.session}`,
    v.read ? `read ${v.read}` : null,
    v.tenant ? `tenant ${v.tenant.slice(-1)}` : null,
    v.domain ? `domain ${v.domain}` : null,
  ].filter((x) => x !== null);
  const counts = v.expected === undefined ? '' : `: expected ${v.expected}, observed ${v.observed}`;
  return `${v.property} ${v.kind} at row ${v.message + 1} (${where.join(', ')})${counts}${v.detail ? `: ${v.detail}` : ''}`;
}

function counterexampleLines(c: ConcurrencyCounterexample): string[] {
  const sessions = c.workloads.flatMap((w, s) => (w.length > 0 ? [s] : []));
  return [
    `counterexample: ${c.sessions} session(s), ${c.units} unit(s) (path ${c.path})`,
    ...c.run.violations.map((v) => `  ${concurrencyViolationLine(v)}`),
    ...interleavingColumns(c.run, sessions),
    concurrencyDiagnosisLine(c.diagnosis),
  ];
}

/** The human-readable form of a scheduled concurrency report. */
export function formatScheduled(r: ScheduledReport): string {
  const out = [
    `concurrency check of ${r.design}: ${r.sessions} sessions x ${r.steps} steps, ${r.workload} workload, seed ${r.seed}, ${r.interleavings} interleaving(s)`,
    `  ${r.committedStatements} committed statements, ${r.deadlocks} deadlocks, ${r.serializationFailures} serialization failures, ${r.readsServed} cached reads served, ${r.quietChecks} quiet-point checks`,
  ];
  if (r.counterexample) out.push(...counterexampleLines(r.counterexample));
  const broken = [...new Set(r.violations.map((v) => v.property))];
  out.push(
    r.ok
      ? 'holds: versions-exact, no-stale-set, real-time, own-writes, tenant-isolation, errors'
      : `FAILS: ${broken.join(', ')}`,
  );
  out.push(`replay: ${r.replay}`);
  return out.join('\n');
}
