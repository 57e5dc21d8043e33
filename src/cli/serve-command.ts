import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { startReferenceTarget } from '../targets/reference-target.js';
import type { CliIo } from './io.js';

export interface ServeArgs {
  port: number;
  host: string;
  profile: 'reference';
}

/** `smtpgauge serve`: the embedded reference target on its own, until Ctrl-C / SIGTERM. */
export async function serveCommand(args: ServeArgs, io: CliIo): Promise<number | GaugeError> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    return {
      kind: 'usage',
      message: `--port ${args.port} is not a port (0 to 65535; 0 = any free port)`,
    };
  }
  let target;
  try {
    target = await startReferenceTarget({ port: args.port, host: args.host });
  } catch (cause) {
    return {
      kind: 'runtime',
      message: `cannot listen on ${args.host}:${args.port}: ${(cause as Error).message}`,
    };
  }
  io.stdout(`smtpgauge ${args.profile} target listening on ${target.host}:${target.port}\n`);
  io.stdout(
    `test account: ${target.credentials.user} (password: ${target.credentials.pass}); Ctrl-C stops it\n`,
  );
  if (!io.interrupt.aborted) {
    await new Promise<void>((resolve) =>
      io.interrupt.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
  await target.close();
  io.stdout('stopped\n');
  return ExitCode.Ok;
}
