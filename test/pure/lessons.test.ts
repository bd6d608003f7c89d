import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioLesson } from '../../src/report/lesson.js';
import {
  DEFECTS,
  diagnose,
  LEARNING_PATH,
  nextScenario,
  pathOrder,
  START_SCENARIO,
} from '../../src/spec/lessons.js';
import { BUMP_PROPERTIES } from '../../src/spec/properties.js';
import { SCENARIOS } from '../../src/spec/scenarios.js';

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(doc: string): Set<string> {
  const text = readFileSync(doc, 'utf8');
  return new Set([...text.matchAll(/^#+\s+(.*)$/gm)].map((m) => slug(m[1] as string)));
}

describe('the learning path', () => {
  it('places every scenario exactly once and starts where it says', () => {
    const placed = LEARNING_PATH.flatMap((g) => g.scenarios);
    expect([...placed].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
    expect(placed[0]).toBe(START_SCENARIO);
    expect(pathOrder()).toEqual(placed);
    expect(nextScenario(placed.at(-1) as string)).toBeNull();
  });

  it('gives every scenario something to notice', () => {
    expect(SCENARIOS.filter((s) => s.notice.trim().length < 20).map((s) => s.name)).toEqual([]);
  });

  it('links only to headings that exist, and names only real scenarios and properties', () => {
    const docs = new Map<string, Set<string>>();
    for (const d of DEFECTS) {
      const [file, anchor] = d.doc.split('#') as [string, string];
      if (!docs.has(file)) docs.set(file, anchors(file));
      expect(docs.get(file)?.has(anchor), `${d.id}: ${d.doc}`).toBe(true);
      for (const s of d.scenarios)
        expect(
          SCENARIOS.map((x) => x.name),
          d.id,
        ).toContain(s);
      for (const p of d.properties)
        expect(
          BUMP_PROPERTIES.map((x) => x.name),
          d.id,
        ).toContain(p);
    }
  });

  it('slugs headings as GitHub does (the link check above depends on it)', () => {
    expect(slug('D3. Back-to-back statements under a millisecond clock (PGlite only)')).toBe(
      'd3-back-to-back-statements-under-a-millisecond-clock-pglite-only',
    );
    expect(anchors('docs/defects.md').has('no-such-entry')).toBe(false);
  });

  it("diagnoses a design's own failures, falls back to the published design's as a hint, and only for what was seen", () => {
    expect(diagnose('seed', { scenario: 'loop-vs-batch' }, ['MISSED'])).toEqual([
      { entry: expect.objectContaining({ id: 'D2' }), measured: true },
    ]);
    expect(diagnose('deferred', { property: 'transaction' }, ['MISSED'])[0]?.entry.id).toBe('transactions');
    expect(diagnose('my.sql', { property: 'truncate' }, ['MISSED'])).toEqual([
      { entry: expect.objectContaining({ id: 'D5' }), measured: false },
    ]);
    // Too many bumps is not what D2 explains.
    expect(diagnose('my.sql', { scenario: 'loop-vs-batch' }, ['EXTRA'])).toEqual([]);
    expect(diagnose('seed', { scenario: 'batch-1000' }, ['MISSED'])).toEqual([]);
  });

  it('sends a broken design to the corrected one, and a kept promise to the next scenario', () => {
    const missed = { missed: 1, extra: 0, stale: 0 };
    const none = { missed: 0, extra: 0, stale: 0 };
    const broke = scenarioLesson({ scenario: 'tenant-move', design: 'seed', ok: false, summary: missed });
    expect(broke.diagnoses.map((d) => d.entry.id)).toEqual(['D4']);
    expect(broke.next.command).toBe('npx turbo-sim run tenant-move --design robust');
    const kept = scenarioLesson({ scenario: 'loop-vs-batch', design: 'robust', ok: true, summary: none });
    expect(kept.diagnoses).toEqual([]);
    expect(kept.next.command).toBe(`npx turbo-sim run ${nextScenario('loop-vs-batch')} --design robust`);
    const last = pathOrder().at(-1) as string;
    expect(scenarioLesson({ scenario: last, design: 'robust', ok: true, summary: none }).next.command).toBe(
      'npx turbo-sim check --design robust',
    );
  });
});
