import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMutant, mutantNames } from '../../src/engine/design/designs.js';
import { useThrowawayServer } from '../support/pg-server.js';
import { anyFails, databaseWith, pgtapMissing, robustSuite } from '../support/pgtap.js';

// robust's regression suite (test/server/pgtap.test.ts shows it passes on robust) must fail on every
// mutant, run with pg_prove on a throwaway PostgreSQL server, one database per mutant. stale-set is
// left out: its defect needs a COMMIT from a second session between a build and its version read,
// and a pgTAP file is one session (test/server/concurrency.test.ts catches it).
const server = useThrowawayServer();
const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-pgtap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("robust's pgTAP regression suite", () => {
  it('fails on every mutant one session can show', (ctx) => {
    const s = server.current;
    if (!s || pgtapMissing(s)) return ctx.skip();
    const { files } = robustSuite(dir);
    const uncaught = mutantNames()
      .filter((m) => m !== 'stale-set')
      .filter((m) => !anyFails(databaseWith(s, loadMutant(m)), files));
    expect(uncaught).toEqual([]);
  });
});
