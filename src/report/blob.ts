import { InputError } from '../model/input-error.js';
import type { CheckReport } from '../verify/check-report.js';

// The raw report a shard prints for `turbo-sim merge` (as Playwright's blob reporter is for
// merge-reports): the whole CheckReport, counterexamples with their planned messages included,
// which the JSON reporter renders away. Maps (the versions a message must leave) are written as
// {"$map": [[key, value], ...]}.

const KIND = 'turbo-sim check blob';
const VERSION = 1;

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
  return doc.report;
}
