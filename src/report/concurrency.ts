import type { ConcurrencyReport } from '../verify/concurrency.js';

/** The human-readable form of a concurrency report. */
export function formatConcurrency(r: ConcurrencyReport): string {
  const out = [`concurrency check of ${r.design}: ${r.sessions.length} sessions, ${r.workload} workload`];
  for (const s of r.sessions) {
    out.push(
      `  session ${s.session}: ${s.committedStatements} statements committed in ${s.steps} steps, ${s.deadlocks} deadlocks, ${s.serializationFailures} serialization failures, ${s.retries} retries${s.error ? `; stopped: ${s.error}` : ''}`,
    );
  }
  out.push(
    `  bumps expected ${r.expectedBumps}, observed ${r.observedBumps}; ${r.violations.filter((v) => v.kind === 'MISSED').length} pairs MISSED, ${r.violations.filter((v) => v.kind === 'EXTRA').length} EXTRA`,
  );
  for (const v of r.violations.slice(0, 10)) {
    out.push(
      `    ${v.kind} ${v.tenant?.slice(-1)}/${v.domain}: expected ${v.expected}, observed ${v.observed}`,
    );
  }
  out.push(
    `${r.ok ? 'holds' : 'FAILS'}: ${r.committedStatements} committed statements, ${r.deadlocks} deadlocks, ${r.serializationFailures} serialization failures, ${r.statementsPerSecond} statements/s${r.sessionsGaveUp ? `; ${r.sessionsGaveUp} session(s) gave up on a step that deadlocked ${r.retryLimit} times` : ''}`,
  );
  return out.join('\n');
}
