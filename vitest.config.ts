import { defineConfig } from 'vitest/config';

// Unit, core, simulator and server tests run in Node; browser behaviour is Playwright's (e2e/).
export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'workers/**/*.test.ts',
      'server/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep parallelism modest so timing-sensitive socket tests stay honest.
    maxWorkers: 2,
  },
});
