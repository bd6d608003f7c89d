import type { Domain } from './domain-graph.js';

/** `tenant/domain`, the key of one version counter. */
export type PairKey = string;

/** Version counters; a missing key means version 0, as a missing tb_domain_version row does. */
export type Versions = Map<PairKey, number>;

/** Builds the key of one version counter. */
export function pairKey(tenant: string, domain: Domain): PairKey {
  return `${tenant}/${domain}`;
}

/** Splits a key built by {@link pairKey}. */
export function splitPair(key: PairKey): { tenant: string; domain: Domain } {
  const i = key.indexOf('/');
  return { tenant: key.slice(0, i), domain: key.slice(i + 1) };
}

/** Every key present in any of `maps`, sorted: the pairs a comparison must look at. */
export function unionKeys<V>(...maps: ReadonlyMap<PairKey, V>[]): PairKey[] {
  return [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
}

/** How much each version moved from `before` to `after`, leaving out those that did not. */
export function versionDelta(before: Versions, after: Versions): Map<PairKey, number> {
  const out = new Map<PairKey, number>();
  for (const k of unionKeys(after, before)) {
    const d = (after.get(k) ?? 0) - (before.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}
