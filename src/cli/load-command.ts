import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { renderDiagnostic } from '../core/diagnostic.js';
import { probeTarget } from '../dialogue/probe.js';
import { DEFAULT_TIMEOUTS, type Credentials } from '../dialogue/run-context.js';
import { judgeHealth, type RateFacts } from '../load/generator-health.js';
import { RateSchedule } from '../load/rate-schedule.js';
import { runLoad, type LoadRunOutcome } from '../load/run-load.js';
import { evaluateThresholds } from '../metrics/threshold-evaluator.js';
import { parseThreshold } from '../metrics/threshold-parser.js';
import type { Threshold } from '../metrics/threshold-model.js';
import { REPORT_FORMATS, formatsFor, type ReportFormatName } from '../report/formats.js';
import { renderLoadSummary } from '../report/load-console-summary.js';
import { consoleText } from './console-text.js';
import { buildLoadReport, type Calibration, type LoadReport } from '../report/load-report.js';
import type { LoadProfile } from '../suite/profile-model.js';
import { applyOverrides, type LoadOverrides } from './apply-load-overrides.js';
import type { CliIo } from './io.js';
import { startLoadTarget, type LoadTargetHandle } from './load-target.js';
import { progressPrinter } from './load-progress.js';
import { parseAuth, parseDurationOption, parseTarget } from './parse-options.js';
import { readProfile } from './read-profile.js';
import { writeReports } from './report-formats.js';
import { TOOL } from './tool-info.js';

export interface LoadArgs extends LoadOverrides {
  profile: string;
  target?: string;
  workers?: string;
  threshold: string[];
  out: string;
  auth?: string;
  timeout: string;
  servername?: string;
  calibrate: boolean;
  /** false: count messages only, no per-phase recording (to measure recording's cost). */
  record: boolean;
  format: ReportFormatName[];
}

const MAX_WORKERS = 64;
const CALIBRATION_MS = 3_000;

/**
 * `smtpgauge load PROFILE.yaml`: read the profile, apply the command line, (start the embedded
 * sink), run it on the worker threads, judge thresholds and the generator's health, write the
 * result. Exit 1 when a threshold is breached, 3 when interrupted or the target is unreachable.
 */
export async function loadCommand(args: LoadArgs, io: CliIo): Promise<number | GaugeError> {
  const read = await readProfile(args.profile, io.cwd);
  if ('kind' in read) return read;
  for (const w of read.warnings) io.stderr(`${renderDiagnostic(w, read.text)}\n\n`);
  const settings = parseLoadSettings(args, read.profile, io);
  if ('kind' in settings) return settings;
  const handle = await startLoadTarget(settings.profile, settings.target, settings.credentials);
  if ('kind' in handle) return handle;
  try {
    return await runAndReport(args, settings, handle, read.text, io);
  } finally {
    await handle.close();
  }
}

interface LoadSettings {
  profile: LoadProfile;
  overrides: Record<string, string>;
  thresholds: { threshold: Threshold; abort: boolean }[];
  target?: { host: string; port: number };
  credentials?: Credentials;
  workers: number;
  replyMs: number;
}

function parseLoadSettings(
  args: LoadArgs,
  profile: LoadProfile,
  io: CliIo,
): LoadSettings | GaugeError {
  const changed = applyOverrides(profile, args);
  if ('kind' in changed) return changed;
  const thresholds = collectThresholds(changed.profile, args.threshold);
  if ('kind' in thresholds) return thresholds;
  const target = args.target === undefined ? undefined : parseTarget(args.target);
  if (target && !target.ok) return target.error;
  const authText = args.auth ?? io.env.SMTPGAUGE_AUTH;
  const auth =
    authText === undefined
      ? undefined
      : parseAuth(authText, args.auth ? '--auth' : 'SMTPGAUGE_AUTH');
  if (auth && !auth.ok) return auth.error;
  if (target && changed.profile.connection.auth && !auth)
    return {
      kind: 'usage',
      message: 'the profile authenticates: give --auth USER:PASS or set SMTPGAUGE_AUTH',
    };
  const workers = args.workers === undefined ? availableParallelism() : Number(args.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)
    return { kind: 'usage', message: `--workers '${args.workers}' must be 1 to ${MAX_WORKERS}` };
  const reply = parseDurationOption(args.timeout, '--timeout');
  if (!reply.ok) return reply.error;
  const unsupported = args.format.filter((f) => !formatsFor('load').includes(f));
  if (unsupported.length > 0)
    return {
      kind: 'usage',
      message: `--format ${unsupported.join(',')}: not available for load results (use ${formatsFor('load').join(', ')})`,
    };
  return {
    profile: changed.profile,
    overrides: changed.applied,
    thresholds,
    target: target?.value,
    credentials: auth?.value,
    workers,
    replyMs: reply.value,
  };
}

/** The profile's thresholds and the command line's, parsed (the profile's were checked on read). */
function collectThresholds(
  profile: LoadProfile,
  extra: readonly string[],
): { threshold: Threshold; abort: boolean }[] | GaugeError {
  const out: { threshold: Threshold; abort: boolean }[] = [];
  for (const spec of profile.thresholds) {
    const parsed = parseThreshold(spec.expression);
    if (parsed.ok) out.push({ threshold: parsed.threshold, abort: spec.abortOnBreach });
  }
  for (const expression of extra) {
    const parsed = parseThreshold(expression);
    if (!parsed.ok) {
      const p = parsed.problems[0]!;
      const hint = p.hint ? ` (${p.hint})` : '';
      return {
        kind: 'usage',
        message: `--threshold '${expression}', column ${p.column}: ${p.message}${hint}`,
      };
    }
    out.push({ threshold: parsed.threshold, abort: false });
  }
  return out;
}

async function runAndReport(
  args: LoadArgs,
  settings: LoadSettings,
  handle: LoadTargetHandle,
  source: string,
  io: CliIo,
): Promise<number | GaugeError> {
  const { profile } = settings;
  const timeouts = { ...DEFAULT_TIMEOUTS, replyMs: settings.replyMs };
  const probe = await probeTarget(
    { host: handle.host, port: handle.port, tls: 'none' },
    timeouts,
    profile.connection.helo,
    'smtp',
  );
  if (!probe.ok) return { kind: 'unreachable', message: probe.failure.message };
  const calibration = args.calibrate ? await calibrate(settings, io) : undefined;
  if (calibration && 'kind' in calibration) return calibration;
  const startedAt = new Date();
  const progress = progressPrinter(io);
  if (profile.warmUpMs > 0) {
    progress.note(`warm-up ${(profile.warmUpMs / 1000).toFixed(1)} s (not measured)`);
  }
  const outcome = await runLoad({
    plan: {
      profile,
      target: {
        host: handle.host,
        port: handle.port,
        ...(args.servername ? { servername: args.servername } : {}),
      },
      ...(handle.credentials ? { credentials: handle.credentials } : {}),
      connectTimeoutMs: timeouts.connectMs,
      replyTimeoutMs: timeouts.replyMs,
      workers: settings.workers,
      record: args.record,
      intervalMs: 1_000,
    },
    abortOn: settings.thresholds.filter((t) => t.abort).map((t) => t.threshold.expression),
    signal: io.interrupt,
    onProgress: progress.update,
  });
  progress.done();
  const report = buildReport(settings, outcome, {
    startedAt,
    source,
    calibration,
    args,
    probe: probe.profile,
    handle,
  });
  const out = resolve(io.cwd, args.out);
  const path = join(out, REPORT_FORMATS.json.file);
  await writeReports(report, out, ['json', ...args.format]);
  io.stdout(consoleText(renderLoadSummary(report, relative(io.cwd, path) || path), io));
  if (report.summary.verdict === 'failed') return ExitCode.CheckFailed;
  if (outcome.interrupted) return ExitCode.Runtime;
  return ExitCode.Ok;
}

function buildReport(
  settings: LoadSettings,
  outcome: LoadRunOutcome,
  extra: {
    startedAt: Date;
    source: string;
    calibration?: Calibration;
    args: LoadArgs;
    probe: { banner: string | null; capabilities: string[] };
    handle: LoadTargetHandle;
  },
): LoadReport {
  const { profile } = settings;
  const { snapshot } = outcome;
  const thresholds = evaluateThresholds(
    settings.thresholds.map((t) => t.threshold),
    snapshot,
  );
  const health = judgeHealth(outcome.threads, rateFacts(profile, outcome));
  return buildLoadReport({
    tool: TOOL,
    target: {
      host: extra.handle.host,
      port: extra.handle.port,
      banner: extra.probe.banner,
      capabilities: extra.probe.capabilities,
    },
    startedAt: extra.startedAt,
    interrupted: outcome.interrupted,
    ...(outcome.abortedBy ? { abortedBy: outcome.abortedBy.expression } : {}),
    load: {
      profile: {
        id: profile.id,
        title: profile.title,
        file: profile.file,
        model: profile.model.kind,
        source: extra.source,
        overrides: settings.overrides,
        seed: profile.seed,
        durationMs: profile.durationMs,
        warmUpMs: profile.warmUpMs,
      },
      workers: outcome.threads.length,
      recorded: extra.args.record,
      snapshot,
      health,
      thresholds,
      errorSamples: outcome.errorSamples,
      ...(outcome.warmUp ? { warmUp: { durationMs: profile.warmUpMs, ...outcome.warmUp } } : {}),
      ...(extra.calibration ? { calibration: extra.calibration } : {}),
    },
  });
}

/** Starts due, made and dropped per second, and schedule lag, for the open model's health. */
function rateFacts(profile: LoadProfile, outcome: LoadRunOutcome): RateFacts {
  const { counters, named, durationMs } = outcome.snapshot;
  const base = {
    model: profile.model.kind,
    messages: counters.messages.ok,
    cores: availableParallelism(),
  };
  if (profile.model.kind !== 'open' || durationMs <= 0) return base;
  // Starts are made within the profile's duration; the drain after it is no part of the schedule.
  const spanMs = Math.min(durationMs, profile.durationMs);
  const due = new RateSchedule(profile.model, profile.durationMs).dueBy(spanMs);
  const made =
    profile.model.unit === 'message' ? counters.messages.attempted : counters.sessions.started;
  const perSecond = (n: number) => (n / spanMs) * 1000;
  return {
    ...base,
    targetRate: perSecond(due),
    achievedRate: perSecond(made),
    droppedRate: perSecond(counters.dropped),
    ...(named['schedule-lag'] ? { scheduleLagP99Ms: named['schedule-lag'].p99 } : {}),
  };
}

/**
 * `--calibrate`: the generator's own ceiling on this machine. The profile's connection options
 * and message mix, as a closed model with its concurrency, for 3 s against a fresh embedded
 * sink; nothing is recorded but the count of accepted messages.
 */
async function calibrate(settings: LoadSettings, io: CliIo): Promise<Calibration | GaugeError> {
  const { profile } = settings;
  const sessions =
    profile.model.kind === 'closed'
      ? profile.model.sessions
      : Math.min(profile.model.maxSessions, 64);
  const calibration: LoadProfile = {
    ...profile,
    durationMs: CALIBRATION_MS,
    messages: undefined,
    model: { kind: 'closed', sessions, thinkTimeMs: 0, span: profile.model.span },
    thresholds: [],
  };
  const sink = await startLoadTarget(calibration, undefined, settings.credentials);
  if ('kind' in sink) return sink;
  try {
    const outcome = await runLoad({
      plan: {
        profile: calibration,
        target: { host: sink.host, port: sink.port },
        ...(sink.credentials ? { credentials: sink.credentials } : {}),
        connectTimeoutMs: DEFAULT_TIMEOUTS.connectMs,
        replyTimeoutMs: settings.replyMs,
        workers: settings.workers,
        record: false,
        intervalMs: 1_000,
      },
      abortOn: [],
      signal: io.interrupt,
    });
    const { ok } = outcome.snapshot.counters.messages;
    const ms = outcome.snapshot.durationMs;
    return {
      messagesPerSecond: ms > 0 ? Math.round((ok / ms) * 1000) : 0,
      durationMs: Math.round(ms),
      sessions,
    };
  } finally {
    await sink.close();
  }
}
