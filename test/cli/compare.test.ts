import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';
import type { Defect } from '../support/smtp-defects.js';
import { removeTempDirs, repoPath, runCli, tempDir } from './cli-harness.js';

const SEQUENCING = repoPath('suites/rfc5321/sequencing.yaml');
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** A real stored result: the sequencing suite against a scripted server with these defects. */
async function storedRun(cwd: string, out: string, ...defects: Defect[]): Promise<string> {
  const server = await startScriptedServer({ defects });
  servers.push(server);
  await runCli(
    ['run', SEQUENCING, '--target', `127.0.0.1:${server.port}`, '--out', out, '--timeout', '2s'],
    { cwd },
  );
  return join(out, 'report.json');
}

describe('compare', () => {
  it('lists newly failing cases side by side and exits 1; the other way round exits 0', async () => {
    const cwd = await tempDir();
    const good = await storedRun(cwd, 'good');
    const broken = await storedRun(cwd, 'broken', 'rcpt-before-mail-accepted');
    const worse = await runCli(['compare', good, broken], { cwd });
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(
      /^rfc5321-sequencing\/rcpt-without-mail\s+must\s+passed\s+failed\s+newly failing$/m,
    );
    expect(worse.stdout).toMatch(/^ {4}expected 503 to RCPT TO:/m);
    expect(worse.stdout).toMatch(/^2 differences: 2 newly failing \(2 at or above must\)$/m);
    const better = await runCli(['compare', broken, good], { cwd });
    expect(better.code).toBe(0);
    expect(better.stdout).toMatch(
      /^rfc5321-sequencing\/rcpt-without-mail\s+must\s+failed\s+passed\s+newly passing$/m,
    );
  });

  it('says so when nothing differs', async () => {
    const cwd = await tempDir();
    const one = await storedRun(cwd, 'one');
    const outcome = await runCli(['compare', one, one], { cwd });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('no differences: every case has the same outcome');
  });

  it('refuses files that are not stored results, in one line', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'x.json'), '{"hello": 1}');
    const outcome = await runCli(['compare', 'x.json', 'missing.json'], { cwd });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /^error: x\.json: not a smtpgauge result: schemaVersion is missing/m,
    );
  });
});
