import { pathGroups, START_SCENARIO } from '../teaching/lessons.js';
import { findScenario } from '../teaching/scenarios.js';

/** Every scenario in learning-path order, with its group, what to notice, and whether to start there. */
export function scenarioListJson() {
  return pathGroups().flatMap((g) =>
    g.scenarios.map((name) => {
      const s = findScenario(name);
      return {
        name,
        description: s?.description ?? '',
        notice: s?.notice ?? '',
        group: g.title,
        start: name === START_SCENARIO,
      };
    }),
  );
}

/** `list` for people: one numbered group per heading, one scenario per line, the start marked. */
export function formatScenarioList(): string {
  const groups = pathGroups();
  const width = Math.max(...groups.flatMap((g) => g.scenarios.map((n) => n.length)));
  const out: string[] = [];
  for (const [i, g] of groups.entries()) {
    out.push(`${i + 1}. ${g.title}`);
    for (const name of g.scenarios) {
      const mark = name === START_SCENARIO ? '>' : ' ';
      out.push(`  ${mark} ${name.padEnd(width)}  ${findScenario(name)?.description ?? ''}`);
    }
  }
  return out.join('\n');
}
