import { callsBetween, functionCalls, trackerRows, trackFunctions } from '../engine/observe.js';
import { forgetObserved, observedExpectation } from '../engine/statement-observer.js';
import type { PlannedMessage } from '../model/plan.js';
import type { Versions } from '../model/versions.js';
import { messageReport, type ScenarioReport, scenarioReport } from './scenario.js';
import type { Simulator } from './simulator.js';
import { compareBumps } from './verdict.js';

/**
 * Messages a learner typed (the playground), run one after the other on a simulator whose database
 * has the statement observer (engine/statement-observer.ts) installed. The reference model cannot
 * plan SQL it did not write, so what each message had to bump is read from the statements the
 * observer saw, closed over the cascade as the model closes its own; everything else is the account
 * `turbo-sim run` gives a scenario.
 */

/** The name a report of typed messages carries where a scenario's name would be. */
export const TYPED = 'typed statements';

/** A message as typed: no planned statements, and an error is the design's answer, not bad input. */
const typedMessage = (sql: string): PlannedMessage => ({
  sql,
  parts: [sql],
  statements: [],
  expectError: true,
  versions: new Map(),
});

// Queries fail inside a transaction a failed message aborted: the tracker is then unknown.
const trackerOrNull = (sim: Simulator) => trackerRows(sim.db).catch(() => null);

/** Runs `messages` from an empty database, `pauseMs` apart, and reports each as `run` does. */
export async function runTypedOn(sim: Simulator, messages: string[], pauseMs = 2): Promise<ScenarioReport> {
  await sim.reset();
  await forgetObserved(sim.db);
  await trackFunctions(sim.db);
  const steps: ScenarioReport['steps'] = [];
  let expectedBefore: Versions = new Map();
  let statementsBefore = 0;
  let known: Versions | undefined;
  for (const [index, sql] of messages.entries()) {
    const trackerBefore = await trackerOrNull(sim);
    const callsBefore = await functionCalls(sim.db);
    const { observation } = await sim.runMessage(index, typedMessage(sql), known, 'exact', pauseMs);
    const callsAfter = await functionCalls(sim.db);
    const seen = await observedExpectation(sim.db, sim.graph);
    // An aborted transaction hides what its statements did until it ends: nothing more is due yet.
    const expectedAfter = seen?.versions ?? expectedBefore;
    const statements = seen ? Math.max(0, seen.statements - statementsBefore) : 0;
    const judged = { ...observation, message: { ...observation.message, versions: expectedAfter } };
    const bumps = compareBumps(expectedBefore, expectedAfter, observation.before, observation.after);
    const firings = callsBetween(callsBefore, callsAfter);
    steps.push(
      messageReport(
        index,
        { observation: judged, firings, bumps },
        trackerBefore,
        await trackerOrNull(sim),
        statements,
      ),
    );
    expectedBefore = expectedAfter;
    statementsBefore = seen?.statements ?? statementsBefore;
    known = observation.after;
  }
  const description = `${messages.length} message${messages.length === 1 ? '' : 's'} typed in the playground, judged by the statements PostgreSQL ran`;
  return scenarioReport(sim, { name: TYPED, description }, steps);
}
