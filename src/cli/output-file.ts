import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../model/input-error.js';

/**
 * Refuses (exit 2) a file the command could not write, before any work is done: its folder must
 * exist and be writable, and the path must not be a folder.
 */
export function checkWritableFile(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    accessSync(folder, constants.W_OK);
  } catch (e) {
    throw new InputError(`${flag} ${path}: cannot write into ${folder} (${(e as Error).message})`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`${flag} ${path} is a folder`);
}
/** Writes `text` beside `path` and renames it into place, so a failure never leaves half a file. */
export function writeFileWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
