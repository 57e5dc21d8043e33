import type { RealServer } from './real-server.js';
import { aiosmtpdInstalled, startAiosmtpd } from './aiosmtpd.js';

/**
 * aiosmtpd 1.4's LMTP server (`aiosmtpd.lmtp.LMTP`, Debian `python3-aiosmtpd`), run by
 * aiosmtpd_lmtp_server.py beside this file. aiosmtpd has no LMTP command line: the class is
 * built with its defaults (SIZE 33554432, 8BITMIME, no SMTPUTF8, no TLS and so no AUTH) and
 * hostname `localhost` (the default asks DNS), with a handler that, as the library leaves to
 * the application, answers the final dot with one `250 OK` per accepted recipient (RFC 2033
 * §4.2) and refuses recipients at domains other than example.test at RCPT, like the SMTP
 * launcher's. Drops to `nobody` after binding 127.0.0.1:PORT. Only the LMTP suites run
 * against it.
 */
export const aiosmtpdLmtp: RealServer = {
  name: 'aiosmtpd-lmtp',
  protocol: 'lmtp',
  isInstalled: () => aiosmtpdInstalled('aiosmtpd_lmtp_server.py'),
  start: () =>
    startAiosmtpd('aiosmtpd-lmtp', 'aiosmtpd_lmtp_server.py', async () => ({ args: [] })),
};
