import { describe, expect, it } from 'vitest';
import { loadDesign } from '../src/engine/design/designs.js';
import { seedGraph } from '../src/engine/design/domain-file.js';
import { checkDesign } from '../src/verify/check.js';
import { ONE_DATABASE } from '../test/support/fixtures.js';

// The experiment of sql/designs/deferred, measured and written down: bumps applied at COMMIT keep
// every statement-level class and the cache coherent, and are rejected exactly where a property reads
// versions inside an explicit transaction (MISSED before COMMIT, and a COMMIT that changes the
// versions of tenants it did not touch itself).
const REJECTED = ['transaction', 'mixed', 'tenant-isolation'];

describe('design deferred', () => {
  it('holds every class but those that read versions inside an explicit transaction', async () => {
    const report = await checkDesign({
      design: loadDesign('deferred'),
      graph: seedGraph(),
      runs: 10,
      seed: 42,
      shrink: false,
      ...ONE_DATABASE,
    });
    expect(report.properties.filter((p) => !p.ok).map((p) => p.name)).toEqual(REJECTED);
    const kinds = Object.fromEntries(
      report.properties.filter((p) => !p.ok).map((p) => [p.name, p.counterexample?.violations[0]?.kind]),
    );
    expect(kinds).toEqual({ transaction: 'MISSED', mixed: 'MISSED', 'tenant-isolation': 'LEAK' });
  });
});
