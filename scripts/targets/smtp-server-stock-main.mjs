// smtp-server (npm) configured the way its documentation (nodemailer.com/extras/smtp-server)
// shows, run as its own process by smtp-server-stock.ts:
//   node smtp-server-stock-main.mjs PORT KEY_FILE CERT_FILE DOMAIN USER PASS
// Everything not set here is smtp-server's default (EHLO: PIPELINING, 8BITMIME, SMTPUTF8,
// AUTH LOGIN PLAIN, STARTTLS; greeting name = os.hostname()). The test password on the
// command line is a throwaway for loopback only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout } from 'node:timers';
import { SMTPServer } from 'smtp-server';

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
  // The documented onRcptTo example, narrowed to the test domain (smtp-server has no delivery,
  // but the harness rule is: accept only the test domain). The bare `postmaster` is also
  // taken: RFC 5321 §4.5.1 requires it, and leaving it out would be our config's fault.
  onRcptTo(address, _session, callback) {
    const rcpt = address.address.toLowerCase();
    if (rcpt === 'postmaster' || rcpt.endsWith(`@${domain.toLowerCase()}`)) return callback();
    return callback(new Error(`Mail for ${address.address} is not accepted here`));
  },
  // The README's onData example, discarding the message.
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});

server.on('error', (error) => console.error(`smtp-server error: ${error.message}`));

server.listen(port, '127.0.0.1', () => {
  console.log(`smtp-server ${version} listening on 127.0.0.1:${port}`);
});

let closing = false;
const shutdown = () => {
  if (closing) process.exit(0);
  closing = true;
  setTimeout(() => process.exit(0), 2000).unref();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
