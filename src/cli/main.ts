import yargs, { type Argv } from 'yargs';
import { renderDiagnostic } from '../core/diagnostic.js';
import { exitCodeOf, type GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { LEVELS, PROTOCOLS } from '../suite/model.js';
import { processIo, type CliIo } from './io.js';
import { compareCommand, type CompareArgs } from './compare-command.js';
import { listCommand } from './list-command.js';
import { runCommand, type RunArgs } from './run-command.js';
import { serveCommand, type ServeArgs } from './serve-command.js';
import { TOOL } from './tool-info.js';
import { validateCommand } from './validate-command.js';

type Invocation =
  | { command: 'run'; args: RunArgs }
  | { command: 'list'; paths: string[] }
  | { command: 'validate'; paths: string[] }
  | { command: 'serve'; args: ServeArgs }
  | { command: 'compare'; args: CompareArgs };

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
    .demandCommand(1, 'give a command: run, list, validate, serve or compare')
    .showHelpOnFail(false)
    .recommendCommands()
    .wrap(100)
    .command(
      'run [paths..]',
      'run conformance suites against a target (the embedded one when --target is absent)',
      (c) =>
        c
          .positional('paths', {
            type: 'string',
            array: true,
            default: [],
            describe: 'suite files or directories (default: the built-in suites)',
          })
          .option('target', { type: 'string', describe: 'HOST:PORT of the server under test' })
          .option('tls', {
            choices: ['none', 'starttls', 'implicit'] as const,
            default: 'none' as const,
            describe: 'TLS for every case',
          })
          .option('auth', {
            type: 'string',
            describe: 'USER:PASS for AUTH steps (or set SMTPGAUGE_AUTH)',
          })
          .option('level', {
            choices: LEVELS,
            default: 'must' as const,
            describe: 'lowest level whose failures fail the run',
          })
          .option('out', {
            type: 'string',
            default: 'reports',
            describe: 'directory for report.json',
          })
          .option('format', {
            type: 'string',
            default: 'json',
            choices: ['json'],
            describe: 'report formats',
          })
          .option('var', {
            // Not `array: true`, which would swallow the suite paths after it; a repeated
            // --var still arrives as a list.
            type: 'string',
            requiresArg: true,
            describe: 'NAME=VALUE, overrides a suite variable (repeatable)',
          })
          .option('timeout', {
            type: 'string',
            default: '10s',
            describe: 'longest wait for one reply',
          })
          .option('case-timeout', {
            type: 'string',
            default: '60s',
            describe: 'deadline for one case',
          })
          .option('servername', { type: 'string', describe: 'TLS server name (SNI)' })
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
      'start the embedded reference target on its own',
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
            choices: ['reference'] as const,
            default: 'reference' as const,
            describe: 'which target',
          }),
      (a) => select({ command: 'serve', args: { port: a.port, host: a.host, profile: a.profile } }),
    )
    .command(
      'compare <baseline> <current>',
      'cases whose outcome differs between two stored results (exit 1 on newly failing cases)',
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
          }),
      (a) =>
        select({
          command: 'compare',
          args: { baseline: a.baseline, current: a.current, level: a.level },
        }),
    );
}
