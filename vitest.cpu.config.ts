import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npx vitest run --config vitest.cpu.config.ts [files]`: the suite as `npm test` runs it, plus one
// line of CPU seconds per test file in $TURBO_SIM_CPU_LOG (docs/development.md).
export default mergeConfig(base, defineConfig({ test: { setupFiles: ['test/support/cpu-per-file.ts'] } }));
