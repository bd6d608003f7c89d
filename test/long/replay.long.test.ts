import { describe, expect, it } from 'vitest';
import { loadDesign, loadMutant, mutantNames } from '../../src/engine/design/designs.js';
import { checkDesign } from '../../src/verify/check.js';
import { graph } from '../support/fixtures.js';
import { useThrowawayServer } from '../support/pg-server.js';
import { replayWithPsql, reproduces } from '../support/replay.js';

// Every counterexample `check` finds for the published designs and every mutant (50 runs a
// property, shrunk), applied with psql to a throwaway PostgreSQL 15 as its script says, must leave the
// versions the report gives. back-to-back is left out: it depends on PGlite's millisecond clock and
// the report says so.
const server = useThrowawayServer();
const designs = () => [loadDesign('seed'), loadDesign('seed-on-conflict'), ...mutantNames().map(loadMutant)];

describe('every counterexample replays with psql', () => {
  it('on PostgreSQL 15', async (ctx) => {
    const s = server.current;
    if (!s) return ctx.skip();
    const failures: string[] = [];
    let replayed = 0;
    for (const design of designs()) {
      const report = await checkDesign({ design, graph, runs: 50 });
      for (const p of report.properties) {
        const cx = p.counterexample;
        if (!cx || cx.source.clockDependent) continue;
        replayed += 1;
        if (!reproduces(cx, replayWithPsql(s, design, graph, cx))) failures.push(`${design.name} ${p.name}`);
      }
    }
    console.log(`replayed ${replayed} counterexamples with psql; ${failures.length} did not reproduce`);
    expect(failures).toEqual([]);
  });
});
