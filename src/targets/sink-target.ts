import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { resolveSinkConfig, sinkOptionProblems, SINK_DEFAULTS } from './sink-options.js';
import type { SinkTargetOptions } from './sink-options.js';
import { buildReplies, REPLY } from './sink-replies.js';
import { SinkSession } from './sink-session.js';
import type { SinkShared } from './sink-commands.js';
import { SinkCounters } from './sink-stats.js';
import type { SinkStats } from './sink-stats.js';

export type { SinkDelayKey, SinkDelays, SinkTargetOptions } from './sink-options.js';
export { SINK_DELAY_KEYS, sinkOptionProblems } from './sink-options.js';
export type { SinkStats } from './sink-stats.js';

/**
 * The fast sink target: a minimal SMTP server on raw `node:net` for load runs. It greets at
 * once, answers pipelined commands in order with one write per read, counts message octets
 * without keeping them, and accepts every plausible envelope. Nothing is stored or delivered.
 *
 *   220 example.test ESMTP smtpgauge sink
 *   EHLO c.example        250-example.test / PIPELINING / 8BITMIME / SIZE 10485760 / CHUNKING /
 *                         ENHANCEDSTATUSCODES [/ AUTH PLAIN] [/ STARTTLS]
 *   MAIL FROM:<a@b>       250 2.1.0      RCPT TO:<c@d>   250 2.1.5
 *   DATA                  354, then the message up to CRLF "." CRLF, then 250 2.0.0
 *   BDAT n [LAST]         250 2.0.0 after each chunk
 *   RSET, NOOP 250; VRFY 252; HELP 214; QUIT 221 and close; anything else 500
 *
 * STARTTLS is offered when `certificate` is given, AUTH PLAIN when `credentials` are. Delays,
 * 451/554 faults and dropped connections are injected as SinkTargetOptions says; the fault
 * choices come from seeded streams, one per connection in accept order, so a run with the same
 * seed and the same traffic makes the same choices. docs/sink.md has the whole contract.
 */
export interface RunningSink {
  host: string;
  port: number;
  /** The counters so far. */
  stats(): SinkStats;
  /** Stops listening, destroys every open connection and resolves once the server is closed. */
  close(): Promise<void>;
}

/** Starts the sink; rejects with a RangeError listing every problem when the options are unusable. */
export async function startSinkTarget(options: SinkTargetOptions = {}): Promise<RunningSink> {
  const problems = sinkOptionProblems(options);
  if (problems.length > 0) throw new RangeError(`sink target: ${problems.join('; ')}`);
  const config = resolveSinkConfig(options);
  const shared: SinkShared = {
    config,
    replies: buildReplies(config),
    counters: new SinkCounters(),
    secureContext: config.certificate ? createSecureContext(config.certificate) : undefined,
  };
  const sessions = new Set<SinkSession>();
  const refused = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    shared.counters.connections++;
    if (sessions.size >= config.maxConnections) return refuse(socket, shared, refused);
    const session = new SinkSession(socket, shared, shared.counters.connections, (ended) =>
      sessions.delete(ended),
    );
    sessions.add(session);
  });
  const host = options.host ?? SINK_DEFAULTS.host;
  const port = await listen(server, options.port ?? 0, host);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    stats: () => shared.counters.snapshot(sessions.size),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of [...sessions]) session.destroy();
        for (const socket of refused) socket.destroy();
      })),
  };
}

/** One connection over maxConnections: 421 (RFC 5321 §3.1) and close. */
function refuse(socket: Socket, shared: SinkShared, refused: Set<Socket>): void {
  shared.counters.refusedConnections++;
  refused.add(socket);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => refused.delete(socket));
  socket.end(REPLY.tooMany);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('sink target: listening socket has no port'));
    });
  });
}
