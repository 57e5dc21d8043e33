/**
 * Everything a command may touch of the process, injected so that tests run the CLI in-process
 * through the same entry point users run (`main(argv, io)`).
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM: a run stops starting cases and writes what it has. */
  interrupt: AbortSignal;
  /** Whether stdout is a terminal (progress and colour only then). */
  isTty: boolean;
}

export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interrupt: controller.signal,
    isTty: Boolean(process.stdout.isTTY),
  };
}
