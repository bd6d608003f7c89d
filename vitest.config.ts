import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // PGlite is a WASM module with its own memory; forks keep each file's instances isolated
    // and let node exit cleanly once every instance is closed.
    pool: 'forks',
    // vitest leaves one core free by default, which on a 2-core machine runs the files one by one;
    // each PGlite is single-threaded, so two workers halve the wall time.
    maxWorkers: 2,
    // One process per worker for every file, not one per file: each new process compiled PGlite's
    // WASM and loaded its data directory again. Measured 2026-11-26 on the whole suite, same loaded
    // machine: 284 s of CPU isolated, 185 s not (real 242 s and 116 s). Files share nothing but
    // PGlite's caches; every database a test opens it closes.
    isolate: false,
    include: ['properties/**/*.test.ts', 'test/**/*.test.ts'],
    // The long runs belong to `npm run check:long` (vitest.long.config.ts).
    exclude: ['test/long/**', 'node_modules/**'],
    // No per-test wall-clock limit: a property test's time grows with the machine's load (154 s
    // instead of 72 s for the suite on a busy machine), and a correct program must not fail because
    // of that. Nothing can hang instead: every call turbo-sim makes is bounded by its statement and
    // connect timeouts, and .ci/run bounds the whole suite.
    testTimeout: 0,
    hookTimeout: 0,
    // Each server test file starts its own throwaway PostgreSQL server (server-wide state is what
    // several of them check) from a copy of one initdb per worker: 0.2 s of CPU instead of 1.2 s.
    globalSetup: ['test/support/pg-templates.ts'],
  },
});
