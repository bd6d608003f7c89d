import type { Database } from '../../engine/database.js';
import type { Design } from '../../engine/design/designs.js';
import { forgetObserved, installObserver } from '../../engine/statement-observer.js';
import { InputError } from '../../model/input-error.js';
import { findScenario } from '../../teaching/scenarios.js';
import { runScenarioOn, type ScenarioReport } from '../../verify/scenario.js';
import { Simulator } from '../../verify/simulator.js';
import { runTypedOn } from '../../verify/typed.js';
import type { PlaygroundCatalog } from '../catalog.js';

/** The name a pasted design runs under, in the picker and in the reports. */
export const PASTED = 'pasted';

/** What one run sends: a scenario of the learning path, or messages the learner typed. */
export type Workload = { scenario: string } | { messages: string[] };

/**
 * The page's databases, one per design picked, kept open between runs (PGlite starts in a second
 * or two; a run resets its tables in milliseconds) and closed when a design is no longer picked.
 */
export class Workbench {
  private readonly open = new Map<string, Promise<Simulator>>();

  constructor(
    private readonly catalog: PlaygroundCatalog,
    private readonly openDatabase: () => Promise<Database>,
  ) {}

  private design(name: string, pasted: string): Design {
    if (name === PASTED)
      return {
        name,
        description: 'your design, pasted',
        builtin: false,
        files: [{ path: 'pasted.sql', sql: pasted }],
      };
    const d = this.catalog.designs.find((x) => x.name === name);
    if (!d) throw new InputError(`unknown design "${name}"`);
    return { ...d, builtin: true };
  }

  /** The simulators of `names`, opened and installed where not yet; any other is closed. */
  private async simulators(names: string[], pasted: string): Promise<Simulator[]> {
    const keys = names.map((n) => (n === PASTED ? `${n}\n${pasted}` : n));
    for (const [key, sim] of this.open)
      if (!keys.includes(key)) {
        this.open.delete(key);
        await sim.then((s) => s.close()).catch(() => {});
      }
    const out: Simulator[] = [];
    for (const [i, name] of names.entries()) {
      const key = keys[i] as string;
      if (!this.open.has(key)) this.open.set(key, this.install(this.design(name, pasted)));
      try {
        out.push(await (this.open.get(key) as Promise<Simulator>));
      } catch (e) {
        this.open.delete(key); // a broken pasted design is tried again once it is edited
        throw e;
      }
    }
    return out;
  }

  private async install(design: Design): Promise<Simulator> {
    const sim = await Simulator.create(design, this.catalog.graph, this.openDatabase, this.catalog.layers);
    try {
      await installObserver(sim.db, this.catalog.observer);
    } catch (e) {
      await sim.close();
      throw e;
    }
    return sim;
  }

  /** Runs `workload` on each design from an empty database, side by side, in the order given. */
  async run(names: string[], pasted: string, workload: Workload): Promise<ScenarioReport[]> {
    if (names.length === 0) throw new InputError('pick at least one design');
    const scenario = 'scenario' in workload ? findScenario(workload.scenario) : undefined;
    if ('scenario' in workload && !scenario) throw new InputError(`unknown scenario "${workload.scenario}"`);
    const messages = 'messages' in workload ? workload.messages.filter((m) => m.trim() !== '') : [];
    if (!scenario && messages.length === 0) throw new InputError('type a statement, or pick a scenario');
    const reports: ScenarioReport[] = [];
    for (const sim of await this.simulators(names, pasted))
      reports.push(scenario ? await runScenarioOn(sim, scenario) : await runTypedOn(sim, messages));
    return reports;
  }

  /** Empties every open database back to its design as installed. */
  async reset(): Promise<void> {
    for (const opening of this.open.values()) {
      const sim = await opening.catch(() => null);
      if (!sim) continue;
      await sim.reset();
      await forgetObserved(sim.db);
    }
  }
}
