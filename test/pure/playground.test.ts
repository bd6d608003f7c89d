import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, fragmentState, stateFragment } from '../../src/playground/page/fragment.js';
import { cliHere } from '../support/fixtures.js';

// The playground's link format and its command's bad input; the page itself is tested in
// test/browser/playground.test.ts.

describe('a playground state as a URL fragment', () => {
  it('comes back as it was shared, statements with any character included', () => {
    const state = {
      designs: ['seed', 'robust'],
      scenario: '',
      messages: ["DO $$ BEGIN INSERT INTO tv_machine VALUES (1, 'a&b=#c'); END $$;", 'BEGIN'],
      pasted: 'CREATE FUNCTION f() ... 100% # done',
    };
    expect(fragmentState(`#${stateFragment(state)}`)).toEqual(state);
    expect(fragmentState(stateFragment({ ...DEFAULT_STATE, scenario: 'tenant-move' })).scenario).toBe(
      'tenant-move',
    );
  });

  it('opens with seed and robust on the first scenario when the link says nothing', () => {
    expect(fragmentState('')).toEqual(DEFAULT_STATE);
    expect(fragmentState('#design=row-ledger').designs).toEqual(['row-ledger']);
  });
});

describe('turbo-sim playground: bad input', () => {
  it('refuses a port out of range and an --out that is a file, writing nothing (exit 2)', async () => {
    const port = await cliHere(['playground', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be 0-65535/);
    const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-playground-'));
    try {
      const file = join(dir, 'site');
      writeFileSync(file, 'mine');
      const out = await cliHere(['playground', '--out', file]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/--out .*site: not a folder/);
      expect(readFileSync(file, 'utf8')).toBe('mine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
