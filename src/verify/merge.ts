import { InputError } from '../model/input-error.js';
import { type CheckReport, countBefore, type PropertyResult, type ShardRuns } from './check-report.js';

/**
 * Shard reports added up into the report the unsharded check gives. Per property, the first failure
 * is the smallest failing run index over all shards; every shard ran each of its indices below its
 * own first failure, so every run before the overall first one ran somewhere, and its statements
 * are counted once. The counterexample is the one the shard with that run shrank, as the unsharded
 * check would have shrunk the same run.
 */
export function mergeShards(reports: CheckReport[]): CheckReport {
  const [first] = reports;
  if (!first) throw new InputError('merge needs at least one shard report');
  const count = first.shard?.count;
  for (const r of reports) {
    if (!r.shard) throw new InputError('merge takes shard reports (check --shard i/n --reporter blob)');
    if (r.shard.count !== count)
      throw new InputError(`shards of different splits: ${r.shard.index}/${r.shard.count} and ?/${count}`);
    for (const key of ['design', 'backend', 'runs', 'seed', 'readPath'] as const)
      if (r[key] !== first[key])
        throw new InputError(
          `shards of different checks: ${key} ${String(r[key])} and ${String(first[key])}`,
        );
    if (r.fingerprint !== first.fingerprint)
      throw new InputError(
        `shards of different checks: shard ${r.shard.index}/${r.shard.count} ran another design text, graph, shrinking or property list than shard ${first.shard?.index}/${count}`,
      );
    const names = r.properties.map((p) => p.name).join(',');
    if (names !== first.properties.map((p) => p.name).join(','))
      throw new InputError('shards checked different properties (was --fail-fast or --property different?)');
  }
  const seen = new Set(reports.map((r) => r.shard?.index));
  const missing = Array.from({ length: count ?? 0 }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0 || seen.size !== reports.length)
    throw new InputError(
      missing.length > 0 ? `shard ${missing.join(', ')} of ${count} missing` : 'a shard was given twice',
    );
  const properties = first.properties.map((_, i) =>
    mergeProperty(
      reports.map((r) => r.properties[i] as PropertyResult),
      first.runs,
    ),
  );
  const { shard: _, fingerprint: __, ...rest } = first;
  return {
    ...rest,
    ok: properties.every((p) => p.ok),
    properties,
    statementsChecked: properties.reduce((n, p) => n + p.statementsChecked, 0),
    readsChecked: properties.reduce((n, p) => n + p.readsChecked, 0),
    elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
  };
}

/** One property's results from every shard, as one. */
function mergeProperty(parts: PropertyResult[], runs: number): PropertyResult {
  const shardRuns = parts.map((p) => {
    if (!p.shardRuns) throw new InputError(`property ${p.name}: a shard report without its runs`);
    return p.shardRuns;
  });
  const failures = shardRuns.map((s) => s.firstFailure).filter((f): f is number => f !== null);
  const f = failures.length > 0 ? Math.min(...failures) : null;
  const owner =
    f === null ? null : (parts[shardRuns.findIndex((s) => s.firstFailure === f)] as PropertyResult);
  const ownerRuns = owner?.shardRuns as ShardRuns | undefined;
  const before = countBefore(
    shardRuns.flatMap((s) => s.ran),
    f,
  );
  const { shardRuns: _, ...base } = owner ?? (parts[0] as PropertyResult);
  return {
    ...base,
    ok: f === null,
    runs: f === null ? runs : f + 1,
    firstFailureMs: owner?.firstFailureMs ?? null,
    counterexample: owner?.counterexample ?? null,
    diagnosis: owner?.diagnosis ?? null,
    statementsChecked: before.statements + (ownerRuns?.shrinking?.statements ?? 0),
    readsChecked: before.reads + (ownerRuns?.shrinking?.reads ?? 0),
    elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
  };
}
