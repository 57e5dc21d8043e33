import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  casesById,
  closedPort,
  expectOneLineError,
  probePort,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  startCli,
  tempDir,
  waitFor,
  yamlText,
} from './cli-harness.js';

afterAll(removeTempDirs);

const CAPTURE_SUITE = repoPath('suites', 'capture');
const SINK_LINE =
  /^capture sink listening on 127\.0\.0\.1:(\d+) \(the embedded target relays to it\)$/m;

// The real suite, in order, against the embedded target (~30 s: four cases watch 5 s for a
// message that must not come, three wait 1 s for a second copy).
describe('run suites/capture --capture (embedded target, a sink on a free port)', () => {
  it('exits 0 with all 7 capture cases passed, and says where the sink listens', async () => {
    const outcome = await runCli(['run', CAPTURE_SUITE, '--capture']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(SINK_LINE);
    expect(Number(SINK_LINE.exec(outcome.stderr)![1])).toBeGreaterThan(0);
    const report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
    const capture = [...casesById(report)].filter(([id]) => id.startsWith('capture-delivery/'));
    expect(capture).toHaveLength(7);
    for (const [id, result] of capture) expect(result.status, id).toBe('passed');
  }, 120_000);
});

describe('run --capture PORT', () => {
  /** One delivered message, with time for the test to connect to the sink meanwhile. */
  const ONE_CASE = yamlText(
    'suite: capture-port',
    'title: One message through the sink on a given port',
    "rfc: '5321'",
    'cases:',
    '  - id: delivered-while-probed',
    '    title: A message reaches the sink on the given port',
    "    section: '6.1'",
    '    level: must',
    '    steps:',
    '      - ehlo',
    '      - send: MAIL FROM:<${sender}>',
    '        expect: 250',
    '      - send: RCPT TO:<${recipient}>',
    '        expect: 250',
    '      - data: "Subject: port ${token}\\n\\nhello"',
    '      - pause: 3s',
    '      - expect-delivered: 1',
  );

  it('listens on that port while the run lasts, and the target relays there', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'port.yaml'), ONE_CASE);
    const port = await closedPort();
    const run = await startCli(['run', 'port.yaml', '--capture', String(port)], { cwd: dir });
    const line = await waitFor(() => SINK_LINE.exec(run.stderr())?.[1], 'the sink line');
    expect(Number(line)).toBe(port);
    expect(await probePort(port)).toMatch(/^220 capture\.example\.test .*smtpgauge capture sink/);
    const outcome = await run.done;
    expect(outcome.code).toBe(0);
    const report = await readReport(join(dir, 'reports', 'report.json'));
    expect(casesById(report).get('capture-port/delivered-while-probed')?.status).toBe('passed');
    expect(await probePort(port)).toBe('refused');
  }, 30_000);

  it('exits 3 with one error line when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    try {
      const outcome = await runCli(['run', CAPTURE_SUITE, '--capture', `127.0.0.1:${port}`]);
      expect(outcome.code).toBe(3);
      expect(expectOneLineError(outcome.stderr)).toMatch(
        new RegExp(`^error: --capture: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});

describe('run --capture with a malformed value', () => {
  it.each([['nonsense'], ['65536'], ['127.0.0.1:'], ['host:port']])(
    '--capture %s is a usage error: exit 2, one error line, no stack trace',
    async (value) => {
      const outcome = await runCli(['run', CAPTURE_SUITE, '--capture', value]);
      expect(outcome.code).toBe(2);
      expect(expectOneLineError(outcome.stderr)).toBe(
        `error: --capture '${value}' is not PORT or HOST:PORT (e.g. 2526 or 127.0.0.1:2526)`,
      );
    },
  );
});
