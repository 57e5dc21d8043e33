import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: compiles `src/` into `dist/` (`npm run build`) once, before any test file
 * runs. A load run with more than one worker starts its threads from `dist/load/load-worker.js`
 * (Node 20 cannot start a worker from a `.ts` file; run-load.ts `workerEntry()`), and the
 * process tests run `bin/smtpgauge.js`, which imports `dist/`. Testing against a stale or
 * missing `dist/` would test other code than the sources, so a failed build fails the whole run,
 * with the compiler's output.
 */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default async function buildDist(): Promise<void> {
  const started = Date.now();
  const outcome = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      'npm',
      ['run', 'build'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
  if (outcome.code !== 0) {
    throw new Error(
      `test setup: 'npm run build' failed (exit ${outcome.code ?? 'signal'}); dist/ is stale, ` +
        `so the worker-thread and process tests cannot run:\n${outcome.output}`,
    );
  }
  process.stderr.write(`test setup: dist/ built in ${Date.now() - started} ms\n`);
}
