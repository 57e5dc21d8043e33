// What the smtp-server child processes (smtp-server-stock-main.mjs, smtp-server-lmtp-main.mjs)
// share: the recipient rule, the discarding onData, and listening until SIGTERM/SIGINT.
import { setTimeout } from 'node:timers';

/**
 * The documented onRcptTo example, narrowed to the test domain (smtp-server has no delivery,
 * but the harness rule is: accept only the test domain). The bare `postmaster` is also taken:
 * RFC 5321 §4.5.1 requires it, and leaving it out would be our configuration's fault.
 */
export function testDomainOnly(domain) {
  return (address, _session, callback) => {
    const rcpt = address.address.toLowerCase();
    if (rcpt === 'postmaster' || rcpt.endsWith(`@${domain.toLowerCase()}`)) return callback();
    return callback(new Error(`Mail for ${address.address} is not accepted here`));
  };
}

/** The README's onData example, discarding the message. */
export function discardData(stream, _session, callback) {
  stream.on('end', () => callback());
  stream.resume();
}

/** Listens on 127.0.0.1:port, logs `label listening on …`, and closes on SIGTERM/SIGINT. */
export function serveUntilSignal(server, port, label) {
  server.on('error', (error) => console.error(`smtp-server error: ${error.message}`));
  server.listen(port, '127.0.0.1', () => {
    console.log(`${label} listening on 127.0.0.1:${port}`);
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
}
