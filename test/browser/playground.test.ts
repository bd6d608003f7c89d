/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANTS } from '../../src/model/workload.js';
import { serveSite } from '../../src/playground/site.js';
import { cliHere } from '../support/fixtures.js';

// The playground as a learner opens it: `turbo-sim playground --out DIR` served by a plain static
// file server (nothing of turbo-sim's), in Debian's headless Chromium, 400 px wide. One browser and
// one page for the file; PGlite starts in the page, once per design, so the flows share it. The
// page is bundled first, as `npm run build` does. `npm run screenshots` writes
// the README's screenshot to docs/.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: no Chromium at ${CHROMIUM} (Debian package chromium)`);

const insert = (id: number) => `INSERT INTO tv_allocation (id, tenant_id) VALUES (${id}, '${TENANTS[0]}');`;
/** A user's design as a learner would paste it: the naive per-row bump. */
const PER_ROW = 'sql/mutants/per-row-no-dedup/10-per-row-no-dedup.sql';
const DO_BLOCK = `DO $$\nBEGIN\n  ${insert(1)}\n  ${insert(2)}\nEND $$;`;

/** Any static file server: a path is a file of the folder, or 404. */
function staticServer(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
    const file = join(dir, name);
    if (name.includes('..') || !existsSync(file)) res.writeHead(404).end();
    else
      res
        .writeHead(200, {
          'content-type': name.endsWith('.js')
            ? 'text/javascript'
            : name.endsWith('.wasm')
              ? 'application/wasm'
              : name.endsWith('.html')
                ? 'text/html'
                : 'application/octet-stream',
        })
        .end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, origin: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
    }),
  );
}

describe.skipIf(!hasChromium)('the playground in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-playground-'));
  let browser: Browser;
  let page: Page;
  let http: { server: Server; origin: string };
  const requests: string[] = [];
  const errors: string[] = [];
  let onPageError = (_message: string) => {};

  beforeAll(async () => {
    // npm test builds no dist/ (tsc -b does, without the bundle): bundled here, so the page is this source's.
    execFileSync(process.execPath, ['scripts/bundle-playground.mjs']);
    const out = await cliHere(['playground', '--out', dir]);
    expect(out.code, out.stderr).toBe(0);
    http = await staticServer(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // PGlite's WASM in Liftoff, V8's baseline compiler, only: the same code, the same results,
        // but no TurboFan recompiling postgres's hot functions, which the test's short runs never
        // pay back. Measured back to back: the page's renderer 14.5 s -> 8.9 s of CPU.
        '--js-flags=--liftoff-only',
      ],
    });
    page = await browser.newPage({ viewport: { width: 400, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => {
      errors.push(e.message);
      onPageError(e.message);
    });
    await page.goto(`${http.origin}/`);
    expect(await settled()).toBe('ready');
  });

  afterAll(async () => {
    await browser?.close();
    // A beforeAll that failed early leaves no server: waiting on its close would never end.
    if (http) await new Promise((r) => http.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Waits until the page is done with what it was doing (body[data-state]: ready, done or error)
   * and says which. No time limit: PGlite starts slowly on a busy machine; an error ends the wait.
   */
  async function settled(): Promise<string> {
    // An uncaught error in the page (one at load leaves it loading for ever) ends the wait too.
    const crashed = new Promise<string>((resolve) => {
      onPageError = (e) => resolve(`page error: ${e}`);
      if (errors.length > 0) resolve(`page error: ${errors[0]}`);
    });
    const waited = page
      .waitForFunction(() => ['ready', 'done', 'error'].includes(document.body.dataset.state ?? ''), null, {
        timeout: 0,
      })
      .then(() => null);
    const crash = await Promise.race([waited, crashed]);
    if (crash) return crash;
    // An error comes with the page's own message, so a failing test says what went wrong.
    return page.evaluate(() => {
      const state = document.body.dataset.state ?? '';
      return state === 'error' ? `error: ${document.getElementById('status')?.textContent}` : state;
    });
  }

  /** The verdict marks of one design's column, in timeline order. */
  const verdicts = (design: string) =>
    page
      .locator(`td.design:has(> .design-label:text-is("${design}")) [data-verdict]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));

  it('runs a DO block of two INSERTs on seed and robust side by side: MISSED under seed, none under robust', async () => {
    await page.getByTestId('scenario-select').selectOption('');
    await page.getByTestId('design-select').selectOption(['seed', 'robust']);
    await page.getByTestId('sql-input').fill(DO_BLOCK);
    await page.getByTestId('run').click();
    expect(await settled()).toBe('done');
    expect(await page.getByTestId('status').textContent()).toMatch(/seed: promise broken/);
    expect(await verdicts('seed')).toEqual(['MISSED']);
    expect(await verdicts('robust')).toEqual(['ok']);
    // The same account as the HTML report: versions before -> after against expected, and why.
    const seedRow = page.locator(
      'td.design:has(> .design-label:text-is("seed")) tr[data-pair="a/allocation"]',
    );
    expect(await seedRow.locator('td').allTextContents()).toEqual(['a/allocation', '0 → 1', '2', 'MISSED 1']);
    expect(await page.locator('.charts figure').count()).toBeGreaterThan(0);
    // why: a DO block's statements share the seed's tracker key, with its catalogue entry (D2).
    const why = page.locator('.lesson[data-design="seed"] .why');
    expect(await why.getAttribute('data-cause')).toBe('message-key');
    expect(await why.textContent()).toMatch(/Read more: D2\b/);
    // Its entry links the catalogue the site serves beside the page.
    const entry = await page.locator('section.entry[data-cause="message-key"] a.doc').getAttribute('href');
    expect(entry).toMatch(/^docs\/defects\.md#d2-/);
    expect((await fetch(`${http.origin}/${entry?.replace(/#.*/, '')}`)).status).toBe(200);
    expect(await page.locator('.lesson[data-design="robust"] .why').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('is usable 400 px wide, asks nothing of any other host, and resets in one click', async () => {
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(400);
    const foreign = requests.filter((u) => !u.startsWith(`${http.origin}/`));
    expect(foreign).toEqual([]);
    expect(requests.some((u) => u.endsWith('/pglite.wasm'))).toBe(true);
    const shots = process.env.TURBO_SIM_SCREENSHOTS;
    if (shots) {
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(shots, 'playground-1280.png'), fullPage: false });
      await page.setViewportSize({ width: 400, height: 900 });
    }
    await page.getByTestId('reset').click();
    expect(await settled()).toBe('ready');
    expect(await page.getByTestId('results').innerHTML()).toBe('');
  });

  let link = '';

  it('guides along the learning path: what to notice, a question, a scenario run with its cached reads and why', async () => {
    await page.getByTestId('share').click();
    link = await page.getByTestId('share-link').inputValue();
    await page.locator('#path button[data-scenario="cache-multi-domain"]').click();
    expect(await page.getByTestId('lesson').textContent()).toMatch(
      /What to notice:.*Then try:.*next step: turbo-router/s,
    );
    expect(await page.getByTestId('sql-input').isVisible()).toBe(false);
    await page.getByTestId('run').click();
    expect(await settled()).toBe('done');
    const stale = (design: string) =>
      page.locator(`td.design.stale:has(> .design-label:text-is("${design}"))`).count();
    expect(await stale('seed')).toBeGreaterThan(0);
    expect(await stale('robust')).toBe(0);
    expect(await page.locator('td.design .badge.hit').count()).toBeGreaterThan(0);
    expect(await page.locator('.lesson[data-design="seed"] .why').getAttribute('data-cause')).toBe(
      'read-path',
    );
  });

  it('runs a pasted design beside the built-in ones: a per-row bump is EXTRA on a two-row INSERT', async () => {
    await page.getByTestId('scenario-select').selectOption('');
    await page.locator('#pasted-box summary').click();
    await page.getByTestId('design-sql').fill(readFileSync(PER_ROW, 'utf8'));
    await page.getByTestId('design-select').selectOption(['robust', 'pasted']);
    await page
      .getByTestId('sql-input')
      .fill(`INSERT INTO tv_allocation (id, tenant_id) VALUES (1, '${TENANTS[0]}'), (2, '${TENANTS[0]}')`);
    await page.getByTestId('run').click();
    expect(await settled()).toBe('done');
    expect(await verdicts('pasted')).toEqual(['EXTRA']);
    expect(await verdicts('robust')).toEqual(['ok']);
  });

  // After the runs: the reload starts a new page, whose first run would compile PGlite's WASM and
  // start its databases again (about 5 s of the renderer's CPU); the link was taken before them.
  it('shares designs and messages as a link that opens the same state', async () => {
    expect(link).toMatch(/#design=robust&design=seed&message=DO/);
    await page.goto('about:blank');
    await page.goto(link);
    expect(await settled()).toBe('ready');
    expect(await page.getByTestId('sql-input').inputValue()).toBe(DO_BLOCK);
    expect(
      await page
        .getByTestId('design-select')
        .evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value)),
    ).toEqual(['robust', 'seed']);
  });

  it('serves the same files itself on localhost', async () => {
    const server = await serveSite(0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      for (const name of ['index.html', 'app.js', 'catalog.json']) {
        const served = Buffer.from(await (await fetch(new URL(name, server.url))).arrayBuffer());
        expect(served.equals(readFileSync(join(dir, name))), name).toBe(true);
      }
      expect((await fetch(new URL('../etc/passwd', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
