import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesign } from '../../src/engine/design/designs.js';
import { seedGraph } from '../../src/engine/design/domain-file.js';
import { checkJson } from '../../src/report/check.js';
import { checkHtml } from '../../src/report/check-html.js';
import { scenarioHtml } from '../../src/report/scenario-html.js';
import { nextScenario } from '../../src/teaching/lessons.js';
import { findScenario, type Scenario } from '../../src/teaching/scenarios.js';
import { checkDesign } from '../../src/verify/check.js';
import { type MessageReport, runScenario, type ScenarioReport } from '../../src/verify/scenario.js';

// The HTML reports as a reader sees them, opened from file:// in Debian's headless Chromium with
// JavaScript off: one browser and one page for the file (each new page started a renderer, about
// 0.5 s of Chromium's CPU). Skipped, visibly, where the machine has no Chromium (.ci/run installs
// it with apt-get when it can). The two screenshots the README shows go to a temporary folder, or
// to $TURBO_SIM_SCREENSHOTS (`npm run screenshots`: docs/).

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: no Chromium at ${CHROMIUM} (Debian package chromium)`);

const MUTANT = 'sql/mutants/per-row-no-dedup/10-per-row-no-dedup.sql';

/** Width of a PNG, from its IHDR chunk. */
const pngWidth = (file: string) => readFileSync(file).readUInt32BE(16);

describe.skipIf(!hasChromium)('HTML reports in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-html-'));
  const file = (name: string) => join(dir, name);
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL any page of the context asked for. */
  const requests: string[] = [];
  let sideBySide: ScenarioReport[];
  let extra: ScenarioReport;
  let check: ReturnType<typeof checkJson>;

  beforeAll(async () => {
    // Built in this process, from the same functions the CLI calls (test/pglite/cli.test.ts covers
    // the --html flags themselves): a process start-up costs more than the runs.
    const graph = seedGraph();
    const html = (name: string, text: string) => writeFileSync(file(name), text);
    const tenantMove = findScenario('tenant-move') as Scenario;
    sideBySide = [];
    for (const d of ['seed', 'robust']) sideBySide.push(await runScenario(tenantMove, loadDesign(d), graph));
    html('run.html', scenarioHtml(sideBySide));
    extra = await runScenario(findScenario('multi-tenant') as Scenario, loadDesign(MUTANT), graph);
    html('extra.html', scenarioHtml([extra]));
    const checked = await checkDesign({
      design: loadDesign('seed'),
      properties: ['batch', 'truncate'],
      runs: 12,
    });
    html('check.html', checkHtml(checked));
    check = checkJson(checked);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page, showing report `name` at the context's size. */
  async function open(name: string): Promise<Page> {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file(name)).href, { waitUntil: 'load' });
    return page;
  }

  /** Requests other than the report files themselves. */
  const foreign = () => requests.filter((u) => !u.startsWith(pathToFileURL(dir).href));

  it('shows the timeline with a row per step and the MISSED cells where the JSON has them', async () => {
    const page = await open('run.html');
    const [seed, robust] = sideBySide as [ScenarioReport, ScenarioReport];
    const rows = page.locator('table.timeline > tbody > tr.step');
    expect(await rows.count()).toBe(seed.steps.length);
    const messages = seed.steps.filter((s): s is MessageReport => s.kind === 'message');
    for (const [i, m] of messages.entries()) {
      const [seedCell, robustCell] = [1, 2].map((n) =>
        rows
          .nth(i)
          .locator('td.design')
          .nth(n - 1),
      );
      const missed = m.versions
        .filter((v) => v.after < v.expected)
        .map((v) => `${v.tenant.slice(-1)}/${v.domain}`);
      expect(await seedCell?.locator('td.missed').count()).toBe(missed.length);
      for (const pair of missed)
        expect(await seedCell?.locator(`tr[data-pair="${pair}"] td.missed`).textContent()).toMatch(
          /MISSED\s+\d+/,
        );
      expect(await robustCell?.locator('td.missed, td.extra').count()).toBe(0);
    }
    expect(messages.some((m) => m.missed.length > 0)).toBe(true);
    expect(robust.ok).toBe(true);
    // One chart per pair, a polyline per design; the lesson names the catalogue entry and the next command.
    expect(await page.locator('.charts figure').count()).toBe(
      new Set(messages.flatMap((m) => m.versions.map((v) => `${v.tenant}/${v.domain}`))).size,
    );
    expect(await page.locator('.charts figure').first().locator('polyline.observed').count()).toBe(2);
    expect(await page.locator('.lesson[data-design="seed"] .why').getAttribute('data-cause')).toBe(
      'old-tenant',
    );
    // robust is on the page already: the seed's next step is the next scenario on both.
    expect(await page.locator('.lesson[data-design="seed"] pre').textContent()).toBe(
      `npx turbo-sim run ${nextScenario('tenant-move')} --design seed,robust`,
    );
  });

  it('marks the EXTRA cells of a design that bumps once per row', async () => {
    const page = await open('extra.html');
    const cells = page.locator('table.timeline td.extra');
    const owed = extra.steps
      .filter((s): s is MessageReport => s.kind === 'message')
      .flatMap((m) => m.versions.filter((v) => v.after > v.expected));
    expect(owed.length).toBeGreaterThan(0);
    expect(await cells.count()).toBe(owed.length);
    expect(await cells.first().textContent()).toMatch(/EXTRA\s+\d+/);
    expect(await page.locator('table.timeline td.missed').count()).toBe(0);
  });

  it('shows the check grid and each failing property with its replay command', async () => {
    const page = await open('check.html');
    const grid = page.locator('table.grid > tbody > tr');
    expect(await grid.count()).toBe(check.properties.length);
    for (const p of check.properties) {
      const row = page.locator(`table.grid tr[data-property="${p.name}"]`);
      expect(await row.locator('td.verdict').textContent()).toBe(p.ok ? 'holds' : 'FAILS');
      const section = page.locator(`section#cx-${p.name}`);
      expect(await section.count()).toBe(p.ok ? 0 : 1);
      if (p.counterexample)
        expect(await section.locator('figure.copy pre').first().textContent()).toBe(p.counterexample.replay);
    }
    expect(check.properties.map((p) => p.ok)).toEqual([true, false]);
    expect(await page.locator('section#cx-truncate .why').getAttribute('data-cause')).toBe(
      'truncate-ignored',
    );
    expect(await page.locator('section#cx-truncate td.missed').count()).toBe(1);
  });

  it('loads nothing but the file: no request, script, stylesheet or image from elsewhere', async () => {
    for (const name of ['run.html', 'extra.html', 'check.html']) {
      const page = await open(name);
      expect(await page.locator('script, link, img, iframe, object, embed').count(), name).toBe(0);
    }
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(foreign()).toEqual([]);
    // The detector itself: a page that does reach out is seen doing so.
    await page.setContent('<img src="http://127.0.0.1:9/probe.png">', { waitUntil: 'load' });
    expect(foreign()).toEqual(['http://127.0.0.1:9/probe.png']);
  });

  it('fits 1280 px and 400 px wide, and takes the two screenshots the README shows', async () => {
    const shots = process.env.TURBO_SIM_SCREENSHOTS ?? dir;
    for (const [name, width, shot] of [
      ['run.html', 1280, 'report-run-1280.png'],
      ['run.html', 400, null],
      ['check.html', 1280, null],
      ['check.html', 400, 'report-check-400.png'],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(file(name)).href, { waitUntil: 'load' });
      // Nothing sticks out sideways: wide tables scroll inside their own box, cells stack.
      expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${width}`).toBe(width);
      if (shot) {
        await page.screenshot({ path: join(shots, shot), fullPage: true });
        expect(pngWidth(join(shots, shot)), shot).toBe(width);
      }
    }
  });
});
