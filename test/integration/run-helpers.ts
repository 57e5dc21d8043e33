import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { runSuites, type ConformanceRun } from '../../src/dialogue/run-suites.js';
import { probeTarget } from '../../src/dialogue/probe.js';
import type { RunTarget } from '../../src/dialogue/run-context.js';
import type { CaptureView } from '../../src/dialogue/capture-view.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { DEFAULT_VARS, type Suite } from '../../src/suite/model.js';
import { BUILTIN_SUITES } from '../../src/cli/read-suites.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Built-in suite files under `suites/` (every group, the opt-in security suites too), but not
 * the load profiles in `suites/load/`, which the CLI never reads as suites either.
 */
function builtinFiles(dir = BUILTIN_SUITES): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory()
        ? e.name === 'load'
          ? []
          : builtinFiles(join(dir, e.name))
        : e.name.endsWith('.yaml')
          ? [join(dir, e.name)]
          : [],
    );
}

/** Built-in suites, loaded (all of them, or the given groups: `rfc5321`, `security`); a load problem fails loudly. */
export async function builtinSuites(groups?: string[]): Promise<Suite[]> {
  const files = builtinFiles().filter(
    (f) => !groups || groups.some((g) => f.includes(`/suites/${g}/`)),
  );
  const suites: Suite[] = [];
  for (const file of files) {
    const loaded = loadSuite(relative(process.cwd(), file), await readFile(file, 'utf8'));
    if (!loaded.suite)
      throw new Error(`${file}: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
    suites.push(loaded.suite);
  }
  return suites;
}

/** Runs suites against a loopback port with short deadlines, as the CLI would. */
export async function runAgainst(
  port: number,
  suites: Suite[],
  options: {
    replyMs?: number;
    credentials?: { user: string; pass: string };
    vars?: Record<string, string>;
    tls?: 'none' | 'starttls';
    protocol?: 'smtp' | 'lmtp';
    /** The capture sink the target relays to (`--capture`), for `expect-delivered` cases. */
    capture?: CaptureView;
  } = {},
): Promise<ConformanceRun> {
  const target: RunTarget = { host: '127.0.0.1', port, tls: options.tls ?? 'none' };
  const protocol = options.protocol ?? 'smtp';
  const replyMs = options.replyMs ?? 1500;
  const timeouts = { connectMs: 5000, replyMs, caseMs: Math.max(20_000, replyMs * 6) };
  const probe = await probeTarget(target, timeouts, DEFAULT_VARS.client!, protocol);
  if (!probe.ok) throw new Error(probe.failure.message);
  return runSuites(suites, {
    target,
    vars: DEFAULT_VARS,
    overrides: options.vars ?? {},
    credentials: options.credentials,
    timeouts,
    capabilities: probe.profile.keywords,
    sizeLimit: probe.profile.sizeLimit,
    protocol,
    ...(options.capture ? { capture: options.capture } : {}),
  });
}

/** `suite/case` ids with the given status. */
export function idsWith(run: ConformanceRun, status: string, levels?: string[]): string[] {
  return run.suites.flatMap((s) =>
    s.cases
      .filter((c) => c.status === status && (!levels || levels.includes(c.level)))
      .map((c) => `${s.id}/${c.id}`),
  );
}
