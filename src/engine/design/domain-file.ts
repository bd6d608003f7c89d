import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { type DomainGraph, parseDomainGraph } from '../../model/domain-graph.js';
import { InputError } from '../../model/input-error.js';
import { packageRoot } from './package-root.js';

let validator: ValidateFunction | null = null;

/** The domain file's JSON Schema (schema/domain-graph.schema.json), compiled once. */
function schemaValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(join(packageRoot(), 'schema', 'domain-graph.schema.json'), 'utf8'),
    );
    validator = new Ajv({ allErrors: false }).compile(schema);
  }
  return validator;
}

/** The first schema error as one line: an unknown key by name, anything else by where it is. */
function schemaError(validate: ValidateFunction): string {
  const [e] = validate.errors ?? [];
  if (!e) return 'does not match the domain file schema';
  const at = e.instancePath || 'the top level';
  if (e.keyword === 'additionalProperties')
    return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" at ${at} (see schema/domain-graph.schema.json)`;
  return `${at} ${e.message ?? 'is invalid'}`;
}

/**
 * Reads and validates a domain file (JSON): its shape against the shipped JSON Schema (unknown keys
 * are errors), then its meaning (edges and reads name listed domains). Its builders path is resolved
 * beside it.
 */
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
  const validate = schemaValidator();
  if (!validate(json)) throw new InputError(`${path}: ${schemaError(validate)}`);
  const graph = { ...parseDomainGraph(json, path), origin: path };
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

/**
 * The `--domains` value that replays a run on `graph`: undefined for the seed graph, the file it was
 * read from when it still says the same, null for a graph built or changed in code (no file says it).
 */
export function domainsFileOf(graph: DomainGraph): string | null | undefined {
  if (!graph.origin) return null;
  const same = JSON.stringify(loadDomainGraph(graph.origin)) === JSON.stringify(graph);
  if (!same) return null;
  return graph.origin === join(packageRoot(), 'sql', 'graphs', 'seed.json') ? undefined : graph.origin;
}
