import type { Domain } from './domain-graph.js';
import type { Versions } from './versions.js';

/** Everything the reference model knows (model.ts): rows, base tables, foreign-key links, versions. */
export interface State {
  rows: Map<Domain, Map<number, string>>;
  /** Rows of the base tables, by base table name (created on first write). */
  base: Map<string, Map<number, string>>;
  /** Child id -> parent id, by foreign key name. */
  links: Map<string, Map<number, number>>;
  versions: Versions;
}

/** No row anywhere and every version absent; a tv_ table for each of `domains`. */
export function emptyState(domains: Domain[]): State {
  return {
    rows: new Map(domains.map((d) => [d, new Map()])),
    base: new Map(),
    links: new Map(),
    versions: new Map(),
  };
}

const cloneRows = <V>(m: Map<string, Map<number, V>>) => new Map([...m].map(([d, r]) => [d, new Map(r)]));

/** A copy to go back to (a rollback, a failing message). */
export function cloneState(s: State): State {
  const { rows, base, links, versions } = s;
  return {
    rows: cloneRows(rows),
    base: cloneRows(base),
    links: cloneRows(links),
    versions: new Map(versions),
  };
}
