import { main } from '../../src/cli/main.js';
// Types only, erased: it puts the worker into the compilation (see below), it runs nothing.
import type {} from '../../src/load/load-worker.js';

/**
 * `smtpgauge` compiled from the current `src/` into the bench cache (bench/tsconfig.json), so
 * `npm run bench:load` measures the sources as they are, not a stale `dist/`. The type import
 * above puts `src/load/load-worker.ts` into the compilation: `runLoad` starts its worker
 * threads from the `load-worker.js` beside its own compiled file.
 *
 *   node node_modules/.cache/smtpgauge-bench/bench/load/cli-entry.js load PROFILE --target …
 */
process.exitCode = await main(process.argv.slice(2));
