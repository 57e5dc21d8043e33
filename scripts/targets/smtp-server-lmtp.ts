import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RealServer } from './real-server.js';
import { smtpServerChild } from './smtp-server-child.js';

/**
 * smtp-server (npm, the project's copy) as an LMTP server: the stock configuration of
 * smtp-server-stock.ts with `lmtp: true`, AUTH disabled (an LMTP server takes mail from the MTA
 * in front of it; RFC 2033 §1) and `disableReverseLookup: true`; see
 * `smtp-server-lmtp-main.mjs`. It still runs inside `withLoopbackDns`, so nothing it might
 * resolve leaves the box. Only the LMTP suites run against it.
 */
export const smtpServerLmtp: RealServer = smtpServerChild({
  name: 'smtp-server-lmtp',
  main: join(dirname(fileURLToPath(import.meta.url)), 'smtp-server-lmtp-main.mjs'),
  protocol: 'lmtp',
});
