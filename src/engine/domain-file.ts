import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type DomainGraph, parseDomainGraph } from '../spec/domain-graph.js';
import { InputError } from '../spec/input-error.js';
import { packageRoot } from './package-root.js';

/** Reads and validates a domain file (JSON); its builders path is resolved beside it. */
export function loadDomainGraph(path: string): DomainGraph {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read domain file ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const graph = parseDomainGraph(json, path);
  if (graph.builders) {
    graph.builders = resolve(dirname(path), graph.builders);
    if (!existsSync(graph.builders))
      throw new InputError(`${path}: builders file ${graph.builders} does not exist`);
  }
  return graph;
}

/** The seed's graph: eight domains, cascading one level deep. */
export function seedGraph(): DomainGraph {
  return loadDomainGraph(join(packageRoot(), 'sql', 'graphs', 'seed.json'));
}
