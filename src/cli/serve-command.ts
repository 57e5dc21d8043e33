import { parseDuration } from '../core/duration.js';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { didYouMean } from '../core/did-you-mean.js';
import { generateLoopbackCertificate } from '../targets/certificate.js';
import { startReferenceTarget } from '../targets/reference-target.js';
import {
  SINK_DELAY_KEYS,
  sinkOptionProblems,
  startSinkTarget,
  type SinkStats,
  type SinkDelays,
  type SinkTargetOptions,
} from '../targets/sink-target.js';
import type { CliIo } from './io.js';
import { parseAuth } from './parse-options.js';

export const SERVE_PROFILES = ['reference', 'sink'] as const;

export interface ServeArgs {
  port: number;
  host: string;
  profile: (typeof SERVE_PROFILES)[number];
  /** Sink only, each as typed (repeatable, comma-separated lists). */
  delay?: string[];
  failRate?: string[];
  disconnectRate?: string;
  seed?: string;
  maxConnections?: string;
  starttls?: boolean;
  auth?: string;
}

/**
 * `smtpgauge serve`: the embedded reference target, or the fast sink (`--profile sink`), on its
 * own until Ctrl-C / SIGTERM.
 *
 *   smtpgauge serve --profile sink --delay eod=5ms,rcpt=1ms --fail-rate 4xx=1%,5xx=0.5% \
 *       --disconnect-rate 0.1% --seed 7 --max-connections 500 --starttls --auth user:pass
 */
export async function serveCommand(args: ServeArgs, io: CliIo): Promise<number | GaugeError> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    return usage(`--port ${args.port} is not a port (0 to 65535; 0 = any free port)`);
  }
  if (args.profile === 'sink') return serveSink(args, io);
  const sinkOnly = sinkOnlyOptions(args);
  if (sinkOnly.length > 0) {
    return usage(`${sinkOnly.join(', ')}: only for --profile sink (the profile is reference)`);
  }
  const target = await listening(args, () =>
    startReferenceTarget({ port: args.port, host: args.host }),
  );
  if ('kind' in target) return target;
  io.stdout(`smtpgauge ${args.profile} target listening on ${target.host}:${target.port}\n`);
  io.stdout(
    `test account: ${target.credentials.user} (password: ${target.credentials.pass}); Ctrl-C stops it\n`,
  );
  await interrupted(io);
  await target.close();
  io.stdout('stopped\n');
  return ExitCode.Ok;
}

async function serveSink(args: ServeArgs, io: CliIo): Promise<number | GaugeError> {
  const parsed = sinkOptions(args);
  if ('kind' in parsed) return parsed;
  const options = parsed;
  if (args.starttls) options.certificate = await generateLoopbackCertificate();
  const sink = await listening(args, () => startSinkTarget(options));
  if ('kind' in sink) return sink;
  io.stdout(`smtpgauge sink target listening on ${sink.host}:${sink.port}\n`);
  io.stdout(`${describeSink(options)}; Ctrl-C stops it\n`);
  await interrupted(io);
  const stats = sink.stats();
  await sink.close();
  io.stdout(describeTotals(stats));
  io.stdout('stopped\n');
  return ExitCode.Ok;
}

/** The sink's options from the command line; every problem at once, in one usage error. */
function sinkOptions(args: ServeArgs): SinkTargetOptions | GaugeError {
  const problems: string[] = [];
  const options: SinkTargetOptions = { port: args.port, host: args.host };
  const delays = parseDelays(args.delay ?? [], problems);
  if (Object.keys(delays).length > 0) options.delays = delays;
  const rates = parseFailRates(args.failRate ?? [], problems);
  if (rates['4xx'] !== undefined) options.tempFailRate = rates['4xx'];
  if (rates['5xx'] !== undefined) options.permFailRate = rates['5xx'];
  if (args.disconnectRate !== undefined) {
    options.disconnectRate = parseRate(args.disconnectRate, '--disconnect-rate', problems);
  }
  if (args.seed !== undefined) {
    options.seed = parseInteger(args.seed, '--seed', 0, 0xffffffff, problems);
  }
  if (args.maxConnections !== undefined) {
    const max = parseInteger(args.maxConnections, '--max-connections', 1, 1e9, problems);
    options.maxConnections = max;
  }
  if (args.auth !== undefined) {
    const auth = parseAuth(args.auth, '--auth');
    if (auth.ok) options.credentials = auth.value;
    else problems.push(auth.error.message);
  }
  if (problems.length === 0) problems.push(...sinkOptionProblems(options));
  return problems.length > 0 ? usage(problems.join('; ')) : options;
}

/** `--delay NAME=DURATION[,NAME=DURATION…]`, e.g. `eod=5ms,rcpt=1ms`; 0 is allowed. */
function parseDelays(texts: readonly string[], problems: string[]): SinkDelays {
  const delays: SinkDelays = {};
  for (const item of listItems(texts)) {
    const [name = '', value] = splitPair(item);
    const key = SINK_DELAY_KEYS.find((k) => k === name.toLowerCase());
    const ms = value === undefined ? undefined : parseDuration(value);
    if (!key) {
      const hint = didYouMean(name, SINK_DELAY_KEYS);
      problems.push(
        `--delay '${item}': '${name}' is not a reply to delay (${SINK_DELAY_KEYS.join(', ')})` +
          (hint ? `; ${hint}` : ''),
      );
    } else if (ms === undefined) {
      problems.push(`--delay '${item}' is not NAME=DURATION (e.g. eod=5ms, rcpt=1.5s)`);
    } else if (delays[key] !== undefined) {
      problems.push(`--delay ${key} is given twice`);
    } else {
      delays[key] = ms;
    }
  }
  return delays;
}

const FAIL_CLASSES = ['4xx', '5xx'] as const;

/** `--fail-rate 4xx=RATE[,5xx=RATE]`; 4xx = 451, 5xx = 554; together at most 100%. */
function parseFailRates(
  texts: readonly string[],
  problems: string[],
): Partial<Record<(typeof FAIL_CLASSES)[number], number>> {
  const rates: Partial<Record<(typeof FAIL_CLASSES)[number], number>> = {};
  for (const item of listItems(texts)) {
    const [name = '', value] = splitPair(item);
    const key = FAIL_CLASSES.find((k) => k === name.toLowerCase());
    if (!key || value === undefined) {
      problems.push(`--fail-rate '${item}' is not 4xx=RATE or 5xx=RATE (e.g. 4xx=1%,5xx=0.5%)`);
    } else if (rates[key] !== undefined) {
      problems.push(`--fail-rate ${key} is given twice`);
    } else {
      rates[key] = parseRate(value, `--fail-rate ${key}`, problems);
    }
  }
  if ((rates['4xx'] ?? 0) + (rates['5xx'] ?? 0) > 1) {
    problems.push('--fail-rate: 4xx and 5xx together exceed 100%');
  }
  return rates;
}

/** A probability: `0.5%` or a fraction `0.005`, from 0 to 100%. */
function parseRate(text: string, option: string, problems: string[]): number {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const rate = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!(rate >= 0 && rate <= 1)) {
    problems.push(`${option} '${text}' is not a rate from 0 to 100% (e.g. 1%, 0.5%, 0.01)`);
    return 0;
  }
  return rate;
}

function parseInteger(
  text: string,
  option: string,
  min: number,
  max: number,
  problems: string[],
): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value >= min && value <= max)) {
    problems.push(`${option} '${text}' is not a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Items of repeatable comma-separated options; empty items are ignored. */
function listItems(texts: readonly string[]): string[] {
  return texts.flatMap((text) => text.split(',').map((item) => item.trim())).filter(Boolean);
}

function splitPair(item: string): [string, string | undefined] {
  const eq = item.indexOf('=');
  return eq === -1 ? [item, undefined] : [item.slice(0, eq).trim(), item.slice(eq + 1).trim()];
}

function sinkOnlyOptions(args: ServeArgs): string[] {
  const given: [string, boolean][] = [
    ['--delay', (args.delay ?? []).length > 0],
    ['--fail-rate', (args.failRate ?? []).length > 0],
    ['--disconnect-rate', args.disconnectRate !== undefined],
    ['--seed', args.seed !== undefined],
    ['--max-connections', args.maxConnections !== undefined],
    ['--starttls', args.starttls === true],
    ['--auth', args.auth !== undefined],
  ];
  return given.filter(([, present]) => present).map(([option]) => option);
}

/** `STARTTLS on, AUTH PLAIN off; delays eod=5ms; faults 4xx 1%, 5xx 0%, disconnect 0%, seed 1` */
function describeSink(options: SinkTargetOptions): string {
  const percent = (rate: number | undefined): string => `${+((rate ?? 0) * 100).toFixed(4)}%`;
  const delays = Object.entries(options.delays ?? {}).map(([key, ms]) => `${key}=${ms}ms`);
  return [
    `accepts every envelope, stores nothing`,
    `STARTTLS ${options.certificate ? 'on (self-signed, localhost)' : 'off'}`,
    `AUTH PLAIN ${options.credentials ? `on (user ${options.credentials.user})` : 'off'}`,
    `delays ${delays.length > 0 ? delays.join(',') : 'none'}`,
    `faults 4xx ${percent(options.tempFailRate)}, 5xx ${percent(options.permFailRate)}, ` +
      `disconnect ${percent(options.disconnectRate)}, seed ${options.seed ?? 1}`,
  ].join('; ');
}

/** `sink totals: connections 3, messages 2, octets received 2118, injected 451 0, 554 0, drops 0` */
function describeTotals(stats: SinkStats): string {
  const { faults } = stats;
  return (
    `sink totals: connections ${stats.connections}, messages ${stats.messages}, ` +
    `octets received ${stats.bytesReceived}, injected 451 ${faults.tempFail}, ` +
    `554 ${faults.permFail}, drops ${faults.disconnect}\n`
  );
}

/** Starts a target, turning a failure to listen into a runtime error. */
async function listening<T>(args: ServeArgs, start: () => Promise<T>): Promise<T | GaugeError> {
  try {
    return await start();
  } catch (cause) {
    return {
      kind: 'runtime',
      message: `cannot listen on ${args.host}:${args.port}: ${(cause as Error).message}`,
    };
  }
}

async function interrupted(io: CliIo): Promise<void> {
  if (io.interrupt.aborted) return;
  await new Promise<void>((resolve) =>
    io.interrupt.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function usage(message: string): GaugeError {
  return { kind: 'usage', message };
}
