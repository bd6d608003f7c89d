import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioLesson } from '../../src/report/lesson.js';
import { LEARNING_PATH, nextScenario, pathOrder, START_SCENARIO } from '../../src/teaching/lessons.js';
import { SCENARIOS } from '../../src/teaching/scenarios.js';

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

  it('links every scenario cause only to a heading that exists', () => {
    const broke = (scenario: string) =>
      scenarioLesson({
        scenario,
        design: 'seed',
        ok: false,
        readPath: 'design',
        summary: { missed: 1, extra: 0, stale: 1 },
      });
    const causes = SCENARIOS.flatMap((s) => broke(s.name).causes);
    expect(causes.map((c) => c.cause).sort()).toEqual([
      'message-key',
      'message-key',
      'old-tenant',
      'read-path',
    ]);
    for (const c of causes) {
      const [file, anchor] = (c.doc ?? '').split('#') as [string, string];
      expect(anchors(file).has(anchor), `${c.cause}: ${c.doc}`).toBe(true);
    }
  });

  // The entry each scenario's why links, pinned per scenario: the entry of the scenario's own
  // workload (a DO loop is D2, a message D1), or none where no known cause is recorded.
  const ENTRY: Record<string, string | null> = {
    'loop-vs-batch': 'docs/defects.md#d2-statements-in-a-do-block-or-a-function-share-one-tracker-key',
    'batch-1000': null,
    'cascade-contract': null,
    'cascade-contract-item': null,
    'multi-tenant': null,
    'tenant-move': 'docs/defects.md#d4-update-moving-a-row-to-another-tenant-bumps-only-the-new-tenant',
    'multi-statement-message': 'docs/defects.md#d1-statements-in-one-message-share-one-tracker-key',
    maintenance: null,
    'cache-single-domain': null,
    'cache-multi-domain':
      'docs/coherence.md#c1-the-max-of-versions-multi-domain-check-serves-stale-responses-every-design-on-the-published-read-path',
    'turbo-router': null,
  };
  it.each(SCENARIOS.map((s) => s.name))('%s: its why links the entry of its own workload', (scenario) => {
    const { causes } = scenarioLesson({
      scenario,
      design: 'seed',
      ok: false,
      readPath: 'design',
      summary: { missed: 1, extra: 0, stale: 1 },
    });
    expect(scenario in ENTRY).toBe(true);
    expect(causes[0]?.doc ?? null).toBe(ENTRY[scenario]);
  });

  it('slugs headings as GitHub does (the link check above depends on it)', () => {
    expect(slug('D3. Back-to-back statements under a millisecond clock (PGlite only)')).toBe(
      'd3-back-to-back-statements-under-a-millisecond-clock-pglite-only',
    );
    expect(anchors('docs/defects.md').has('no-such-entry')).toBe(false);
  });

  it('offers a cause only for the failure the report shows, and as a hint on a design it was not measured on', () => {
    const lesson = (design: string, summary: { missed: number; extra: number; stale: number }) =>
      scenarioLesson({ scenario: 'loop-vs-batch', design, ok: false, readPath: 'base', summary });
    expect(lesson('seed', { missed: 2997, extra: 0, stale: 0 }).causes).toEqual([
      expect.objectContaining({ cause: 'message-key', measured: true }),
    ]);
    expect(lesson('my.sql', { missed: 1, extra: 0, stale: 0 }).causes).toEqual([
      expect.objectContaining({ cause: 'message-key', measured: false }),
    ]);
    // Too many bumps is not what a shared tracker key explains.
    expect(lesson('my.sql', { missed: 0, extra: 2997, stale: 0 }).causes).toEqual([]);
  });

  it('sends a broken design to the corrected one, and a kept promise to the next scenario', () => {
    const missed = { missed: 1, extra: 0, stale: 0 };
    const none = { missed: 0, extra: 0, stale: 0 };
    const broke = scenarioLesson({
      scenario: 'tenant-move',
      design: 'seed',
      ok: false,
      readPath: 'design',
      summary: missed,
    });
    expect(broke.causes.map((c) => c.cause)).toEqual(['old-tenant']);
    expect(broke.next.command).toBe('npx turbo-sim run tenant-move --design robust');
    const kept = scenarioLesson({
      scenario: 'loop-vs-batch',
      design: 'robust',
      ok: true,
      readPath: 'base',
      summary: none,
    });
    expect(kept.causes).toEqual([]);
    expect(kept.next.command).toBe(`npx turbo-sim run ${nextScenario('loop-vs-batch')} --design robust`);
    const last = pathOrder().at(-1) as string;
    expect(
      scenarioLesson({ scenario: last, design: 'robust', ok: true, readPath: 'base', summary: none }).next
        .command,
    ).toBe('npx turbo-sim check --design robust');
  });
  it("on a user's schema, points to the next scenario the schema can run, with its flags", () => {
    const schema = {
      flags: '--schema s.sql --tenant-column org_id',
      scenarios: ['loop-vs-batch', 'cascade-contract'],
    };
    const none = { missed: 0, extra: 0, stale: 0 };
    const from = (scenario: string) =>
      scenarioLesson({ scenario, design: 'robust', ok: true, readPath: 'base', summary: none, schema }).next
        .command;
    const order = pathOrder();
    const [first, second] = schema.scenarios.sort((a, b) => order.indexOf(a) - order.indexOf(b)) as [
      string,
      string,
    ];
    expect(from(first)).toBe(`npx turbo-sim run ${second} --design robust ${schema.flags}`);
    expect(from(second)).toBe(`npx turbo-sim check --design robust ${schema.flags}`);
  });
});
