import { parentPort, workerData } from 'node:worker_threads';
import { AbortWatch } from './abort-watch.js';
import { prepareThread } from './run-thread.js';
import type { FromWorker, ToWorker, WorkerData } from './thread-messages.js';

/**
 * Entry of a load worker thread (thread-messages.ts has the protocol): prepares its share,
 * waits for the common start, runs, and posts its result. Never throws out of the thread: a
 * failure is posted as `failed`.
 */
const port = parentPort!;
const { plan, abortOn } = workerData as WorkerData;
const post = (message: FromWorker) => port.postMessage(message);
let stopped = false;

async function main(): Promise<void> {
  const prepared = await prepareThread(plan);
  const watch = new AbortWatch(abortOn);
  const startMicros = await new Promise<number>((resolve) => {
    port.on('message', (message: ToWorker) => {
      if (message.kind === 'start') resolve(message.startMicros);
      else stopped = true;
    });
    post({ kind: 'ready' });
  });
  const result = await prepared.run(startMicros, {
    stopped: () => stopped,
    onTick: (progress, recorder) => {
      post({ kind: 'progress', progress });
      const breach = watch.check(recorder);
      if (breach) post({ kind: 'breach', ...breach });
    },
  });
  post({ kind: 'result', result });
}

main().catch((error: unknown) => post({ kind: 'failed', message: (error as Error).message }));
