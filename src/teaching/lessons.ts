import { SCENARIOS } from './scenarios.js';

/**
 * The learning path through the scenarios: groups in the order a learner should run them, and where
 * to start. Data only: `list` prints it and `run` ends with the next step on it.
 */

/** One group of scenarios on the learning path, in the order a learner should run them. */
export interface PathGroup {
  title: string;
  scenarios: string[];
}

/** The learning path: `list` prints these groups in order; the first scenario is where to start. */
export const LEARNING_PATH: PathGroup[] = [
  { title: "Start here: the seed's own test", scenarios: ['loop-vs-batch'] },
  {
    title: 'One bump per statement, per tenant',
    scenarios: ['batch-1000', 'multi-tenant', 'multi-statement-message', 'tenant-move'],
  },
  { title: 'Cascades', scenarios: ['cascade-contract', 'cascade-contract-item'] },
  { title: 'Cached reads', scenarios: ['cache-single-domain', 'cache-multi-domain', 'turbo-router'] },
  { title: "Operating the seed's tracker", scenarios: ['maintenance'] },
];

/** The scenario the learning path starts with. */
export const START_SCENARIO: string = LEARNING_PATH[0]?.scenarios[0] ?? '';

/** The path's groups, plus any scenario the path does not place yet, so that `list` shows every one. */
export function pathGroups(): PathGroup[] {
  const placed = new Set(LEARNING_PATH.flatMap((g) => g.scenarios));
  const rest = SCENARIOS.map((s) => s.name).filter((n) => !placed.has(n));
  return rest.length ? [...LEARNING_PATH, { title: 'More', scenarios: rest }] : LEARNING_PATH;
}

/** The scenarios in learning-path order. */
export function pathOrder(): string[] {
  return pathGroups().flatMap((g) => g.scenarios);
}

/** The scenario after `name` on the path, or null after the last one. */
export function nextScenario(name: string): string | null {
  const order = pathOrder();
  const i = order.indexOf(name);
  return i < 0 ? null : (order[i + 1] ?? null);
}
