import { callsBetween, functionCalls, trackFunctions } from '../engine/observe.js';
import type { PlannedMessage } from '../model/plan.js';
import { splitPair, unionKeys, type Versions } from '../model/versions.js';
import type { Counterexample, MessageAccount } from './counterexample.js';
import type { MessageObservation } from './run-strategy.js';
import type { Simulator } from './simulator.js';
import { type BumpComparison, compareBumps } from './verdict.js';

/**
 * Replays a counterexample's messages on `sim` with function statistics on, reading versions and
 * calls around each message. It runs with the counterexample's pause, so a violation that depends on
 * the clock (back to back) may not show again here; the account still shows what each message fired.
 */
/** A message as sent, with the functions that ran while it ran and its bumps, expected against observed. */
export interface ObservedMessage {
  observation: MessageObservation;
  firings: MessageAccount['firings'];
  bumps: BumpComparison;
}

/**
 * Sends one message with function statistics read around it (trackFunctions on), and compares its
 * bumps with those the model expected since `expectedBefore`: what `run` shows and what a
 * counterexample's account shows, read the same way.
 */
export async function runObserved(
  sim: Simulator,
  index: number,
  message: PlannedMessage,
  expectedBefore: Versions,
): Promise<ObservedMessage> {
  const before = await functionCalls(sim.db);
  const { observation } = await sim.runMessage(index, message);
  const after = await functionCalls(sim.db);
  const bumps = compareBumps(expectedBefore, message.versions, observation.before, observation.after);
  return { observation, firings: callsBetween(before, after), bumps };
}

export async function explainCounterexample(sim: Simulator, cx: Counterexample): Promise<MessageAccount[]> {
  await sim.reset();
  await trackFunctions(sim.db);
  const out: MessageAccount[] = [];
  let expectedBefore: Versions = new Map();
  for (const [index, message] of cx.messages.entries()) {
    await sim.pace(Math.max(1, cx.source.pauseMs));
    const { observation, firings, bumps: b } = await runObserved(sim, index, message, expectedBefore);
    out.push({
      message: index,
      error: observation.error?.message ?? null,
      firings,
      bumps: unionKeys(b.expected, b.observed).map((k) => ({
        ...splitPair(k),
        expected: b.expected.get(k) ?? 0,
        observed: b.observed.get(k) ?? 0,
      })),
    });
    expectedBefore = message.versions;
  }
  await sim.db.exec('ROLLBACK').catch(() => {});
  return out;
}

/**
 * Whether an account shows the counterexample's broken bumps again (some pair bumped other than
 * expected); null when its violations are not about bumps. A clock-dependent failure replayed with a
 * pause and reads between messages often does not: then the account is not what the run did.
 */
export function accountReproduces(cx: Counterexample, account: MessageAccount[]): boolean | null {
  if (!cx.violations.some((v) => v.kind === 'MISSED' || v.kind === 'EXTRA')) return null;
  return account.some((a) => a.bumps.some((b) => b.observed !== b.expected));
}
