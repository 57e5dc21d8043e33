import { createServer, type Socket } from 'node:net';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';

/**
 * A reference SMTP server for the latency scenario, whose delays are exact: every MAIL, RCPT,
 * DATA and end-of-data reply leaves `DELAY_MICROS` after the command was read, give or take a
 * few µs (a timer to 1.5 ms before, then a look on every turn of the event loop). It shows how
 * much of a measured delay is the generator's error and how much the embedded sink's timer,
 * which fires on whole milliseconds, late. No PIPELINING is offered: one reply at a time.
 *
 *   node precise-responder.js PORT DELAY_MICROS
 *
 * On SIGTERM it prints one JSON line, how late its delayed replies left (µs), and exits:
 * { "count": N, "p50": µs, "p99": µs, "max": µs }
 */
const port = Number(process.argv[2]);
const delayMicros = Number(process.argv[3] ?? 0);
const SPIN_MICROS = 1_500;
const late = new LatencyHistogram();
const nowMicros = () => performance.now() * 1000;

const REPLY = {
  greeting: Buffer.from('220 precise.test ESMTP\r\n'),
  ehlo: Buffer.from('250-precise.test\r\n250 8BITMIME\r\n'),
  mail: Buffer.from('250 2.1.0 Ok\r\n'),
  rcpt: Buffer.from('250 2.1.5 Ok\r\n'),
  data: Buffer.from('354 End data with <CR><LF>.<CR><LF>\r\n'),
  eod: Buffer.from('250 2.0.0 Ok\r\n'),
  ok: Buffer.from('250 2.0.0 Ok\r\n'),
  quit: Buffer.from('221 2.0.0 Bye\r\n'),
  unknown: Buffer.from('500 5.5.2 What?\r\n'),
};

/** Writes `bytes` at `due` (µs, performance.now clock), or at once without a delay. */
function replyAt(socket: Socket, bytes: Buffer, due: number, delayed: boolean): void {
  if (!delayed) {
    socket.write(bytes);
    return;
  }
  const look = (): void => {
    const ahead = due - nowMicros();
    if (ahead > SPIN_MICROS) setTimeout(look, Math.floor((ahead - SPIN_MICROS) / 1000));
    else if (ahead > 0) setImmediate(look);
    else {
      late.record(-ahead);
      if (!socket.destroyed) socket.write(bytes);
    }
  };
  look();
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  let pending = '';
  let inData = false;
  socket.write(REPLY.greeting);
  socket.on('data', (chunk: Buffer) => {
    const readAt = nowMicros();
    const due = readAt + delayMicros;
    const delayed = delayMicros > 0;
    pending += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = pending.indexOf('\r\n.\r\n');
        if (end < 0) {
          pending = pending.slice(-4); // the terminator may be split across reads
          return;
        }
        pending = pending.slice(end + 5);
        inData = false;
        replyAt(socket, REPLY.eod, due, delayed);
        continue;
      }
      const eol = pending.indexOf('\r\n');
      if (eol < 0) return;
      const verb = pending.slice(0, 4).toUpperCase();
      pending = pending.slice(eol + 2);
      if (verb === 'EHLO' || verb === 'HELO') socket.write(REPLY.ehlo);
      else if (verb === 'MAIL') replyAt(socket, REPLY.mail, due, delayed);
      else if (verb === 'RCPT') replyAt(socket, REPLY.rcpt, due, delayed);
      else if (verb === 'DATA') {
        inData = true;
        replyAt(socket, REPLY.data, due, delayed);
      } else if (verb === 'QUIT') socket.end(REPLY.quit);
      else if (verb === 'RSET' || verb === 'NOOP') socket.write(REPLY.ok);
      else socket.write(REPLY.unknown);
    }
  });
}

const server = createServer(serve);
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  const s = late.summarise();
  const micros = (ms: number) => Math.round(ms * 1000);
  const stats = { count: s.count, p50: micros(s.p50), p99: micros(s.p99), max: micros(s.max) };
  process.stdout.write(`${JSON.stringify(stats)}\n`, () => process.exit(0));
});
