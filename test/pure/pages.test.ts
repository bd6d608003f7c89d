import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkJson, formatCheck } from '../../src/report/check.js';
import { checkHtml } from '../../src/report/check-html.js';
import { GLOSSARY } from '../../src/report/glossary.js';
import { scheduledHtml } from '../../src/report/interleaving-html.js';
import { checkJunit } from '../../src/report/junit.js';
import { formatScenarioReport } from '../../src/report/scenario.js';
import { scenarioHtml } from '../../src/report/scenario-html.js';
import { checkTap } from '../../src/report/tap.js';
import { type VersionSeries, versionChart } from '../../src/report/version-chart.js';
import { nextScenario } from '../../src/teaching/lessons.js';
import type { PropertyResult } from '../../src/verify/check.js';
import type { Counterexample } from '../../src/verify/counterexample.js';
import { failedCheck, message, read, scenarioReport } from '../support/report-fixtures.js';

// The HTML pages (and the formats beside them) read as strings: what a reader of the page must be
// able to see is in the markup, so no browser is needed to check it.

/** The points of every <polyline> of `svg` with attribute `attr`, as [x, y] pairs. */
function polylines(svg: string, attr: string): [number, number][][] {
  return [...svg.matchAll(new RegExp(`<polyline [^>]*${attr}[^>]*points="([^"]+)"`, 'g'))].map((m) =>
    (m[1] as string).split(' ').map((p) => p.split(',').map(Number) as [number, number]),
  );
}

/** The y of the horizontal axis (the line at value 0) of a chart. */
const axisY = (svg: string) =>
  Number(/<line x1="\d+" y1="([\d.]+)" x2="\d+" y2="\1" stroke="#8c959f"/.exec(svg)?.[1]);

/** The in-page links of a page that lead nowhere on it. */
function danglingLinks(page: string): string[] {
  const ids = new Set([...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
  return [...page.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] as string).filter((id) => !ids.has(id));
}

// loop-vs-batch as the seed runs it: 1000 bumps due in one message, one made.
const loop: VersionSeries = {
  tenant: '00000000-0000-4000-8000-00000000000a',
  domain: 'machine',
  expected: [0, 1000, 1001],
  observed: [
    { design: 'seed', values: [0, 1, 2] },
    { design: 'robust', values: [0, 1000, 1001] },
  ],
};

describe('version charts', () => {
  it('draw steps: a version holds flat until a message moves it, no slope between messages', () => {
    const lines = polylines(versionChart(loop), 'class="observed"');
    expect(lines).toHaveLength(2);
    for (const points of lines)
      for (const [i, [x, y]] of points.entries()) {
        if (i === 0) continue;
        const [px, py] = points[i - 1] as [number, number];
        expect(x === px || y === py, `segment ${px},${py} -> ${x},${y}`).toBe(true);
      }
  });

  it('keep 1 readable beside 1000: the seed at 1 stands clear of 0, and the axis says 1 and 1000', () => {
    const svg = versionChart(loop);
    const [seed] = polylines(svg, 'data-design="seed"');
    const atOne = (seed ?? [])[2]?.[1] as number; // after message 1: start, step across, step up to 1
    expect(axisY(svg) - atOne).toBeGreaterThanOrEqual(10);
    const labels = [...svg.matchAll(/text-anchor="end">(\d+)</g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['0', '1', '1000']));
    expect(svg).toContain('log scale');
  });

  it('stay linear for small versions, where every step is already tall', () => {
    const svg = versionChart({
      ...loop,
      expected: [0, 1, 2],
      observed: [{ design: 'seed', values: [0, 1, 1] }],
    });
    expect(svg).not.toContain('log scale');
  });
});

// cache-multi-domain on the seed (its own read path: the MAX of the guarding domains' versions) and
// robust (the base layer's SUM): the same bumps, so the same version charts; only the read path's
// version after the maintenance write tells them apart.
const cacheSteps = (readPathVersions: [number, number, number], stale: boolean) => [
  message(1, 'allocation', 0, 1, 1),
  message(2, 'allocation', 1, 2, 2),
  read(readPathVersions[0], null, false),
  read(readPathVersions[1], 2, false),
  message(3, 'maintenance', 0, 1, 1),
  read(readPathVersions[2], 2, stale),
];
const cacheSeed = scenarioReport('cache-multi-domain', 'seed', 'design', cacheSteps([2, 2, 2], true));
const cacheRobust = scenarioReport('cache-multi-domain', 'robust', 'base', cacheSteps([2, 2, 3], false));

describe('the scenario page', () => {
  const page = scenarioHtml([cacheSeed, cacheRobust]);

  it("plots the read path's version at each cached read, where MAX and SUM part", () => {
    const figure = /<figure class="read-path"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
    expect(figure).toContain('R1, R2, R3');
    const [seed] = polylines(figure, 'data-design="seed"');
    const [robust] = polylines(figure, 'data-design="robust"');
    expect(seed?.at(-1)?.[1]).toBeGreaterThan(robust?.at(-1)?.[1] as number); // 2 sits below 3
    expect(seed?.slice(0, -2)).toEqual(robust?.slice(0, -2)); // the same until the last read
    expect(figure).toMatch(/<circle [^>]*fill="#cf222e"/); // the seed's stale read
    expect(page).toContain('id="read-3"');
  });

  it('numbers messages and reads the same in the text and on the page', () => {
    const text = formatScenarioReport(cacheSeed);
    expect(text).toMatch(/^ {2}\[3\] INSERT INTO tv_maintenance/m);
    expect(text).toMatch(/^ {2}-> R3 machine overview/m);
    expect(page).toMatch(
      /<tr class="step message" id="message-3"><th scope="row">3<\/th><td class="what"><pre class="sql"><code>INSERT INTO tv_maintenance/,
    );
    expect(page).toMatch(/<tr class="step read" id="read-3"><th scope="row">R3<\/th>/);
  });

  it("says in the text where the docs/ it names are: in the package, not in the reader's folder", () => {
    for (const text of [formatScenarioReport(cacheSeed), formatCheck(failedCheck)]) {
      const at = /^docs\/ above: the catalogue shipped with turbo-sim, at (.+)$/m.exec(text)?.[1] as string;
      expect(existsSync(join(at, 'defects.md')), at).toBe(true);
    }
    expect(formatScenarioReport(cacheRobust)).not.toContain('docs/ above');
  });

  it("links every why to the entry on the page, and the entry to the package's catalogue", () => {
    const more = /<p class="why" data-cause="read-path">[\s\S]*?<a class="more" href="#([^"]+)"/.exec(page);
    expect(more?.[1]).toMatch(/^entry-coherence-md-c1-/);
    expect(page).toContain(`<section class="entry" id="${more?.[1]}"`);
    const doc = /<a class="doc" href="([^"]+)">docs\/coherence\.md#c1-/.exec(page)?.[1] as string;
    expect(existsSync(fileURLToPath(doc.replace(/#.*$/, '')))).toBe(true);
    expect(danglingLinks(page)).toEqual([]);
  });

  it('links its words to a glossary on the page, the same glossary as docs/glossary.md', () => {
    for (const term of ['message', 'tracker', 'pair', 'read-path', 'statement', 'version', 'stale'])
      expect(page, term).toContain(`href="#term-${term}"`);
    expect(page).toContain('<h2 id="glossary">');
    const doc = readFileSync('docs/glossary.md', 'utf8').replace(/\s+/g, ' ');
    for (const g of GLOSSARY) expect(doc, g.term).toContain(`**${g.term}**: ${g.text}`);
  });

  it('never sends the reader to what the page already shows side by side', () => {
    const next = (html: string, design: string) =>
      new RegExp(`<div class="lesson [^"]*" data-design="${design}">[\\s\\S]*?<pre><code>([^<]*)`).exec(
        html,
      )?.[1];
    const after = nextScenario('cache-multi-domain');
    expect(next(page, 'seed')).toBe(
      after ? `npx turbo-sim run ${after} --design seed,robust` : 'npx turbo-sim check --design seed',
    );
    // Alone on its page, the seed is still sent to the corrected design.
    expect(next(scenarioHtml([cacheSeed]), 'seed')).toBe(
      'npx turbo-sim run cache-multi-domain --design robust',
    );
  });
});

describe('the check page and the formats beside it', () => {
  const page = checkHtml(failedCheck);
  const junit = checkJunit(failedCheck);

  it('shows the fix and the split replays the diagnosis rests on, in HTML and in JUnit (the fix in TAP too)', () => {
    const fix = checkJson(failedCheck).properties[0]?.diagnosis?.fix as string;
    expect(fix).toMatch(/txid_current/);
    const unescaped = (s: string) =>
      s
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
    // Under the counterexample itself, and again in the entry its "Read more" leads to.
    const section = /<section class="counterexample"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(unescaped(section)).toContain(`<p class="fix">fix: ${fix}</p>`);
    expect(unescaped(page)).toMatch(
      new RegExp(
        `<section class="entry"[^>]*data-cause="per-transaction">.*fix: ${fix.replace(/[()]/g, '\\$&')}`,
      ),
    );
    expect(page).toMatch(
      /<li data-split="transactions">[^<]*each in its own transaction: <span class="badge ok">/,
    );
    expect(page).toMatch(/<li data-split="messages">[^<]*: <span class="badge missed">MISSED again/);
    expect(unescaped(junit)).toContain(`fix: ${fix}`);
    expect(junit).toContain('its statements each in its own transaction: every bump made');
    expect(checkTap(failedCheck)).toContain(`  fix: ${JSON.stringify(fix)}`);
    expect(junit).toContain('message 3: no function ran; bumps observed/expected: a/price 0/1');
    expect(danglingLinks(page)).toEqual([]);
    expect(page).toContain('href="#term-culprit"');
  });

  it('says on the page, as in the text and JUnit, when the account did not show the failure again', () => {
    const [p] = failedCheck.properties as [PropertyResult];
    const cx = p.counterexample as Counterexample;
    const report = {
      ...failedCheck,
      properties: [{ ...p, counterexample: { ...cx, accountReproduced: false } }],
    };
    expect(checkHtml(report)).toContain(
      '<p class="notice account-not-reproduced">this replay did not reproduce',
    );
    expect(checkHtml(failedCheck)).not.toContain('account-not-reproduced');
    expect(checkJunit(report)).toContain('this replay did not reproduce the violation');
  });

  it('numbers the failing message the same in text, HTML, JSON and JUnit', () => {
    expect(formatCheck(failedCheck)).toContain('(message 3)');
    expect(checkJson(failedCheck).violations[0]?.message).toBe(3);
    expect(junit).toContain('(message 3)');
    const row = /<tr class="step message"><th scope="row">3<\/th>[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    expect(row).toContain('badge missed');
  });
});

describe('the concurrency page', () => {
  it('links its words to the same glossary', () => {
    const page = scheduledHtml({
      design: 'robust',
      workload: 'cache',
      sessions: 2,
      steps: 3,
      seed: 1,
      interleavings: 1,
      ok: true,
      violations: [],
      counterexample: null,
      replay: 'npx turbo-sim concurrency --design robust --workload cache --sessions 2 --steps 3 --seed 1',
      committedStatements: 4,
      deadlocks: 0,
      serializationFailures: 0,
      readsServed: 2,
      quietChecks: 3,
    });
    for (const term of ['session', 'interleaving', 'statement'])
      expect(page, term).toContain(`href="#term-${term}"`);
    expect(danglingLinks(page)).toEqual([]);
  });
});
