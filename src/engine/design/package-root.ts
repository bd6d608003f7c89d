import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding turbo-sim's package.json, found by walking up from this module, so that the
 * same code finds `sql/` whether it runs from `src/` (tests) or `dist/` (the installed CLI).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'sql'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('turbo-sim: cannot find the package root (package.json beside sql/)');
    dir = parent;
  }
  return dir;
}
