import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-server tier has its own config and command: npm run test:interop.
    exclude: ['test/interop/**', 'node_modules/**'],
    // Compiles dist/ first: multi-worker load runs and the process tests start from it.
    globalSetup: ['test/support/build-dist.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'reports/vitest-results.json' }]],
  },
});
