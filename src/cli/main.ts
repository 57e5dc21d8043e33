import yargs, { type Argv } from 'yargs';
import { renderDiagnostic } from '../core/diagnostic.js';
import { exitCodeOf, type GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { ReportFormatName } from '../report/formats.js';
import { LEVELS, PROTOCOLS } from '../suite/model.js';
import { processIo, type CliIo } from './io.js';
import { compareCommand, type CompareArgs } from './compare-command.js';
import { listCommand } from './list-command.js';
import { loadCommand, type LoadArgs } from './load-command.js';
import { mergeCommand, type MergeArgs } from './merge-command.js';
import { DERIVED_FORMATS, reportCommand, type ReportArgs } from './report-command.js';
import { formatOption } from './report-formats.js';
import { runCommand, type RunArgs } from './run-command.js';
import { SERVE_PROFILES, serveCommand, type ServeArgs } from './serve-command.js';
import { TOOL } from './tool-info.js';
import { validateCommand } from './validate-command.js';

type Invocation =
  | { command: 'run'; args: RunArgs }
  | { command: 'list'; paths: string[] }
  | { command: 'validate'; paths: string[] }
  | { command: 'serve'; args: ServeArgs }
  | { command: 'compare'; args: CompareArgs }
  | { command: 'report'; args: ReportArgs }
  | { command: 'load'; args: LoadArgs }
  | { command: 'merge'; args: MergeArgs };

/**
 * The command line (DESIGN.md). yargs only parses and validates; the commands run afterwards,
 * so every outcome, including a thrown exception, is turned into an exit code here and nowhere
 * else. Returns the exit code instead of exiting, so tests call it in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let invocation: Invocation | undefined;
  const parsed = await parseArgs(argv, (i) => (invocation = i));
  if (parsed.error) return report({ kind: 'usage', message: parsed.error }, io);
  if (parsed.output) io.stdout(parsed.output.endsWith('\n') ? parsed.output : `${parsed.output}\n`);
  if (!invocation) return ExitCode.Ok;
  try {
    const result = await dispatch(invocation, io);
    return typeof result === 'number' ? result : report(result, io);
  } catch (cause) {
    return report(
      { kind: 'internal', message: (cause as Error).message ?? String(cause), cause },
      io,
    );
  }
}

function dispatch(invocation: Invocation, io: CliIo): Promise<number | GaugeError> {
  switch (invocation.command) {
    case 'run':
      return runCommand(invocation.args, io);
    case 'list':
      return listCommand(invocation.paths, io);
    case 'validate':
      return validateCommand(invocation.paths, io);
    case 'serve':
      return serveCommand(invocation.args, io);
    case 'compare':
      return compareCommand(invocation.args, io);
    case 'report':
      return reportCommand(invocation.args, io);
    case 'load':
      return loadCommand(invocation.args, io);
    case 'merge':
      return mergeCommand(invocation.args, io);
  }
}

/** Prints an error the way a user should see it: one line, or diagnostics with their places. */
function report(error: GaugeError, io: CliIo): number {
  if (error.kind === 'input') {
    io.stderr(
      error.diagnostics
        .map((d) => renderDiagnostic(d, d.span && error.sources.get(d.span.file)))
        .join('\n\n') + '\n\n',
    );
  }
  const prefix = error.kind === 'internal' ? 'internal error' : 'error';
  io.stderr(`${prefix}: ${error.message}\n`);
  if (error.kind === 'usage') io.stderr("run 'smtpgauge --help' for usage\n");
  if (error.kind === 'internal' && io.env.SMTPGAUGE_DEBUG)
    io.stderr(`${(error.cause as Error)?.stack ?? ''}\n`);
  return exitCodeOf(error);
}

function parseArgs(
  argv: string[],
  select: (i: Invocation) => void,
): Promise<{ output: string; error?: string }> {
  const parser = defineCommands(yargs(), select);
  return new Promise((resolve) => {
    parser.parse(argv, {}, (error, _argv, output) =>
      // yargs messages can span lines ("Invalid values:\n  Argument: …"): the error is one line.
      resolve({ output, error: error?.message.replace(/\s*\n\s*/g, ' ') }),
    );
  });
}

function defineCommands(y: Argv, select: (i: Invocation) => void): Argv {
  return y
    .scriptName('smtpgauge')
    .version(TOOL.version)
    .strict()
    .demandCommand(1, 'give a command: run, load, list, validate, serve, compare, report or merge')
    .showHelpOnFail(false)
    .recommendCommands()
    .wrap(100)
    .command(
      'run [paths..]',
      'run conformance suites against a target (the embedded one when --target is absent)',
      (c) =>
        targetOptions(c)
          .positional('paths', {
            type: 'string',
            array: true,
            default: [],
            describe: 'suite files or directories (default: the built-in suites)',
          })
          .option('tls', {
            choices: ['none', 'starttls', 'implicit'] as const,
            default: 'none' as const,
            describe: 'TLS for every case',
          })
          .option('level', {
            choices: LEVELS,
            default: 'must' as const,
            describe: 'lowest level whose failures fail the run',
          })
          .option('var', {
            // Not `array: true`, which would swallow the suite paths after it; a repeated
            // --var still arrives as a list.
            type: 'string',
            requiresArg: true,
            describe: 'NAME=VALUE, overrides a suite variable (repeatable)',
          })
          .option('case-timeout', {
            type: 'string',
            default: '60s',
            describe: 'deadline for one case',
          })
          .option('protocol', {
            choices: PROTOCOLS,
            default: 'smtp' as const,
            describe: 'smtp, or lmtp for an LMTP server (LHLO; the LMTP suites)',
          })
          .option('strict', {
            type: 'boolean',
            default: false,
            describe: 'SHOULD failures fail the run too',
          })
          .option('baseline', {
            type: 'string',
            describe: 'YAML file of known deviations (accepted, still reported)',
          })
          .option('capture', {
            type: 'string',
            describe:
              'start the capture sink on [HOST:]PORT (bare: a free port) for expect-delivered cases; the target must relay to it',
          }),
      (a) =>
        select({
          command: 'run',
          args: {
            paths: a.paths as string[],
            target: a.target,
            tls: a.tls,
            auth: a.auth,
            level: a.level,
            out: a.out,
            var: [a.var ?? []].flat() as string[],
            timeout: a.timeout,
            caseTimeout: a.caseTimeout,
            servername: a.servername,
            strict: a.strict,
            protocol: a.protocol,
            baseline: a.baseline,
            capture: a.capture,
            format: a.format as ReportFormatName[],
          },
        }),
    )
    .command(
      'list [paths..]',
      'list cases with their RFC references and levels',
      (c) => c.positional('paths', { type: 'string', array: true, default: [] }),
      (a) => select({ command: 'list', paths: a.paths as string[] }),
    )
    .command(
      'validate <paths..>',
      'check suite files without touching the network',
      (c) => c.positional('paths', { type: 'string', array: true, demandOption: true }),
      (a) => select({ command: 'validate', paths: a.paths as string[] }),
    )
    .command(
      'serve',
      'start an embedded target on its own: the reference server, or the fast sink for load runs',
      (c) =>
        c
          .option('port', {
            type: 'number',
            default: 2525,
            describe: 'port to listen on (0 = any free port)',
          })
          .option('host', {
            type: 'string',
            default: '127.0.0.1',
            describe: 'address to listen on',
          })
          .option('profile', {
            choices: SERVE_PROFILES,
            default: 'reference' as const,
            describe: 'reference (smtp-server, RFC-conforming) or sink (fast, stores nothing)',
          })
          .option('delay', {
            type: 'string',
            requiresArg: true,
            describe:
              'sink: reply delays, e.g. eod=5ms,rcpt=1ms (greeting, ehlo, mail, rcpt, data, eod, quit, bdat)',
          })
          .option('fail-rate', {
            type: 'string',
            requiresArg: true,
            describe: 'sink: share of MAIL/RCPT/end-of-data replies failed, e.g. 4xx=1%,5xx=0.5%',
          })
          .option('disconnect-rate', {
            type: 'string',
            requiresArg: true,
            describe: 'sink: share of commands answered by dropping the connection, e.g. 0.1%',
          })
          .option('seed', {
            type: 'string',
            requiresArg: true,
            describe: 'sink: seed of the injected faults (default 1)',
          })
          .option('max-connections', {
            type: 'string',
            requiresArg: true,
            describe: 'sink: open connections at most; more get 421',
          })
          .option('starttls', {
            type: 'boolean',
            describe: 'sink: offer STARTTLS (a self-signed certificate for localhost)',
          })
          .option('auth', {
            type: 'string',
            requiresArg: true,
            describe: 'sink: offer AUTH PLAIN for USER:PASS',
          }),
      (a) =>
        select({
          command: 'serve',
          args: {
            port: a.port,
            host: a.host,
            profile: a.profile,
            delay: [a.delay ?? []].flat() as string[],
            failRate: [a.failRate ?? []].flat() as string[],
            disconnectRate: lastOf(a.disconnectRate),
            seed: lastOf(a.seed),
            maxConnections: lastOf(a.maxConnections),
            starttls: a.starttls,
            auth: lastOf(a.auth),
          },
        }),
    )
    .command(
      'load <profile>',
      'run a load profile against a target (the embedded sink when --target is absent)',
      (c) =>
        targetOptions(c)
          .positional('profile', {
            type: 'string',
            demandOption: true,
            describe: 'load profile (YAML)',
          })
          .option('duration', {
            type: 'string',
            requiresArg: true,
            describe: 'override the profile duration (e.g. 30s)',
          })
          .option('warm-up', {
            type: 'string',
            requiresArg: true,
            describe: 'run the model this long first, recording nothing (e.g. 1s)',
          })
          .option('rate', {
            type: 'string',
            requiresArg: true,
            describe: 'open model: a constant rate, e.g. 500/s',
          })
          .option('connections', {
            type: 'string',
            requiresArg: true,
            describe: 'closed: sessions; open: the session cap',
          })
          .option('workers', {
            type: 'string',
            requiresArg: true,
            describe: 'generator threads (default: all cores)',
          })
          .option('threshold', {
            type: 'string',
            requiresArg: true,
            describe: "a pass/fail rule, e.g. 'p99(eod) < 50ms' (repeatable)",
          })
          .option('seed', {
            type: 'string',
            requiresArg: true,
            describe: 'override the profile seed',
          })
          .option('calibrate', {
            type: 'boolean',
            default: false,
            describe: "first measure the generator's own ceiling against the embedded sink",
          })
          .option('record', {
            type: 'boolean',
            default: true,
            describe: 'record per-phase latency (--no-record: count messages only)',
          }),
      (a) =>
        select({
          command: 'load',
          args: {
            profile: a.profile as string,
            target: a.target,
            duration: lastOf(a.duration),
            warmUp: lastOf(a['warm-up']),
            rate: lastOf(a.rate),
            connections: lastOf(a.connections),
            workers: lastOf(a.workers),
            threshold: [a.threshold ?? []].flat() as string[],
            seed: lastOf(a.seed),
            auth: a.auth,
            timeout: a.timeout,
            servername: a.servername,
            calibrate: a.calibrate,
            record: a.record,
            out: a.out,
            format: a.format as ReportFormatName[],
          },
        }),
    )
    .command(
      'compare <baseline> <current>',
      'differences between two stored results: cases whose outcome changed, or load latency and throughput (exit 1 on regressions)',
      (c) =>
        c
          .positional('baseline', {
            type: 'string',
            demandOption: true,
            describe: 'the earlier report.json',
          })
          .positional('current', {
            type: 'string',
            demandOption: true,
            describe: 'the later report.json (or another target)',
          })
          .option('level', {
            choices: LEVELS,
            default: 'must' as const,
            describe: 'lowest level whose newly failing cases fail the comparison',
          })
          .option('max-regression', {
            type: 'string',
            requiresArg: true,
            describe:
              'load results: fail when a p99 rises or the throughput falls by more, e.g. 10%',
          }),
      (a) =>
        select({
          command: 'compare',
          args: {
            baseline: a.baseline,
            current: a.current,
            level: a.level,
            maxRegression: lastOf(a.maxRegression),
          },
        }),
    )
    .command(
      'merge <results..>',
      'combine the shards of one run into one result (lossless histograms; thresholds evaluated again)',
      (c) =>
        c
          .positional('results', {
            type: 'string',
            array: true,
            describe: 'stored results (report.json)',
          })
          .option('o', {
            alias: 'output',
            type: 'string',
            demandOption: true,
            requiresArg: true,
            describe: 'where the merged report.json goes',
          }),
      (a) =>
        select({
          command: 'merge',
          args: { results: a.results as string[], output: a.o as string },
        }),
    )
    .command(
      'report <result>',
      're-render a stored result (report.json) in other formats, next to it or into --out',
      (c) =>
        c
          .positional('result', {
            type: 'string',
            demandOption: true,
            describe: 'a report.json written by run',
          })
          .option('format', formatOption(DERIVED_FORMATS, 'formats to write, comma list'))
          .option('out', {
            type: 'string',
            requiresArg: true,
            describe: "directory for the files (default: the result's directory)",
          }),
      (a) =>
        select({
          command: 'report',
          args: {
            result: a.result,
            format: a.format as ReportFormatName[],
            out: lastOf(a.out),
          },
        }),
    );
}

/** A repeated single-valued option arrives as a list: the last one given counts. */
/** The options `run` and `load` share: where to send, how to authenticate, what to write. */
function targetOptions<T>(c: Argv<T>) {
  return c
    .option('target', { type: 'string', describe: 'HOST:PORT of the server under test' })
    .option('auth', {
      type: 'string',
      describe: 'USER:PASS for AUTH (or set SMTPGAUGE_AUTH, which keeps it out of shell history)',
    })
    .option('timeout', { type: 'string', default: '10s', describe: 'longest wait for one reply' })
    .option('servername', { type: 'string', describe: 'TLS server name (SNI)' })
    .option('out', {
      type: 'string',
      default: 'reports',
      describe: 'directory for report.json and the other --format files',
    })
    .option(
      'format',
      formatOption(['json'], 'report formats, comma list (report.json is always written)'),
    );
}

function lastOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}
