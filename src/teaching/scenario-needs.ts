import type { DomainGraph } from '../model/domain-graph.js';
import type { Scenario } from './scenarios.js';

/** The tables a value of the workload language writes or reads from: every `domain` and `from` in it. */
function domainsIn(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) domainsIn(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'domain' || k === 'from') && typeof v === 'string') out.add(v);
      else domainsIn(v, out);
    }
  return out;
}

/**
 * Why a scenario cannot run on a user's schema (`run --schema`), or null when it can: the scenarios
 * are written for the seed graph, and on another graph only those whose writes reach its tables and
 * that need nothing else of the seed (its cached reads and builders, the seed design's views) run.
 */
export function scenarioUnmet(scenario: Scenario, graph: DomainGraph): string | null {
  const steps = scenario.steps;
  if (steps.some((s) => s.kind === 'read' || s.kind === 'show'))
    return "it reads the seed's cache or shows the seed design's views";
  const known = new Set(graph.domains);
  const missing = [...domainsIn(steps, new Set())].filter((d) => !known.has(d)).sort();
  return missing.length > 0
    ? `it writes domain(s) ${missing.join(', ')}, which the schema has no table for`
    : null;
}
