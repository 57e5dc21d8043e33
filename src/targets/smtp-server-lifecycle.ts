import type { SMTPServer } from 'smtp-server';

/** How long closeServer() lets sessions read their 421 before destroying the sockets. */
const CLOSE_GRACE_MS = 500;

/** Listens and resolves with the bound port (port 0 picks a free one). */
export function listenOn(server: SMTPServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      const address = server.server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('listening socket has no port'));
    });
  });
}

/** Stops listening, sends 421 to open sessions and resolves once every socket is gone. */
export function closeServer(server: SMTPServer): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sessions = [...server.connections];
  // send(421) also ends the session (smtp-server closes the connection after any 421).
  for (const session of sessions) session.send(421, 'Service shutting down');
  const force = setTimeout(() => {
    for (const session of sessions) session._socket.destroy();
  }, CLOSE_GRACE_MS);
  return closed.finally(() => clearTimeout(force));
}

/** The first call runs `run`; later calls share its promise. */
export function once(run: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= run());
}
