import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkWritableFile, writeFileWhole } from '../../src/cli/output-file.js';

// --html and --chart write beside the target and rename over it: whatever stood at the path was
// replaced by a plain file, a device included (issue 22). Only regular files may be written.
const dir = mkdtempSync(join(tmpdir(), 'turbo-sim-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output files', () => {
  it('refuses a device, a FIFO, a symbolic link and a folder before any work, leaving each as it was', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const target = join(dir, 'target.html');
    writeFileSync(target, 'keep');
    const link = join(dir, 'link.html');
    symlinkSync(target, link);
    const cases = [
      ['/dev/null', 'is a device'],
      [fifo, 'is a FIFO'],
      [link, 'is a symbolic link'],
      [dir, 'is a folder'],
    ] as const;
    for (const [path, words] of cases) expect(() => checkWritableFile(path, '--html')).toThrow(words);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep');
    expect(() => checkWritableFile(join(dir, 'new.html'), '--html')).not.toThrow();
    expect(() => checkWritableFile(target, '--html')).not.toThrow();
  });

  it('writes whole, and a failed write is exit 2 naming the path, with no temporary file left', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    const before = process.exitCode;
    try {
      const ok = join(dir, 'ok.html');
      writeFileWhole(ok, '<p>report</p>', '--html');
      expect(readFileSync(ok, 'utf8')).toBe('<p>report</p>');
      expect(process.exitCode).toBe(before);
      // The folder went away between the check and the write.
      const gone = join(dir, 'gone');
      mkdirSync(gone);
      rmSync(gone, { recursive: true });
      writeFileWhole(join(gone, 'r.html'), 'x', '--html');
      expect(process.exitCode).toBe(2);
      expect(lines.join('')).toContain(`--html ${join(gone, 'r.html')}: not written`);
      // A FIFO put there after the check is not opened (opening it would block) nor replaced.
      const late = join(dir, 'late.html');
      execFileSync('mkfifo', [late]);
      writeFileWhole(late, 'x', '--html');
      expect(statSync(late).isFIFO()).toBe(true);
      expect(execFileSync('ls', [dir]).toString()).not.toContain('.tmp');
    } finally {
      process.exitCode = before;
      vi.restoreAllMocks();
    }
  });
});
