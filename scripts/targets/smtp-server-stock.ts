import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RealServer } from './real-server.js';
import { smtpServerChild } from './smtp-server-child.js';

/**
 * smtp-server (npm, the copy in the project's node_modules) in its stock configuration as its
 * documentation shows it: `authOptional: true` (an MX), `onAuth` with one test account,
 * `onRcptTo` taking the test domain and the bare postmaster, `onData` draining and discarding
 * the message, our own self-signed certificate for STARTTLS, `logger: true`, and nothing
 * else: no `name`, `banner`, `size`, `disabledCommands`, `lenientAddressParsing`, timeouts or
 * other fixes (contrast the embedded reference target, src/targets/reference-target.ts).
 *
 * It runs as a child process (`smtp-server-stock-main.mjs`) so it has a PID of its own, inside
 * `withLoopbackDns`, because smtp-server reverse-resolves every client address. AUTH is only
 * accepted after STARTTLS (smtp-server's default: 538 before it, `allowInsecureAuth` off).
 */
export const smtpServerStock: RealServer = smtpServerChild({
  name: 'smtp-server',
  main: join(dirname(fileURLToPath(import.meta.url)), 'smtp-server-stock-main.mjs'),
  credentials: { user: 'smtpgauge', pass: 'gauge-test-password' },
  authAfterStartTls: true,
});
