import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../model/input-error.js';
import type { PgtapFiles } from '../report/pgtap-files.js';
import { EXIT } from './exit.js';
import { note } from './options.js';
import { checkWritableFile } from './output-file.js';

/**
 * Refuses (exit 2) a --pgtap folder the command could not write into, before the check runs: an
 * existing folder must be writable, a new one's parent must be (it is created only once there is
 * something to write, so an error leaves nothing behind).
 */
export function checkPgtapDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`--pgtap ${dir} is not a folder`);
    checkWritableFile(join(dir, 'x.sql'), '--pgtap');
  } else checkWritableFile(resolve(dir), '--pgtap');
}

/**
 * Writes the files into `dir`, each whole (written beside, then renamed), and says on stderr how
 * many and what was left out. A failure is one line and exit 2; the report is already on stdout.
 */
export function writePgtapDir(dir: string, out: PgtapFiles): void {
  for (const n of out.notes) note(`--pgtap: ${n}`);
  let tmp = '';
  try {
    mkdirSync(dir, { recursive: true });
    for (const f of out.files) {
      const path = join(dir, f.name);
      checkWritableFile(path, '--pgtap');
      tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, f.sql);
      renameSync(tmp, path);
      tmp = '';
    }
    note(`--pgtap: ${out.files.length} pgTAP file(s) written to ${dir} (run them with pg_prove)`);
  } catch (e) {
    if (tmp) rmSync(tmp, { force: true });
    note(`turbo-sim: --pgtap ${dir}: not written (${(e as Error).message}); the report is on stdout`);
    process.exitCode = EXIT.input;
  }
}
