import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, removeTempDirs, repoPath, runCli } from './cli-harness.js';

afterAll(removeTempDirs);

describe('usage errors: exit 2, one error line, no stack trace', () => {
  // Each runs no network and no suite: argument checks come first.
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /frobnicate/],
    [[], /give a command/],
    [['run', '--frobnicate'], /frobnicate/],
    [['run', '--target', 'nonsense'], /--target 'nonsense' is not HOST:PORT/],
    [['run', '--target', '127.0.0.1:0'], /--target '127\.0\.0\.1:0'/],
    [['run', '--target', '127.0.0.1:65536'], /--target/],
    [['run', '--tls', 'bogus'], /tls.*bogus/],
    [['run', '--level', 'sometimes'], /level.*sometimes/],
    [['run', '--var', 'noequals'], /--var 'noequals' is not NAME=VALUE/],
    [['run', '--var', '=value'], /--var '=value'/],
    [['run', '--auth', 'nocolon'], /--auth must be USER:PASS/],
    [['run', '--timeout', 'abc'], /--timeout 'abc' is not a duration/],
    [['run', '--timeout', '0'], /--timeout '0'/],
    [['run', '--case-timeout', 'soon'], /--case-timeout 'soon'/],
    [['run', '--format', 'xml'], /format.*xml/],
    [['run', '--tls', 'implicit'], /--tls implicit needs --target/],
    [['validate'], /Not enough non-option arguments/],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const outcome = await runCli(argv);
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toMatch(message);
  });

  it('reads SMTPGAUGE_AUTH like --auth, and names the variable when it is malformed', async () => {
    const outcome = await runCli(['run'], { env: { SMTPGAUGE_AUTH: 'no-colon' } });
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toBe('error: SMTPGAUGE_AUTH must be USER:PASS');
  });

  it('never echoes the credentials of a malformed --auth', async () => {
    const outcome = await runCli(['run', '--auth', 'secret-token-without-colon']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr + outcome.stdout).not.toContain('secret-token-without-colon');
  });
});

describe('--help and --version', () => {
  it('--help exits 0 and lists every command', async () => {
    const outcome = await runCli(['--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    for (const command of ['run', 'list', 'validate', 'serve'])
      expect(outcome.stdout).toMatch(new RegExp(`^ {2}smtpgauge ${command}\\b`, 'm'));
  });

  it('run --help exits 0 and documents the run options', async () => {
    const outcome = await runCli(['run', '--help']);
    expect(outcome.code).toBe(0);
    for (const option of ['--target', '--tls', '--auth', '--level', '--out', '--var', '--timeout'])
      expect(outcome.stdout).toContain(option);
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
      version: string;
    };
    const outcome = await runCli(['--version']);
    expect(outcome).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
