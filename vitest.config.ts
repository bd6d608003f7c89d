import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // PGlite is a WASM module with its own memory; forks keep each file's instances isolated
    // and let node exit cleanly once every instance is closed.
    pool: 'forks',
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
