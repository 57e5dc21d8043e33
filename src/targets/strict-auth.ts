import type { SMTPServer, SMTPServerSession } from 'smtp-server';

/**
 * RFC 4954 §4 rules that smtp-server's AUTH handling does not enforce, checked before its own
 * handler runs, on the reference target's connections only (no library code is changed):
 *
 * - "After a successful AUTH command completes, a server MUST reject any further AUTH commands"
 *   is smtp-server's already; "AUTH command is not permitted during a mail transaction" — an
 *   AUTH inside a transaction gets `503 5.5.1`.
 * - "If the client's response … is not valid base64 … the server MUST reject the AUTH command
 *   with a 501 reply": smtp-server decodes leniently (`AAA=BBB` passes); an initial response
 *   that is not strict base64 gets `501 5.5.2`. The `=` empty response is not base64 but
 *   "present, but contains no data": for PLAIN it fails authentication with 535.
 */
interface AuthHandling {
  session: SMTPServerSession & { envelope: { mailFrom: unknown } };
  handler_AUTH(command: Buffer, callback: () => void): void;
  send(code: number, text: string, context?: false): void;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Call from `onConnect`: wraps the AUTH handler of the connection that owns `session`. */
export function enforceStrictAuth(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (server as unknown as { connections: Set<AuthHandling> }).connections;
  for (const connection of connections) {
    if (connection.session === session) wrap(connection);
  }
}

function wrap(connection: AuthHandling): void {
  const original = connection.handler_AUTH.bind(connection);
  connection.handler_AUTH = (command, callback) => {
    const refusal = refusalOf(connection, command.toString('latin1').trim().split(/\s+/));
    if (!refusal) return original(command, callback);
    connection.send(refusal.code, refusal.text, false);
    callback();
  };
}

function refusalOf(
  connection: AuthHandling,
  words: string[],
): { code: number; text: string } | undefined {
  if (connection.session.envelope.mailFrom) {
    return { code: 503, text: '5.5.1 AUTH is not permitted during a mail transaction' };
  }
  const initial = words[2];
  if (initial === '=' && words[1]?.toUpperCase() === 'PLAIN') {
    // "=" is a present, empty response (§4): an empty PLAIN message cannot authenticate.
    return { code: 535, text: '5.7.8 Authentication credentials invalid' };
  }
  if (initial !== undefined && initial !== '=' && !STRICT_BASE64.test(initial)) {
    return { code: 501, text: '5.5.2 Cannot Base64-decode client response' };
  }
  return undefined;
}
