import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli } from './cli-harness.js';

afterAll(removeTempDirs);

describe('built-in suite groups', () => {
  it('a plain list leaves out the opt-in security suites; "list security" shows only them', async () => {
    const all = await runCli(['list']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^rfc5321-mail /m);
    expect(all.stdout).not.toMatch(/^security-/m);
    const security = await runCli(['list', 'security']);
    expect(security.code).toBe(0);
    expect(security.stdout).toMatch(/^security-smuggling /m);
    expect(security.stdout).not.toMatch(/^rfc5321-/m);
  });

  it('a folder name of the built-in suites selects it; an unknown name is still an error', async () => {
    const one = await runCli(['list', 'rfc3207']);
    expect(one.stdout).toMatch(/^rfc3207-starttls /m);
    expect(one.stdout).toMatch(/^1 suites?, /m);
    const none = await runCli(['list', 'no-such-group']);
    expect(none.code).toBe(2);
  });
});
