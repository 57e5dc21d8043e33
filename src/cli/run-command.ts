import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { nowMicros } from '../core/clock.js';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { probeTarget } from '../dialogue/probe.js';
import {
  DEFAULT_TIMEOUTS,
  type Credentials,
  type RunContext,
  type RunTarget,
} from '../dialogue/run-context.js';
import { runSuites } from '../dialogue/run-suites.js';
import { buildConformanceReport } from '../report/conformance-report.js';
import { REPORT_FORMATS, type ReportFormatName } from '../report/formats.js';
import type { AcceptedDeviation } from '../report/baseline.js';
import { renderConsoleSummary } from '../report/console-summary.js';
import { consoleText } from './console-text.js';
import { interpolate } from '../core/template.js';
import { DEFAULT_VARS, type Level, type Protocol, type Suite } from '../suite/model.js';
import { startReferenceTarget, type RunningTarget } from '../targets/reference-target.js';
import { startCaptureSink, type RunningCaptureSink } from '../targets/capture-sink.js';
import type { CaptureView } from '../dialogue/capture-view.js';
import type { CliIo } from './io.js';
import {
  parseAuth,
  parseCapture,
  parseDurationOption,
  parseTarget,
  parseVars,
} from './parse-options.js';
import { readBaseline } from './read-baseline.js';
import { readSuites } from './read-suites.js';
import { TOOL } from './tool-info.js';
import { writeReports } from './report-formats.js';

export interface RunArgs {
  paths: string[];
  target?: string;
  tls: 'none' | 'starttls' | 'implicit';
  auth?: string;
  level: Level;
  out: string;
  var: string[];
  timeout: string;
  caseTimeout: string;
  servername?: string;
  /** SHOULD failures fail the run too (the gate becomes at least `should`). */
  strict: boolean;
  /** A file of known deviations (docs/baseline.md). */
  baseline?: string;
  protocol: Protocol;
  /** Start the capture sink: `''` on a free port, `PORT` or `HOST:PORT`. */
  capture?: string;
  /** Report formats to write besides `report.json`, which is always written. */
  format: ReportFormatName[];
}

type Settings = {
  target?: { host: string; port: number };
  capture?: { host: string; port: number };
  credentials?: Credentials;
  overrides: Record<string, string>;
  replyMs: number;
  caseMs: number;
};

/** `smtpgauge run`: load suites, (start the embedded target), probe, run, report. */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number | GaugeError> {
  const settings = parseSettings(args, io);
  if ('kind' in settings) return settings;
  const outProblem = await checkOutDir(resolve(io.cwd, args.out));
  if (outProblem) return { kind: 'usage', message: `--out ${args.out}: ${outProblem}` };
  const loaded = await readSuites(args.paths, io.cwd, Object.keys(settings.overrides));
  if (!loaded.ok) return loaded.error;
  for (const warning of loaded.warnings) io.stderr(`${warning}\n\n`);
  const baseline =
    args.baseline === undefined
      ? undefined
      : await readBaseline(args.baseline, io.cwd, loaded.suites);
  if (baseline && 'kind' in baseline) return baseline;
  if (!settings.target && args.tls === 'implicit')
    return {
      kind: 'usage',
      message: '--tls implicit needs --target: the embedded target speaks STARTTLS',
    };
  const servers = await startServers(settings, io);
  if ('kind' in servers) return servers;
  const { embedded, capture } = servers;
  try {
    const target: RunTarget = {
      host: embedded?.host ?? settings.target!.host,
      port: embedded?.port ?? settings.target!.port,
      tls: args.tls,
      servername: args.servername,
    };
    const credentials = settings.credentials ?? embedded?.credentials;
    return await conform(
      loaded.suites,
      { target, credentials, capture },
      settings,
      { ...args, deviations: baseline?.entries },
      io,
    );
  } finally {
    await embedded?.close();
    await capture?.close();
  }
}

/**
 * The servers a run starts itself: the capture sink (`--capture`), then the embedded target
 * when there is no `--target`, relaying to the sink when there is one.
 */
async function startServers(
  settings: Settings,
  io: CliIo,
): Promise<{ embedded?: RunningTarget; capture?: RunningCaptureSink } | GaugeError> {
  let capture: RunningCaptureSink | undefined;
  if (settings.capture) {
    const { host, port } = settings.capture;
    try {
      capture = await startCaptureSink({ host, port });
    } catch (cause) {
      const message = `--capture: cannot listen on ${host}:${port}: ${(cause as Error).message}`;
      return { kind: 'runtime', message };
    }
    const hint = settings.target
      ? '; relay the test domain there'
      : ' (the embedded target relays to it)';
    io.stderr(`capture sink listening on ${capture.address}${hint}\n`);
  }
  if (settings.target) return { capture };
  const relay = capture && { host: capture.host, port: capture.port };
  try {
    const onRelayError = (message: string) =>
      io.stderr(`warning: relay to the capture sink: ${message}\n`);
    const embedded = await startReferenceTarget(relay ? { relay, onRelayError } : {});
    return { embedded, capture };
  } catch (cause) {
    await capture?.close();
    return {
      kind: 'runtime',
      message: `cannot start the embedded target: ${(cause as Error).message}`,
    };
  }
}

function parseSettings(args: RunArgs, io: CliIo): Settings | GaugeError {
  const target = args.target === undefined ? undefined : parseTarget(args.target);
  if (target && !target.ok) return target.error;
  const authText = args.auth ?? io.env.SMTPGAUGE_AUTH;
  const auth =
    authText === undefined
      ? undefined
      : parseAuth(authText, args.auth !== undefined ? '--auth' : 'SMTPGAUGE_AUTH');
  if (auth && !auth.ok) return auth.error;
  const vars = parseVars(args.var, DEFAULT_VARS);
  if (!vars.ok) return vars.error;
  const reply = parseDurationOption(args.timeout, '--timeout');
  if (!reply.ok) return reply.error;
  const kase = parseDurationOption(args.caseTimeout, '--case-timeout');
  if (!kase.ok) return kase.error;
  const capture = args.capture === undefined ? undefined : parseCapture(args.capture);
  if (capture && !capture.ok) return capture.error;
  return {
    target: target?.value,
    capture: capture?.value,
    credentials: auth?.value,
    overrides: vars.value,
    replyMs: reply.value,
    caseMs: kase.value,
  };
}

interface RunPeers {
  target: RunTarget;
  credentials?: Credentials;
  capture?: CaptureView;
}

async function conform(
  suites: Suite[],
  { target, credentials, capture }: RunPeers,
  settings: Settings,
  args: RunArgs & { deviations?: readonly AcceptedDeviation[] },
  io: CliIo,
): Promise<number | GaugeError> {
  const startedAt = new Date();
  const started = nowMicros();
  const timeouts = { ...DEFAULT_TIMEOUTS, replyMs: settings.replyMs, caseMs: settings.caseMs };
  const client = interpolate('${client}', { ...DEFAULT_VARS, ...settings.overrides });
  if (!client.ok) return { kind: 'usage', message: `--var: \${${client.missing}} is not defined` };
  const probe = await probeTarget(target, timeouts, client.text, args.protocol);
  if (!probe.ok) return { kind: 'unreachable', message: probe.failure.message };
  for (const warning of probe.profile.warnings) io.stderr(`warning: ${warning}\n`);
  const ctx: RunContext = {
    target,
    vars: DEFAULT_VARS,
    overrides: settings.overrides,
    credentials,
    timeouts,
    capabilities: probe.profile.keywords,
    sizeLimit: probe.profile.sizeLimit,
    protocol: args.protocol,
    ...(capture ? { capture } : {}),
  };
  const run = await runSuites(suites, ctx, { signal: io.interrupt });
  const { banner, capabilities } = probe.profile;
  const report = buildConformanceReport({
    tool: TOOL,
    target: { host: target.host, port: target.port, banner, capabilities },
    startedAt,
    durationMs: (nowMicros() - started) / 1000,
    interrupted: run.interrupted,
    gate: gateOf(args),
    suites: run.suites,
    baseline: args.deviations,
  });
  const out = resolve(io.cwd, args.out);
  const path = join(out, REPORT_FORMATS.json.file);
  io.stdout(consoleText(renderConsoleSummary(report, relative(io.cwd, path) || path), io));
  // report.json always: it is the complete result, the source `smtpgauge report` re-renders.
  await writeReports(report, out, ['json', ...args.format]);
  if (report.summary.verdict === 'failed') return ExitCode.CheckFailed;
  if (report.summary.verdict === 'error' || run.interrupted) return ExitCode.Runtime;
  return ExitCode.Ok;
}

/** `--strict` raises a `must` gate to `should`; a lower gate already includes SHOULD. */
function gateOf(args: RunArgs): Level {
  return args.strict && args.level === 'must' ? 'should' : args.level;
}

/** Why reports cannot be written under `dir` (an existing non-directory), found before the run. */
async function checkOutDir(dir: string): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  return info && !info.isDirectory() ? 'exists and is not a directory' : undefined;
}
