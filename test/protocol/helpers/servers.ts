import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket, type SecureContextOptions } from 'node:tls';
import { generate } from 'selfsigned';

/**
 * Real servers for the session tests, on 127.0.0.1 and port 0. `close()` destroys every socket
 * the server accepted and stops listening, so no test leaves a handle behind.
 */
export interface TestServer {
  port: number;
  /** Sockets accepted so far, in order. */
  sockets: Socket[];
  close(): Promise<void>;
}

export type Handler = (socket: Socket) => void;

export function startServer(handler: Handler): Promise<TestServer> {
  return listen(createServer(), handler);
}

export function startTlsServer(handler: Handler, tls: SecureContextOptions): Promise<TestServer> {
  return listen(createTlsServer(tls), handler, 'secureConnection');
}

function listen(server: Server, handler: Handler, event = 'connection'): Promise<TestServer> {
  const sockets: Socket[] = [];
  server.on(event, (socket: Socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    handler(socket);
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const close = (): Promise<void> =>
        new Promise((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        });
      resolve({ port, sockets, close });
    });
  });
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.port;
}

/** Calls `onLine` with each CRLF- or LF-terminated line the client sends (as latin1 text). */
export function onLines(socket: Socket, onLine: (line: string) => void): () => void {
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1');
    for (let lf = buffered.indexOf('\n'); lf !== -1; lf = buffered.indexOf('\n')) {
      const line = buffered.slice(0, lf).replace(/\r$/, '');
      buffered = buffered.slice(lf + 1);
      onLine(line);
    }
  };
  socket.on('data', onData);
  return () => socket.off('data', onData);
}

/** Server side of STARTTLS: wraps an accepted plain socket. */
export function acceptTls(socket: Socket, tls: SecureContextOptions): TLSSocket {
  const secure = new TLSSocket(socket, { isServer: true, ...tls });
  secure.on('error', () => undefined);
  return secure;
}

let cached: Promise<SecureContextOptions> | undefined;

/** A throwaway self-signed certificate for localhost (EC P-256: quick to make). */
export function testCertificate(): Promise<SecureContextOptions> {
  cached ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return cached;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
