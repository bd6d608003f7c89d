import { InputError } from '../model/input-error.js';
import type { CheckReport } from '../verify/check-report.js';

// The raw report a shard prints for `turbo-sim merge` (as Playwright's blob reporter is for
// merge-reports): the whole CheckReport, counterexamples with their planned messages included,
// which the JSON reporter renders away. Maps (the versions a message must leave) are written as
// {"$map": [[key, value], ...]}.

const KIND = 'turbo-sim check blob';
// 2: shards carry the fingerprint of their check.
const VERSION = 2;

/** The report as a blob document. */
export function checkBlob(report: CheckReport): string {
  return JSON.stringify({ kind: KIND, version: VERSION, report }, (_key, value: unknown) =>
    value instanceof Map ? { $map: [...value] } : value,
  );
}

/** The report in a blob document; `source` names it in errors. */
export function readCheckBlob(text: string, source: string): CheckReport {
  let doc: { kind?: unknown; version?: unknown; report?: CheckReport };
  try {
    doc = JSON.parse(text, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && '$map' in value
        ? new Map((value as { $map: [unknown, unknown][] }).$map)
        : value,
    );
  } catch (e) {
    throw new InputError(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (doc?.kind !== KIND || !doc.report)
    throw new InputError(`${source} is not a shard report (check --shard i/n --reporter blob writes one)`);
  if (doc.version !== VERSION)
    throw new InputError(
      `${source} is a blob of version ${String(doc.version)}; this turbo-sim reads ${VERSION}`,
    );
  const flaw = blobFlaw(doc.report);
  if (flaw) throw new InputError(`${source} is not a whole shard report: ${flaw}`);
  return doc.report;
}

const isInt = (v: unknown): v is number => Number.isInteger(v);

/**
 * What is missing or malformed among the fields `merge` reads, in words; null when it has them all.
 * A forged or truncated blob is bad input, not a crash deep in the merge.
 */
function blobFlaw(report: unknown): string | null {
  const r = report as Partial<CheckReport> | null;
  if (typeof r !== 'object' || r === null) return 'no report';
  for (const key of ['design', 'backend', 'readPath', 'fingerprint'] as const)
    if (typeof r[key] !== 'string') return `no ${key}`;
  if (!isInt(r.runs) || !isInt(r.seed) || !isInt(r.elapsedMs)) return 'no runs, seed or elapsedMs';
  if (!r.shard || !isInt(r.shard.index) || !isInt(r.shard.count)) return 'no shard i/n';
  if (!Array.isArray(r.properties)) return 'no properties';
  for (const [i, p] of r.properties.entries()) {
    if (typeof p?.name !== 'string') return `property ${i + 1} has no name`;
    const runs = p.shardRuns;
    if (!runs || !Array.isArray(runs.ran)) return `property ${p.name} has no runs`;
    if (!runs.ran.every((x) => Array.isArray(x) && x.length === 3 && x.every(isInt)))
      return `property ${p.name}: its runs are not [index, statements, reads]`;
    if (runs.firstFailure !== null && !isInt(runs.firstFailure))
      return `property ${p.name}: no first failure`;
    if (runs.firstFailure !== null && (p.counterexample === null || typeof p.counterexample !== 'object'))
      return `property ${p.name} failed without its counterexample`;
  }
  return null;
}
