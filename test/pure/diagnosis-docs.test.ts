import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeClass } from '../../src/report/diagnosis.js';
import type { DiagnosisClass } from '../../src/verify/diagnosis.js';

// Each class a report names says what to change; docs/defects.md must say the same under the entry
// the report links, so that the page and the report never give two different fixes.
const CLASSES: DiagnosisClass[] = [
  'per-row',
  'per-trigger',
  'message-key',
  'clock-key',
  'per-transaction',
  'old-tenant',
  'truncate-ignored',
  'missing-cascade-edge',
  'extra-cascade-edge',
  'one-level-cascade',
  'cte-order',
];

describe('a fix per class', () => {
  const defects = readFileSync('docs/defects.md', 'utf8');
  const slug = (h: string) =>
    h
      .toLowerCase()
      .replace(/[^a-z0-9 _-]/g, '')
      .replace(/ /g, '-');
  /** The text under the heading `anchor` links to, up to the next heading. */
  const section = (anchor: string) => {
    const parts = defects.split(/^## /m);
    return parts.find((p) => slug(p.split('\n')[0] ?? '') === anchor) ?? '';
  };

  it.each(CLASSES)('%s: the report and docs/defects.md give the same fix, pointing to robust', (cls) => {
    const { doc, fix } = describeClass(cls, 'base');
    expect(fix).toMatch(/robust/);
    expect(doc).toMatch(/^docs\/defects\.md#/);
    expect(section(doc?.split('#')[1] ?? '')).toContain(`Fix: ${fix}`);
  });

  it('every class but "no known class" has a fix', () => {
    for (const cls of [...CLASSES, 'read-path', 'missed-bumps-read', 'tenant-leak', 'design-error'] as const)
      expect(describeClass(cls, 'design').fix).toBeTruthy();
    expect(describeClass('unknown', 'base').fix).toBeNull();
  });
});
