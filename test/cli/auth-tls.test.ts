import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REFERENCE_CREDENTIALS,
  startReferenceTarget,
  type RunningTarget,
} from '../../src/targets/reference-target.js';
import {
  casesById,
  readReport,
  removeTempDirs,
  runCli,
  tempDir,
  yamlText,
  type CliOutcome,
} from './cli-harness.js';

const { user, pass } = REFERENCE_CREDENTIALS;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const AUTH_SUITE = yamlText(
  'suite: auth-check',
  'title: AUTH with the run credentials',
  "rfc: '4954'",
  'cases:',
  ...(['PLAIN', 'LOGIN'] as const).flatMap((mechanism) => [
    `  - id: auth-${mechanism.toLowerCase()}`,
    `    title: AUTH ${mechanism} succeeds`,
    "    section: '4'",
    '    level: must',
    '    steps:',
    '      - ehlo',
    `      - auth: ${mechanism}`,
    '      - send: MAIL FROM:<${sender}>',
    '        expect: 250',
  ]),
);

let cwd: string;
let explicit: RunningTarget | undefined;
beforeAll(async () => {
  cwd = await tempDir();
  await writeFile(join(cwd, 'auth.yaml'), AUTH_SUITE);
});
afterAll(async () => {
  await explicit?.close();
  await removeTempDirs();
});

/** The run's stdout, stderr and report.json, as one text to search for secrets. */
async function everything(outcome: CliOutcome): Promise<string> {
  const report = await readFile(join(outcome.cwd, 'reports', 'report.json'), 'utf8');
  return `${outcome.stdout}\n${outcome.stderr}\n${report}`;
}

describe('credentials (SMTPGAUGE_AUTH, --auth)', () => {
  it('authenticate with PLAIN and LOGIN and never appear in the report or the output', async () => {
    const outcome = await runCli(['run', 'auth.yaml'], {
      cwd,
      env: { SMTPGAUGE_AUTH: `${user}:${pass}` },
    });
    expect(outcome.code).toBe(0);
    const report = await readReport(join(cwd, 'reports', 'report.json'));
    const cases = casesById(report);
    expect(cases.get('auth-check/auth-plain')!.status).toBe('passed');
    expect(cases.get('auth-check/auth-login')!.status).toBe('passed');

    const all = await everything(outcome);
    for (const secret of [pass, b64(`\0${user}\0${pass}`), b64(pass)])
      expect(all, `secret ${secret}`).not.toContain(secret);
    // The exchange is still shown, with the secrets redacted.
    const plain = cases.get('auth-check/auth-plain')!.transcript;
    expect(plain).toContainEqual(
      expect.objectContaining({ dir: 'C', text: 'AUTH PLAIN <redacted>' }),
    );
    expect(plain).toContainEqual(
      expect.objectContaining({ dir: 'S', text: expect.stringMatching(/^235 /) }),
    );
    const login = cases.get('auth-check/auth-login')!.transcript.filter((e) => e.dir === 'C');
    expect(login.map((e) => e.text)).toEqual(expect.arrayContaining(['AUTH LOGIN', '<redacted>']));
    expect(login.filter((e) => e.text === '<redacted>')).toHaveLength(2);
  });

  it('with --auth and a wrong password, the AUTH steps fail with 535 (and the password stays out)', async () => {
    const wrong = 'wrong-password-4711';
    const outcome = await runCli(['run', 'auth.yaml', '--auth', `${user}:${wrong}`], {
      cwd,
      env: { SMTPGAUGE_AUTH: `${user}:${pass}` }, // --auth wins over the environment
    });
    expect(outcome.code).toBe(1);
    const cases = casesById(await readReport(join(cwd, 'reports', 'report.json')));
    for (const id of ['auth-check/auth-plain', 'auth-check/auth-login']) {
      expect(cases.get(id)!.status, id).toBe('failed');
      expect(cases.get(id)!.failure!.actual, id).toMatch(/^535 /);
    }
    expect(outcome.stdout).toMatch(/^ {6}actual: {3}535 /m);
    const all = await everything(outcome);
    for (const secret of [wrong, b64(wrong), b64(`\0${user}\0${wrong}`)])
      expect(all, `secret ${secret}`).not.toContain(secret);
  });

  it('without credentials and with an explicit --target, AUTH cases are skipped, naming --auth', async () => {
    explicit = await startReferenceTarget();
    const outcome = await runCli(['run', 'auth.yaml', '--target', `127.0.0.1:${explicit.port}`], {
      cwd,
    });
    expect(outcome.code).toBe(0);
    const report = await readReport(join(cwd, 'reports', 'report.json'));
    const auth = report.conformance.suites.find((s) => s.id === 'auth-check')!.cases;
    expect(auth).toHaveLength(2);
    for (const result of auth) {
      expect(result.status, result.id).toBe('skipped');
      expect(result.reason, result.id).toContain('--auth');
    }
    expect(outcome.stdout).toMatch(/^PASSED: \d+ passed, 2 skipped/m);
  });
});

describe('run --tls starttls', () => {
  it('upgrades every case after the greeting against the embedded target', async () => {
    const outcome = await runCli(['run', 'auth.yaml', '--tls', 'starttls'], { cwd });
    expect(outcome.code).toBe(0);
    const report = await readReport(join(cwd, 'reports', 'report.json'));
    // Capabilities are those offered inside TLS: STARTTLS is no longer advertised there.
    expect(report.target.capabilities).toContain('AUTH PLAIN LOGIN');
    expect(report.target.capabilities).not.toContain('STARTTLS');
    for (const id of ['auth-check/auth-plain', 'auth-check/auth-login']) {
      const result = casesById(report).get(id)!;
      expect(result.status, id).toBe('passed');
      const texts = result.transcript.map((e) => `${e.dir} ${e.text}`);
      const tls = texts.findIndex((t) => /^\* TLS established \(TLSv1\.[23], /.test(t));
      expect(tls, id).toBeGreaterThan(0);
      expect(texts.slice(0, tls)).toContain('C STARTTLS');
      expect(texts.slice(tls).some((t) => t.startsWith('C AUTH '))).toBe(true);
    }
  });
});
