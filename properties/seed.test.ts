import { describe, expect, it } from 'vitest';
import { loadDesign } from '../src/engine/design/designs.js';
import { seedGraph } from '../src/engine/design/domain-file.js';
import { checkDesign } from '../src/verify/check.js';
import { ONE_DATABASE } from '../test/support/fixtures.js';
import { describePublishedDesign } from '../test/support/published-design.js';

// One file per published design, so that vitest's two workers can run them side by side. The size
// of each shrunk counterexample is measured by test/long/seed-shrunk.long.test.ts: shrinking twelve
// counterexamples was 12 s of CPU here, and scale.test.ts already proves shrinking the same on any
// number of databases and shards.
describePublishedDesign('seed', { shrink: false });

describe('design none (no trigger)', () => {
  // Only tenant isolation holds, vacuously: a design that never bumps never bumps the wrong tenant.
  it('is rejected by every property but tenant isolation', async () => {
    const report = await checkDesign({
      design: loadDesign('none'),
      graph: seedGraph(),
      runs: 30,
      seed: 42,
      shrink: false,
      ...ONE_DATABASE,
    });
    expect(report.properties.filter((p) => p.ok).map((p) => p.name)).toEqual(['tenant-isolation']);
    // No catalogued mistake describes "nothing at all": every write gets no known class, and a read
    // is stale because bumps were missed (test/support/precision.ts counts none with its table).
    for (const p of report.properties.filter((x) => !x.ok))
      expect(p.diagnosis?.class, p.name).toBe(
        p.name.startsWith('coherence') ? 'missed-bumps-read' : 'unknown',
      );
  });
});
