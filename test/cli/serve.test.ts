import { afterEach, describe, expect, it } from 'vitest';
import { probePort, removeTempDirs, startCli, waitFor, type RunningCli } from './cli-harness.js';

let controller: AbortController | undefined;
let running: RunningCli | undefined;
afterEach(async () => {
  // Even when an assertion failed: stop the server and wait for the command to return.
  controller?.abort();
  await running?.done;
  controller = running = undefined;
  await removeTempDirs();
});

describe('serve', () => {
  it('serves the reference target on a free port until interrupted, then exits 0 and closes it', async () => {
    controller = new AbortController();
    running = await startCli(['serve', '--port', '0'], { interrupt: controller.signal });
    const cli = running;
    const port = await waitFor(() => {
      const match = / target listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.stdout());
      return match ? Number(match[1]) : undefined;
    }, 'the listening line');
    expect(port).toBeGreaterThan(0);
    expect(cli.stdout()).toMatch(/^test account: smtpgauge /m);

    expect(await probePort(port)).toMatch(/^220 example\.test ESMTP/);

    controller.abort();
    const outcome = await cli.done;
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toMatch(/^stopped$/m);
    expect(await probePort(port)).toBe('refused');
  });

  it('exits 3 with one error line when the port is taken', async () => {
    controller = new AbortController();
    running = await startCli(['serve', '--port', '0'], { interrupt: controller.signal });
    const first = running;
    const port = await waitFor(
      () => / listening on 127\.0\.0\.1:(\d+)$/m.exec(first.stdout())?.[1],
      'the listening line',
    );
    const second = await startCli(['serve', '--port', port]);
    const outcome = await second.done;
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toMatch(
      new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${port}: .+\n$`),
    );
  });
});
