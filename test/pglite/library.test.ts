import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The library as a user's own test suite imports it: the built package (npm test builds dist/ first),
// by its entry point, with nothing but a design given.
const entry = pathToFileURL(resolve('dist/index.js')).href;

describe('turbo-sim as a library', () => {
  it('checkDesign needs only a design; assertDesign throws the report with the replay command', async () => {
    const lib = await import(entry);
    const report = await lib.checkDesign({
      design: lib.loadDesign('robust'),
      runs: 5,
      properties: ['batch'],
    });
    expect(report).toMatchObject({ ok: true, runs: 5, seed: 42, readPath: 'base' });
    const err = await lib
      .assertDesign({ design: lib.loadMutant('no-truncate'), properties: ['truncate'], shrink: false })
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(lib.DesignViolation);
    expect(err.message).toContain(
      'replay: npx turbo-sim check --design mutant:no-truncate --property truncate',
    );
    expect(err.message).toContain('diagnosis (triggers): TRUNCATE bumps nothing');
    // It was not shrunk, and the report says so rather than "shrunk to".
    expect(err.message).toContain('found with');
    // Every formatter the README names works on a report with nothing else given.
    for (const r of [report, err.report]) {
      expect(lib.formatCheck(r)).toContain(`design ${r.design}`);
      expect(lib.checkJson(r)).toMatchObject({ design: r.design, ok: r.ok });
      expect(lib.checkJunit(r)).toContain('<testsuite');
      expect(lib.checkTap(r)).toMatch(/^TAP version 14/);
      expect(lib.checkHtml(r)).toContain('<html');
    }
  });
});
