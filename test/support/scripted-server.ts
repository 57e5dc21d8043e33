import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { CrlfLineSplitter } from './crlf-lines.js';
import { buildProfile } from './server-profile.js';
import type { ServerProfile } from './server-profile.js';
import type { Defect } from './smtp-defects.js';
import { SmtpSession } from './smtp-state.js';
import type { Outcome } from './smtp-state.js';

/**
 * A small raw SMTP server for tests, on 127.0.0.1 and a free port. By default it follows the
 * RFC 5321 basics (see smtp-state.ts); each entry of `defects` breaks exactly one rule (see
 * smtp-defects.ts). Commands are handled in the order received, so pipelining works.
 *
 * close() stops listening and destroys every open socket, so even a server that never
 * answers cannot keep the test process alive.
 */
export interface ScriptedServerOptions {
  defects?: Defect[];
}

export interface ScriptedServer {
  port: number;
  close(): Promise<void>;
}

export async function startScriptedServer(
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const profile = buildProfile(options.defects ?? []);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, profile);
  });
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => (closing ??= closeServer(server, sockets)),
  };
}

function serve(socket: Socket, profile: ServerProfile): void {
  socket.on('error', () => undefined); // a client that resets is not a test failure
  if (profile.flags.has('never-answers')) {
    socket.resume(); // read and discard, say nothing
    return;
  }
  const session = new SmtpSession(profile);
  const splitter = new CrlfLineSplitter();
  const eol = profile.flags.has('bare-lf-replies') ? '\n' : '\r\n';
  let open = send(socket, session.greet(), eol);
  socket.on('data', (chunk: Buffer) => {
    for (const line of splitter.push(chunk)) {
      if (!open) return;
      open = send(socket, session.receive(line), eol);
    }
  });
}

/** Writes the outcome's replies; returns false once the connection is being closed. */
function send(socket: Socket, outcome: Outcome, eol: string): boolean {
  const text = outcome.replies.map((lines) => lines.map((line) => line + eol).join('')).join('');
  if (text !== '' && socket.writable) socket.write(text, 'latin1');
  if (!outcome.close) return true;
  socket.end();
  return false;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('scripted server: no port'));
    });
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}
