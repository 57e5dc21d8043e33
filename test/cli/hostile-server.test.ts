import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readReport, removeTempDirs, runCli, tempDir, yamlText } from './cli-harness.js';

/**
 * A server written to hurt the client: it echoes what it is sent (secrets included) into its
 * replies and puts terminal escape sequences in them. `script` answers each command line.
 */
function startHostileServer(
  script: (line: string) => string,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 hostile.test ESMTP\r\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^QUIT/i.test(line)) return void socket.end('221 bye\r\n');
        socket.write(script(line));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const AUTH_SUITE = yamlText(
  'suite: auth-echo',
  'title: AUTH against a server that echoes',
  "rfc: '4954'",
  'cases:',
  '  - id: plain',
  '    title: PLAIN',
  "    section: '4'",
  '    level: must',
  '    steps:',
  '      - ehlo',
  '      - auth: PLAIN',
  '  - id: crafted',
  '    title: a crafted PLAIN line',
  "    section: '4'",
  '    level: must',
  '    steps:',
  '      - ehlo',
  '      - send: AUTH PLAIN ${auth_plain}',
  '        expect: 235',
);

describe('a server that echoes secrets and escape sequences', () => {
  it('never lets the password or its encodings reach the report or the console', async () => {
    const server = await startHostileServer((line) =>
      /^EHLO/i.test(line)
        ? '250-hostile.test\r\n250 AUTH PLAIN LOGIN\r\n'
        : `501 cannot decode ${line.split(' ').pop()}\r\n`,
    );
    servers.push(server);
    const cwd = await tempDir();
    await writeFile(join(cwd, 'auth.yaml'), AUTH_SUITE);
    const pass = 's3cr3t-pw';
    const outcome = await runCli(
      ['run', 'auth.yaml', '--target', `127.0.0.1:${server.port}`, '--timeout', '2s'],
      {
        cwd,
        env: { SMTPGAUGE_AUTH: `alice:${pass}` },
      },
    );
    expect(outcome.code).toBe(1);
    const report = JSON.stringify(await readReport(join(cwd, 'reports', 'report.json')));
    const plainToken = Buffer.from(`\0alice\0${pass}`).toString('base64');
    for (const text of [report, outcome.stdout, outcome.stderr]) {
      for (const secret of [pass, plainToken, Buffer.from(pass).toString('base64')]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(outcome.stdout).toContain('501 cannot decode <redacted>');
  });

  it('escapes control bytes of replies before they reach the terminal', async () => {
    const server = await startHostileServer((line) =>
      /^EHLO/i.test(line) ? '250 hostile.test\r\n' : '500 \x1b[2K\rPASSED: all good\r\n',
    );
    servers.push(server);
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'noop.yaml'),
      yamlText(
        'suite: noop',
        'title: NOOP',
        "rfc: '5321'",
        'cases:',
        '  - id: noop',
        '    title: NOOP',
        "    section: '4.1.1.9'",
        '    level: must',
        '    steps:',
        '      - send: NOOP',
        '        expect: 250',
      ),
    );
    const outcome = await runCli(['run', 'noop.yaml', '--target', `127.0.0.1:${server.port}`], {
      cwd,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).not.toContain('\x1b');
    expect(outcome.stdout).toContain('500 \\x1b[2K\\x0dPASSED: all good');
  });
});

describe('cases that time out against a target that is still alive', () => {
  it('do not stop the run: the breaker checks the target and goes on', async () => {
    const server = await startHostileServer((line) =>
      /^SILENT/i.test(line) ? '' : /^EHLO/i.test(line) ? '250 hostile.test\r\n' : '250 ok\r\n',
    );
    servers.push(server);
    const cwd = await tempDir();
    const kase = (id: string, command: string) => [
      `  - id: ${id}`,
      `    title: ${id}`,
      "    section: '4.2'",
      '    level: must',
      '    steps:',
      '      - ehlo',
      `      - send: ${command}`,
      '        expect: 250',
    ];
    await writeFile(
      join(cwd, 'quiet.yaml'),
      yamlText(
        'suite: quiet',
        'title: Q',
        "rfc: '5321'",
        'cases:',
        ...kase('a', 'SILENT'),
        ...kase('b', 'SILENT'),
        ...kase('c', 'SILENT'),
        ...kase('d', 'NOOP'),
      ),
    );
    const outcome = await runCli(
      ['run', 'quiet.yaml', '--target', `127.0.0.1:${server.port}`, '--timeout', '300ms'],
      { cwd },
    );
    expect(outcome.code).toBe(1);
    const report = await readReport(join(cwd, 'reports', 'report.json'));
    const statuses = report.conformance.suites[0]!.cases.map((c) => c.status);
    expect(statuses).toEqual(['failed', 'failed', 'failed', 'passed']);
  });
});

describe('command-line edge cases found in review', () => {
  it('--var before the suite paths does not swallow them', async () => {
    const outcome = await runCli(['validate', '--help']);
    expect(outcome.code).toBe(0);
    const listed = await runCli(['list', 'suites/does-not-exist.yaml']);
    expect(listed.code).toBe(2);
    const run = await runCli(['run', '--var', 'domain=x.test', 'nope.yaml']);
    expect(run.stderr).toMatch(/no such file or directory: .*nope\.yaml/);
  });

  it('rejects a --var that names a variable the runner sets, or refers to an unknown one', async () => {
    expect((await runCli(['run', '--var', 'n=1'])).stderr).toMatch(
      /^error: --var n: the runner sets this variable itself$/m,
    );
    expect((await runCli(['run', '--var', 'auth_pass=x'])).code).toBe(2);
    expect((await runCli(['run', '--var', 'recipient=${nobody}'])).stderr).toMatch(
      /--var recipient: \$\{nobody\} is not defined/,
    );
  });

  it('prints a usage error once, on stderr only', async () => {
    const outcome = await runCli(['run', '--tls', 'bogus']);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
  });

  it('refuses an --out that is a file before running anything', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'taken'), 'x');
    const outcome = await runCli(['run', '--out', 'taken', '--target', '127.0.0.1:1'], { cwd });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^error: --out taken: exists and is not a directory$/m);
  });

  it('refuses a timeout longer than a timer can wait', async () => {
    const outcome = await runCli(['run', '--timeout', '40000m']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/--timeout '40000m' is not a duration/);
  });

  it('shows loader warnings and still runs the suite', async () => {
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'warn.yaml'),
      yamlText(
        'suite: warn',
        'title: W',
        "rfc: '5321'",
        'cases:',
        '  - id: w',
        '    title: W',
        "    section: '4'",
        '    level: info',
        '    steps:',
        '      - send: "NOOP\\r\\nNOOP"',
      ),
    );
    const outcome = await runCli(['validate', 'warn.yaml'], { cwd });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain('warning: line break in send');
    expect(outcome.stdout).toBe('ok: 1 suite, 1 case (1 warning)\n');
  });
});
