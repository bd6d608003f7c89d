import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run check:long`: the long runs that `npm test` leaves out, on the same pool settings.
// (mergeConfig would concatenate include/exclude, which would exclude these very files.)
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/long/**/*.long.test.ts'],
    exclude: ['node_modules/**'],
    // Long runs measure; a loaded machine makes them slower, never wrong: no wall-clock limit.
    testTimeout: 0,
  },
});
