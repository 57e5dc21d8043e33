// smtp-server (npm) configured the way its documentation (nodemailer.com/extras/smtp-server)
// shows, run as its own process by smtp-server-stock.ts:
//   node smtp-server-stock-main.mjs PORT KEY_FILE CERT_FILE DOMAIN USER PASS
// Everything not set here is smtp-server's default (EHLO: PIPELINING, 8BITMIME, SMTPUTF8,
// AUTH LOGIN PLAIN, STARTTLS; greeting name = os.hostname()). The test password on the
// command line is a throwaway for loopback only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SMTPServer } from 'smtp-server';
import { discardData, serveUntilSignal, testDomainOnly } from './smtp-server-common.mjs';

const [portArg, keyFile, certFile, domain, user, pass] = process.argv.slice(2);
if (!portArg || !keyFile || !certFile || !domain || !user || !pass) {
  console.error('usage: smtp-server-stock-main.mjs PORT KEY_FILE CERT_FILE DOMAIN USER PASS');
  process.exit(2);
}
const port = Number(portArg);
const { version } = createRequire(import.meta.url)('smtp-server/package.json');

const server = new SMTPServer({
  // STARTTLS with our own certificate instead of the library's built-in localhost one.
  key: readFileSync(keyFile),
  cert: readFileSync(certFile),
  // An MX takes mail from anyone: without this smtp-server answers MAIL with 530 until AUTH.
  authOptional: true,
  // smtp-server's protocol log (commands, replies; AUTH secrets redacted) on stdout.
  logger: true,
  // The documented onAuth example, with the test account.
  onAuth(auth, _session, callback) {
    if (auth.username !== user || auth.password !== pass) {
      return callback(new Error('Invalid username or password'));
    }
    return callback(null, { user: auth.username });
  },
  onRcptTo: testDomainOnly(domain),
  onData: discardData,
});

serveUntilSignal(server, port, `smtp-server ${version}`);
