import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDiagnostic, type Diagnostic } from '../core/diagnostic.js';
import type { GaugeError } from '../core/errors.js';
import { loadSuite } from '../suite/load-suite.js';
import type { Suite } from '../suite/model.js';

/** The suites shipped with smtpgauge (the same path from src/cli and dist/cli). */
export const BUILTIN_SUITES = fileURLToPath(new URL('../../suites/', import.meta.url));

const SUITE_FILE = /\.ya?ml$/;

/**
 * Reads and loads suite files (warnings come back rendered, for the command to print): each path a file or a directory searched recursively for
 * `*.yaml`. Every problem of every file is collected before failing. `suites/load/` holds load
 * profiles, not suites, and is skipped when a directory is searched.
 */
export async function readSuites(
  paths: readonly string[],
  cwd: string,
  extraVars: string[],
): Promise<{ ok: true; suites: Suite[]; warnings: string[] } | { ok: false; error: GaugeError }> {
  const files =
    paths.length > 0 ? await expandPaths(await resolvePaths(paths, cwd)) : await defaultSuites();
  if (!files.ok) return files;
  const suites: Suite[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files.files) {
    const shown = builtinName(file) ?? (relative(cwd, file) || file);
    const text = await readFile(file, 'utf8');
    sources.set(shown, text);
    const loaded = loadSuite(shown, text, { extraVars });
    diagnostics.push(...loaded.diagnostics);
    if (loaded.suite) suites.push(loaded.suite);
  }
  diagnostics.push(...duplicateSuiteIds(suites));
  if (diagnostics.some((d) => d.severity === 'error')) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    return {
      ok: false,
      error: {
        kind: 'input',
        message: `${n} problem${n === 1 ? '' : 's'} in suite files`,
        diagnostics,
        sources,
      },
    };
  }
  const warnings = diagnostics.map((d) => renderDiagnostic(d, d.span && sources.get(d.span.file)));
  return { ok: true, suites, warnings };
}

/**
 * A path that names no file but a folder of the built-in suites (`security`, `rfc3207`) means
 * that folder: `smtpgauge run security` runs the built-in security suites.
 */
async function resolvePaths(paths: readonly string[], cwd: string): Promise<string[]> {
  return Promise.all(
    paths.map(async (path) => {
      const local = resolve(cwd, path);
      if (await stat(local).catch(() => undefined)) return local;
      const builtin = join(BUILTIN_SUITES, path);
      const isGroup =
        /^[a-z0-9-]+$/.test(path) && (await stat(builtin).catch(() => undefined))?.isDirectory();
      return isGroup ? builtin : local;
    }),
  );
}

/** The folder of load profiles, never read as suites. */
const LOAD_PROFILES = 'load';

/** Groups of built-in suites a plain `smtpgauge run` leaves out: run them by name. */
export const OPT_IN_GROUPS = ['security'] as const;

/** Every built-in suite but the opt-in groups (and `load/`, which holds load profiles). */
async function defaultSuites(): Promise<
  { ok: true; files: string[] } | { ok: false; error: GaugeError }
> {
  const entries = await readdir(BUILTIN_SUITES, { withFileTypes: true });
  const dirs = entries
    .filter((e) => e.isDirectory() && e.name !== LOAD_PROFILES)
    .filter((e) => !(OPT_IN_GROUPS as readonly string[]).includes(e.name))
    .map((e) => join(BUILTIN_SUITES, e.name));
  return expandPaths(dirs.sort());
}

async function expandPaths(
  paths: string[],
): Promise<{ ok: true; files: string[] } | { ok: false; error: GaugeError }> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info)
      return { ok: false, error: { kind: 'usage', message: `no such file or directory: ${path}` } };
    if (info.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  if (files.length === 0)
    return {
      ok: false,
      error: { kind: 'usage', message: `no suite files (*.yaml) in ${paths.join(', ')}` },
    };
  return { ok: true, files };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== LOAD_PROFILES) found.push(...(await walk(path)));
    else if (entry.isFile() && SUITE_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** A built-in suite is named `suites/…` wherever smtpgauge is installed and whatever the cwd. */
function builtinName(file: string): string | undefined {
  return file.startsWith(BUILTIN_SUITES)
    ? join('suites', relative(BUILTIN_SUITES, file))
    : undefined;
}

function duplicateSuiteIds(suites: Suite[]): Diagnostic[] {
  const seen = new Map<string, Suite>();
  const problems: Diagnostic[] = [];
  for (const suite of suites) {
    const first = seen.get(suite.id);
    if (first) {
      problems.push({
        severity: 'error',
        title: 'duplicate suite id',
        message: `suite '${suite.id}' is also defined in ${first.file}`,
        span: suite.span,
        hint: 'give each suite a unique `suite:` id',
      });
    } else seen.set(suite.id, suite);
  }
  return problems;
}
