import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../design/package-root.js';

// initdb is most of a PGlite start (about 1.5 s of a 2-4 s first start) and its result is the same
// every time for one PGlite version. A process keeps the empty data directory in memory for its later
// databases; this keeps it on disk too, for later processes (every CLI command, every test file),
// in node_modules/.cache/turbo-sim, the place build tools keep such caches. Best effort: a cache
// that cannot be read or written is simply not used.

async function cacheFile(): Promise<string | null> {
  try {
    const pglite = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const { version } = JSON.parse(await readFile(join(pglite, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    return join(
      packageRoot(),
      'node_modules',
      '.cache',
      'turbo-sim',
      `pglite-${version}-emptied-datadir.tar`,
    );
  } catch {
    return null;
  }
}

/** The cached empty data directory of this PGlite version, or null. */
export async function readCachedDataDir(): Promise<ArrayBuffer | null> {
  const file = await cacheFile();
  if (!file) return null;
  try {
    const bytes = await readFile(file);
    // A file this large gets a buffer of its own: hand it over as it is, not a 40 MB copy (0.2 s of CPU).
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
      return bytes.buffer as ArrayBuffer;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch {
    return null;
  }
}

/** Keeps an empty data directory for later processes; written beside and renamed, never half a file. */
export async function cacheDataDir(dir: ArrayBuffer): Promise<void> {
  const file = await cacheFile();
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, new Uint8Array(dir.slice(0)));
    await rename(tmp, file);
  } catch {
    await rm(tmp, { force: true }).catch(() => {});
  }
}

/** PostgreSQL's fixed folder of template0 (OID 4 since PostgreSQL 15; PGlite 0.5 is 18). */
const TEMPLATE0 = 'base/4';

/** A NUL-terminated field of a tar header, as text. */
function field(bytes: Uint8Array, from: number, length: number): string {
  let end = from;
  while (end < from + length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(from, end)).toString('latin1');
}

/**
 * The tar of an empty data directory without template0's files (7 MB of its 40): every database
 * loads the tar, and nothing a simulator does reads template0, which only `CREATE DATABASE ...
 * TEMPLATE template0` copies (that alone then fails; template1 and the database PGlite runs in are
 * whole). Measured side by side, two rounds of five starts (load 13): 0.82 and 0.89 s of CPU per
 * start with template0, 0.75 and 0.63 s without.
 */
export function withoutTemplate0(tar: ArrayBuffer): ArrayBuffer {
  const bytes = new Uint8Array(tar);
  const kept: Uint8Array[] = [];
  let at = 0;
  while (at + 512 <= bytes.length) {
    const name = field(bytes, at, 100);
    if (name === '') break; // the end-of-archive blocks
    const prefix = field(bytes, at + 345, 155);
    const size = Number.parseInt(field(bytes, at + 124, 12).trim() || '0', 8);
    const end = at + 512 + Math.ceil(size / 512) * 512;
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, '').replace(/\/+$/, '');
    if (path !== TEMPLATE0 && !path.startsWith(`${TEMPLATE0}/`)) kept.push(bytes.subarray(at, end));
    at = end;
  }
  const length = kept.reduce((n, k) => n + k.length, 0) + 1024;
  if (length >= bytes.length) return tar;
  const out = new Uint8Array(length);
  let to = 0;
  for (const k of kept) {
    out.set(k, to);
    to += k.length;
  }
  return out.buffer;
}
