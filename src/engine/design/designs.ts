import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../../model/input-error.js';
import { packageRoot } from './package-root.js';
import { type SqlFile, sqlFilesOf } from './sql-files.js';

/** A design: the SQL that installs its triggers on top of the base layer. */
export interface Design {
  name: string;
  description: string;
  /** True for the designs shipped in `sql/designs`, false for a user's file or folder. */
  builtin: boolean;
  files: SqlFile[];
}

const designsDir = () => join(packageRoot(), 'sql', 'designs');
const mutantsDir = () => join(packageRoot(), 'sql', 'mutants');

interface DesignMeta {
  description?: string;
  /** A built-in design whose files run first. */
  extends?: string;
}

function readMeta(dir: string): DesignMeta {
  const f = join(dir, 'design.json');
  if (!existsSync(f)) return {};
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as DesignMeta;
  } catch (e) {
    throw new InputError(`${f}: ${(e as Error).message}`);
  }
}

/** Names of the designs shipped with turbo-sim, sorted. */
export function builtinDesignNames(): string[] {
  return readdirSync(designsDir())
    .filter((d) => statSync(join(designsDir(), d)).isDirectory())
    .sort();
}

/** Names of the deliberately broken designs (mutants) the suite must reject, sorted. */
export function mutantNames(): string[] {
  if (!existsSync(mutantsDir())) return [];
  return readdirSync(mutantsDir())
    .filter((f) => statSync(join(mutantsDir(), f)).isDirectory())
    .sort();
}

/** The prefix that names a mutant wherever a design name is taken: `mutant:no-truncate`. */
export const MUTANT_PREFIX = 'mutant:';

/**
 * A mutant by name: a folder `sql/mutants/NAME/` whose design.json may extend a built-in design, so
 * a mutant is the design it breaks plus one small change. Its name is `mutant:NAME`, the form every
 * report prints and `loadDesign` reads back.
 */
export function loadMutant(name: string): Design {
  const dir = join(mutantsDir(), name);
  if (!mutantNames().includes(name))
    throw new InputError(`unknown mutant "${name}" (known: ${mutantNames().join(', ')})`);
  return { ...loadFolder(dir), name: `${MUTANT_PREFIX}${name}` };
}

function loadFolder(dir: string, chain: string[] = []): Design {
  const meta = readMeta(dir);
  const parent = meta.extends ? loadBuiltin(meta.extends, [...chain, basename(dir)]).files : [];
  return {
    name: basename(dir),
    description: meta.description ?? '',
    builtin: true,
    files: [...parent, ...sqlFilesOf(dir)],
  };
}

function loadBuiltin(name: string, chain: string[] = []): Design {
  if (!builtinDesignNames().includes(name)) {
    throw new InputError(
      `unknown design "${name}" (known: ${builtinDesignNames().join(', ')}; or give a path to a .sql file or folder)`,
    );
  }
  if (chain.includes(name)) throw new InputError(`design ${name} extends itself (${chain.join(' -> ')})`);
  return loadFolder(join(designsDir(), name), chain);
}

/**
 * A design by built-in name (`seed`, `seed-on-conflict`, `robust`, ...), by mutant name
 * (`mutant:no-truncate`), or by path to a user's `.sql` file or folder of `.sql` files (run in
 * file-name order). Every name a report prints resolves here.
 */
export function loadDesign(nameOrPath: string): Design {
  if (nameOrPath.startsWith(MUTANT_PREFIX)) return loadMutant(nameOrPath.slice(MUTANT_PREFIX.length));
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.endsWith('.sql') || nameOrPath.startsWith('.');
  if (!looksLikePath) return loadBuiltin(nameOrPath);
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new InputError(`design path ${nameOrPath} does not exist`);
  if (statSync(path).isDirectory()) {
    if (sqlFilesOf(path).length === 0) throw new InputError(`design folder ${nameOrPath} has no .sql file`);
    // A folder may carry a design.json too, e.g. to extend a built-in design with one change.
    const folder = loadFolder(path);
    return {
      ...folder,
      name: nameOrPath,
      description: folder.description || `user design ${basename(path)}`,
      builtin: false,
    };
  }
  return {
    name: nameOrPath,
    description: `user design ${basename(path)}`,
    builtin: false,
    files: [{ path, sql: readFileSync(path, 'utf8') }],
  };
}
