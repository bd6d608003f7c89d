import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { checkBlob, readCheckBlob } from '../../src/report/blob.js';
import { type CheckOptions, type CheckReport, checkDesign } from '../../src/verify/check.js';
import { mergeShards } from '../../src/verify/merge.js';
import { untimed } from '../support/fixtures.js';

// The report of a check must not depend on how it was spread: over databases side by side
// (--workers) or over CI machines (--shard, then merge). Timings are the only difference allowed.

// The seed fails most of these within a few runs, so the check shrinks, explains and diagnoses;
// batch and transaction hold for all runs. Back to back is left out: its failure depends on the clock.
const options: CheckOptions = {
  design: loadDesign('seed'),
  runs: 12,
  properties: ['batch', 'truncate', 'multi-statement-message'],
};

describe('spreading a check', () => {
  // Four checks, not five: shard 1 runs on two databases side by side, so its merge with shard 2
  // (one database) equalling the check on one database proves both spreadings at once. A whole check
  // on two databases would add its own copy of the database (about 2 s of CPU) and prove nothing more:
  // runs are spread over databases by the same runIndices, sharded or not, and shrinking is on one.
  it('gives one report for one database, and for shards 1/2 (two databases side by side) and 2/2 merged through their blobs', async () => {
    const one = await checkDesign({ ...options, workers: 1 });
    expect(one.properties.map((p) => p.ok)).toEqual([true, false, false]);
    expect(one.properties.every((p) => p.ok || (p.counterexample?.shrinks ?? 0) > 0)).toBe(true);

    const shards: CheckReport[] = [];
    for (const [index, workers] of [
      [2, 1],
      [1, 2],
    ] as const)
      shards.push(await checkDesign({ ...options, workers, shard: { index, count: 2 } }));
    // A shard only sees its own slice: its verdicts alone need not be the whole check's.
    expect(shards.map((s) => s.properties.reduce((n, p) => n + p.runs, 0))).not.toEqual(
      shards.map(() => one.properties.reduce((n, p) => n + p.runs, 0)),
    );
    // Shard 1 finds both failures, shard 2 one of them: the merge takes the earlier run's
    // counterexample, shrunk where the runs were on two databases.
    expect(shards.map((s) => s.properties.map((p) => p.ok))).toEqual([
      [true, true, false],
      [true, false, false],
    ]);
    const blobs = shards.map((s, i) => readCheckBlob(checkBlob(s), `shard-${i}.blob`));
    expect(untimed(mergeShards(blobs))).toEqual(untimed(one));
    expect(() => mergeShards(blobs.slice(0, 1))).toThrow(/shard 1 of 2 missing/);
    expect(() => mergeShards([blobs[0] as CheckReport, blobs[0] as CheckReport])).toThrow(/missing|twice/);
    expect(() => readCheckBlob('{"kind": "other"}', 'x.json')).toThrow(/x.json is not a shard report/);
    // An unshrunk shard 2 with a shrunk shard 1 would merge into a verdict no check gives.
    const unshrunk = await checkDesign({
      ...options,
      workers: 1,
      shrink: false,
      shard: { index: 2, count: 2 },
    });
    expect(() => mergeShards([blobs[1] as CheckReport, unshrunk])).toThrow(/shards of different checks/);
  });
});

describe('a design with state of its own', () => {
  // A design may keep state in its own tables. It used to carry over from run to run on a database,
  // so which runs shared a database (how many there were) decided the verdict: this one held on two
  // databases and failed at a later run on one. Every run now starts from the database as installed.
  it('gets the same verdict on one database and on two, each run starting from the design as installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-stateful-'));
    try {
      writeFileSync(join(dir, 'design.json'), JSON.stringify({ extends: 'robust' }));
      writeFileSync(
        join(dir, '10-wears-out.sql'),
        `CREATE TABLE turbo.statements_seen (n int);
CREATE FUNCTION turbo.wear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO turbo.statements_seen VALUES (1);
  IF (SELECT count(*) FROM turbo.statements_seen) > 30 THEN RAISE EXCEPTION 'worn out'; END IF;
  RETURN NULL;
END $$;
SELECT turbo.fn_for_each_tv_table('CREATE TRIGGER zz_wear AFTER INSERT OR UPDATE OR DELETE ON %1$s FOR EACH STATEMENT EXECUTE FUNCTION turbo.wear()');
`,
      );
      const stateful: CheckOptions = {
        design: loadDesign(dir),
        runs: 40,
        properties: ['batch'],
        shrink: false,
      };
      const one = await checkDesign({ ...stateful, workers: 1 });
      expect(one.ok).toBe(true);
      expect(untimed(await checkDesign({ ...stateful, workers: 2 }))).toEqual(untimed(one));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
