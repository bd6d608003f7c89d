import { describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { BUMP_PROPERTIES } from '../../src/model/properties.js';
import { checkDesign } from '../../src/verify/check.js';
import { graph } from '../support/fixtures.js';

// Designs written apart from turbo-sim's own, in the `check --design FILE` format, so that a verdict
// on a stranger's design is tested, not only on designs written against this harness.
const fixture = (name: string) => loadDesign(`test/fixtures/designs/${name}.sql`);

describe('designs written elsewhere', () => {
  // Row triggers filling a per-statement set: right, in a style unlike robust's. It must pass on
  // the base read path it did not write (8 runs a property: a wrong verdict here is systematic).
  it('accepts a correct row-level design with a per-statement set, on the base read path', async () => {
    const report = await checkDesign({ design: fixture('row-set'), graph, runs: 8 });
    expect(report.readPath).toBe('base');
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual([]);
    expect(report.properties.map((p) => p.name)).toEqual(BUMP_PROPERTIES.map((p) => p.name));
  });

  // A graph with neither reads nor foreign keys: the report names what it could not check and why.
  it('lists the properties a graph without reads or foreign keys skips, with the reason', async () => {
    const small = {
      domains: ['order', 'line'],
      cascade: [['line', 'order']] as [string, string][],
      transitive: false,
    };
    const report = await checkDesign({ design: fixture('row-set'), graph: small, runs: 1 });
    expect(report.ok).toBe(true);
    expect(report.skipped).toEqual([
      {
        name: 'foreign-key-cascade',
        reason: 'the domain graph has no "foreignKeys" (the cascade needs a foreign key)',
      },
      ...['coherence', 'coherence-multi-domain', 'tenant-isolation'].map((name) => ({
        name,
        reason: 'the domain graph has no "reads" (cached reads need builders)',
      })),
    ]);
  });

  it('rejects one statement trigger per event as bumping per trigger, and shows both triggers firing', async () => {
    const report = await checkDesign({
      design: fixture('statement-per-event'),
      graph,
      properties: ['upsert'],
      // The first failing upsert already shows it; shrinking it changes neither kind nor cause.
      shrink: false,
    });
    const [upsert] = report.properties;
    expect(upsert?.ok).toBe(false);
    expect(upsert?.counterexample?.violations.every((v) => v.kind === 'EXTRA')).toBe(true);
    expect(upsert?.diagnosis?.class).toBe('per-trigger');
    const failing = upsert?.counterexample?.account?.at(-1)?.firings?.map((f) => f.name) ?? [];
    expect(failing).toEqual(expect.arrayContaining(['public.se_inserted', 'public.se_updated']));
  });
});
