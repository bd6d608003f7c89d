import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGliteOptions } from '@electric-sql/pglite';

// PGlite's WASM module, compiled once per process and shared with every worker (about 0.15 s of CPU
// saved per database).

/** A compiled PGlite module, as PGlite.create() takes it. */
export type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
// lib ES2022 has no WebAssembly types; node has the global.
const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;
let compiled: Promise<WasmModule | null> | null = null;

// V8 compiles WASM quickly (Liftoff), then again with its optimizing compiler every function that
// turns hot, in each worker. PostgreSQL's hot paths are large, and a database lives for a few
// thousand short statements: the second compilation cost more CPU than it saved (a check of 240 runs
// in a fresh process: 12.5 s of CPU -> 8.6 s; 80,000-row statements: the same CPU either way).
// So PGlite's module alone is compiled with Liftoff only; the flag is set for that compilation and
// put back, unless node was started with it.
const LIFTOFF_ONLY = '--liftoff-only';

/** PGlite's module, compiled with Liftoff only; null where it cannot be (PGlite then compiles it). */
export function pgliteModule(): Promise<WasmModule | null> {
  compiled ??= (async () => {
    try {
      const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
      const bytes = await readFile(join(dist, 'pglite.wasm'));
      setFlagsFromString(LIFTOFF_ONLY);
      try {
        return await wasm.compile(bytes);
      } finally {
        if (!process.execArgv.includes(LIFTOFF_ONLY)) setFlagsFromString('--no-liftoff-only');
      }
    } catch {
      return null; // PGlite then compiles it itself
    }
  })();
  return compiled;
}
