import { accessSync, constants, lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../model/input-error.js';
import { EXIT } from './exit.js';
import { note } from './options.js';

// Files are written beside their target and renamed into place, so a failure never leaves half a
// file. Renaming replaces whatever the path names: a device, a FIFO or a symbolic link would be
// replaced by a plain file (run as root, `--html /dev/full` replaced the machine's /dev/full). So
// the target must be a regular file or not exist; a link is refused rather than followed, since
// what it points at is not what the user named.

/** What stands at `path` now, when it is not a regular file: its kind in words; null when fine. */
function notARegularFile(path: string): string | null {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return null; // nothing there yet
  }
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link (name the file it points at)';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Refuses (exit 2) a file the command could not write, before any work is done: its folder must
 * exist and be writable, and the path must be a regular file or nothing.
 */
export function checkWritableFile(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    accessSync(folder, constants.W_OK);
  } catch (e) {
    throw new InputError(`${flag} ${path}: cannot write into ${folder} (${(e as Error).message})`);
  }
  const kind = notARegularFile(path);
  if (kind) throw new InputError(`${flag} ${path} is ${kind}: turbo-sim writes only regular files`);
}

/**
 * Writes `text` whole at `path`, a file `checkWritableFile` accepted, and says so on stderr. Call it
 * after the report is printed: a failure (a full disk, the folder gone) is one line naming the path
 * and exit 2, and the report the user waited for is already on stdout (so `--json` still gets one
 * document there).
 */
export function writeFileWhole(path: string, text: string | Uint8Array, flag: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const kind = notARegularFile(path);
    if (kind) throw new Error(`it is now ${kind}`);
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    note(`${flag} written to ${path}`);
  } catch (e) {
    rmSync(tmp, { force: true });
    note(`turbo-sim: ${flag} ${path}: not written (${(e as Error).message}); the report is on stdout`);
    process.exitCode = EXIT.input;
  }
}
