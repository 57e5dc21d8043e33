import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtpClient } from '../support/raw-smtp-client.js';
import {
  expectOneLineError,
  probePort,
  removeTempDirs,
  runCli,
  startCli,
  waitFor,
  type RunningCli,
} from './cli-harness.js';

const WAIT_MS = 5000;

let controller: AbortController | undefined;
let running: RunningCli | undefined;
const clients: RawSmtpClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  // Even when an assertion failed: stop the server and wait for the command to return.
  controller?.abort();
  await running?.done;
  controller = running = undefined;
  await removeTempDirs();
});

/** Starts `serve` with `args` and resolves with the port from its listening line. */
async function serve(args: string[]): Promise<number> {
  controller = new AbortController();
  running = await startCli(['serve', '--port', '0', ...args], { interrupt: controller.signal });
  const cli = running;
  const port = await waitFor(() => {
    const match = /^smtpgauge sink target listening on 127\.0\.0\.1:(\d+)$/m.exec(cli.stdout());
    return match ? Number(match[1]) : undefined;
  }, 'the listening line');
  return port;
}

async function ehlo(port: number): Promise<string> {
  const client = await RawSmtpClient.connect(port);
  clients.push(client);
  expect(await client.reply(WAIT_MS)).toMatch(/^220 example\.test ESMTP smtpgauge sink\r\n$/);
  return client.exchange('EHLO c.example\r\n', WAIT_MS);
}

describe('serve --profile sink', () => {
  it('serves the sink with its faults configured until interrupted, then prints its totals', async () => {
    const port = await serve([
      '--profile',
      'sink',
      '--delay',
      'rcpt=1ms,eod=0',
      '--delay',
      'greeting=2ms',
      '--fail-rate',
      '4xx=0%,5xx=0.5%',
      '--disconnect-rate',
      '0.1%',
      '--seed',
      '7',
    ]);
    const cli = running!;
    expect(cli.stdout()).toMatch(
      /^accepts every envelope, stores nothing; STARTTLS off; AUTH PLAIN off; delays rcpt=1ms,eod=0ms,greeting=2ms; faults 4xx 0%, 5xx 0.5%, disconnect 0.1%, seed 7; Ctrl-C stops it$/m,
    );
    const reply = await ehlo(port);
    expect(reply).toMatch(/^250-example\.test\r\n/);
    expect(reply).toContain('250-CHUNKING\r\n');
    expect(reply).not.toContain('STARTTLS');

    controller!.abort();
    const outcome = await cli.done;
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toMatch(
      /^sink totals: connections 1, messages 0, octets received 16, injected 451 0, 554 0, drops 0$/m,
    );
    expect(outcome.stdout).toMatch(/^stopped$/m);
    expect(await probePort(port)).toBe('refused');
  });

  it('offers STARTTLS and AUTH PLAIN when asked to', async () => {
    const port = await serve(['--profile', 'sink', '--starttls', '--auth', 'load:pa:ss']);
    expect(running!.stdout()).toMatch(/STARTTLS on .*; AUTH PLAIN on \(user load\)/);
    const reply = await ehlo(port);
    expect(reply).toContain('250-AUTH PLAIN\r\n');
    expect(reply).toContain('250 STARTTLS\r\n');
    const client = clients[0]!;
    const credentials = Buffer.from('\0load\0pa:ss').toString('base64');
    expect(await client.exchange(`AUTH PLAIN ${credentials}\r\n`, WAIT_MS)).toMatch(/^235 /);
  });

  it.each([
    [['--delay', 'eod=fast'], "--delay 'eod=fast' is not NAME=DURATION (e.g. eod=5ms, rcpt=1.5s)"],
    [
      ['--delay', 'eot=5ms'],
      "'eot' is not a reply to delay (greeting, ehlo, mail, rcpt, data, eod, quit, bdat); did you mean 'eod'?",
    ],
    [['--delay', 'rcpt=1ms,rcpt=2ms'], '--delay rcpt is given twice'],
    [['--fail-rate', '4xx=150%'], "--fail-rate 4xx '150%' is not a rate from 0 to 100%"],
    [['--fail-rate', '4xx=60%,5xx=50%'], '4xx and 5xx together exceed 100%'],
    [['--fail-rate', '451=1%'], "--fail-rate '451=1%' is not 4xx=RATE or 5xx=RATE"],
    [['--disconnect-rate', 'often'], "--disconnect-rate 'often' is not a rate"],
    [['--seed', '1.5'], "--seed '1.5' is not a whole number from 0 to 4294967295"],
    [['--max-connections', '0'], "--max-connections '0' is not a whole number from 1"],
    [['--auth', 'nocolon'], '--auth must be USER:PASS'],
  ])('%j is a usage error (exit 2, one line, no stack)', async (args, expected) => {
    const outcome = await runCli(['serve', '--profile', 'sink', '--port', '0', ...args], {
      interrupt: AbortSignal.abort(),
    });
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toContain(expected);
    expect(outcome.stdout).toBe('');
  });

  it('reports every bad option at once', async () => {
    const outcome = await runCli([
      'serve',
      '--profile',
      'sink',
      '--delay',
      'x=1ms',
      '--fail-rate',
      '5xx=2',
      '--seed',
      'abc',
    ]);
    expect(outcome.code).toBe(2);
    const line = expectOneLineError(outcome.stderr);
    expect(line).toMatch(/--delay 'x=1ms': .*; --fail-rate 5xx '2' .*; --seed 'abc' /);
  });

  it('refuses sink options for the reference profile and an unknown profile', async () => {
    const reference = await runCli(['serve', '--delay', 'eod=5ms', '--starttls']);
    expect(reference.code).toBe(2);
    expect(expectOneLineError(reference.stderr)).toBe(
      'error: --delay, --starttls: only for --profile sink (the profile is reference)',
    );
    const unknown = await runCli(['serve', '--profile', 'sinc']);
    expect(unknown.code).toBe(2);
    expect(expectOneLineError(unknown.stderr)).toMatch(/^error: Invalid values: .*"sinc"/);
  });
});
