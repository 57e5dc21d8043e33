import { defineConfig } from 'vitest/config';

/** The real-server tier: `npm run test:interop` (needs scripts/targets/install-all.sh first). */
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: 'reports/vitest-interop-results.json' }]],
  },
});
