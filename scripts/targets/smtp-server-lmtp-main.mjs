// smtp-server (npm) as an LMTP server (`lmtp: true`), run as its own process by
// smtp-server-lmtp.ts:
//   node smtp-server-lmtp-main.mjs PORT KEY_FILE CERT_FILE DOMAIN
// The stock configuration of smtp-server-stock-main.mjs, changed only where an LMTP delivery
// agent differs from an MX: `lmtp: true`; no AUTH (`disabledCommands: ['AUTH']`: an LMTP server
// takes mail from the MTA in front of it, RFC 2033 §1, so no account and no `authOptional`);
// `disableReverseLookup: true` (the client is always 127.0.0.1). Everything else is
// smtp-server's default (LHLO: PIPELINING, 8BITMIME, SMTPUTF8, STARTTLS; ENHANCEDSTATUSCODES
// and DSN hidden; greeting name = os.hostname()). onData gives no per-recipient array, so
// smtp-server itself sends one 250 per recipient in its envelope.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SMTPServer } from 'smtp-server';
import { discardData, serveUntilSignal, testDomainOnly } from './smtp-server-common.mjs';

const [portArg, keyFile, certFile, domain] = process.argv.slice(2);
if (!portArg || !keyFile || !certFile || !domain) {
  console.error('usage: smtp-server-lmtp-main.mjs PORT KEY_FILE CERT_FILE DOMAIN');
  process.exit(2);
}
const port = Number(portArg);
const { version } = createRequire(import.meta.url)('smtp-server/package.json');

const server = new SMTPServer({
  lmtp: true,
  disableReverseLookup: true,
  disabledCommands: ['AUTH'],
  // STARTTLS with our own certificate instead of the library's built-in localhost one.
  key: readFileSync(keyFile),
  cert: readFileSync(certFile),
  // smtp-server's protocol log (commands, replies) on stdout.
  logger: true,
  onRcptTo: testDomainOnly(domain),
  onData: discardData,
});

serveUntilSignal(server, port, `smtp-server ${version} (LMTP)`);
