import { connect, type Socket } from 'node:net';

/**
 * The Node.js floor of a lock-step SMTP client: the least a Node program can spend per message
 * when it waits for every reply, measured beside smtp-source and smtpgauge (scenario-vs-source.ts).
 * It sends what smtpgauge's lock-step profile sends (EHLO once, then MAIL, RCPT, DATA and a
 * 1,024-octet message on each of SESSIONS reused sessions) through the same Node calls
 * (`net.connect` with `onread` into one shared buffer, `socket.write`), and does nothing else:
 * no reply parsing beyond "is it complete, is it 2xx/3xx", no timeouts, no recording, no
 * report. Whatever smtpgauge spends above it is smtpgauge's; what the floor spends is Node's.
 *
 *   node node-floor.js PORT SESSIONS SECONDS [MODE]
 *   → {"messages":N,"wallMs":N,"cpuMicros":N}   (the run's window: from the first connect to
 *                                                the stop, as smtpgauge's health measures it)
 *
 * MODE is how the client waits, the one thing that moves the lock-step rate (docs/performance.md,
 * section 1): the sink is the bottleneck there, and every time the client sleeps the sink pays
 * to wake it.
 *   plain     (the default) each reply's command is written at once, from the read callback;
 *   batched   the commands of one event-loop turn are written together, after the turn's reads
 *             (from `setImmediate`), so the sink finds several at once and the client sleeps
 *             less often;
 *   spinning  the event loop never blocks while the run lasts (an Immediate is always queued):
 *             the client never sleeps, and takes its whole core.
 *
 * A reply it cannot use (4xx, 5xx, a closed connection) ends the process with exit code 1.
 * Loopback only: the target is 127.0.0.1.
 */
const LF = 0x0a;
const SPACE = 0x20;

const MODES = ['plain', 'batched', 'spinning'] as const;
export type FloorMode = (typeof MODES)[number];

const [port, sessions, seconds] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const mode = (process.argv[5] ?? 'plain') as FloorMode;
if (!(port > 0 && sessions > 0 && seconds > 0) || !MODES.includes(mode)) {
  console.error(`usage: node node-floor.js PORT SESSIONS SECONDS [${MODES.join('|')}]`);
  process.exit(2);
}

const ehlo = Buffer.from('EHLO floor.example.test\r\n');
const commands = [
  Buffer.from('MAIL FROM:<floor@example.test>\r\n'),
  Buffer.from('RCPT TO:<sink@example.test>\r\n'),
  Buffer.from('DATA\r\n'),
  message(1024),
];
const quit = Buffer.from('QUIT\r\n');
const shared = Buffer.allocUnsafe(64 * 1024);

let messages = 0;
let stopping = false;
let open = 0;

/** A 1,024-octet message (headers, blank line, body lines), then `.` CRLF. */
function message(size: number): Buffer {
  const head = 'From: <floor@example.test>\r\nTo: <sink@example.test>\r\nSubject: floor\r\n\r\n';
  const line = `${'x'.repeat(76)}\r\n`;
  let body = '';
  while (head.length + body.length + line.length <= size) body += line;
  body += `${'x'.repeat(size - head.length - body.length - 2)}\r\n`;
  return Buffer.from(`${head}${body}.\r\n`, 'latin1');
}

/** The reply in `buf[0, n)` is complete: it ends with LF and its last line is a final one. */
function complete(buf: Uint8Array, n: number): boolean {
  if (n < 4 || buf[n - 1] !== LF) return false;
  let start = n - 2;
  while (start > 0 && buf[start - 1] !== LF) start--;
  return n - start < 5 || buf[start + 3] === SPACE || buf[start + 3] === 0x0d;
}

function session(): void {
  let step = -2; // -2: greeting, -1: EHLO, 0..3: MAIL, RCPT, DATA, body
  let socket: Socket | undefined = undefined;
  let quitting = false;
  // `true`: keep reading (net.connect's `onread` contract).
  const onread = (n: number, buf: Uint8Array): boolean => {
    if (quitting || !complete(buf, n)) return true; // the 221, or a reply split over reads
    const first = buf[0]!;
    if (first !== 0x32 && first !== 0x33) fail(Buffer.from(buf.subarray(0, n)).toString('latin1'));
    if (step === 3) {
      messages++;
      if (stopping) {
        quitting = true;
        socket!.end(quit);
        return true;
      }
    }
    step = step === 3 ? 0 : step + 1;
    send(socket!, step === -1 ? ehlo : commands[step]!);
    return true;
  };
  socket = connect({ host: '127.0.0.1', port, onread: { buffer: shared, callback: onread } });
  socket.setNoDelay(true);
  open++;
  socket.on('error', (error) => fail(error.message));
  socket.on('close', () => {
    if (!stopping) fail('the server closed a session');
    if (--open === 0) process.exit(0);
  });
}

/** Sockets and commands to write at the end of this loop turn (`batched`). */
const batchSockets: Socket[] = [];
const batchCommands: Buffer[] = [];
let flushQueued = false;

function send(socket: Socket, command: Buffer): void {
  if (mode !== 'batched') {
    socket.write(command);
    return;
  }
  batchSockets.push(socket);
  batchCommands.push(command);
  if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushQueued = false;
  for (let i = 0; i < batchSockets.length; i++) batchSockets[i]!.write(batchCommands[i]!);
  batchSockets.length = 0;
  batchCommands.length = 0;
}

/** `spinning`: one more turn of the loop without blocking, until the stop. */
function spin(): void {
  if (!stopping) setImmediate(spin);
}

function fail(why: string): never {
  console.error(`node-floor: ${why.trim()}`);
  process.exit(1);
}

const cpu = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < sessions; i++) session();
if (mode === 'spinning') spin();
setTimeout(() => {
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  stopping = true;
  console.log(JSON.stringify({ messages, wallMs, cpuMicros: used.user + used.system }));
  // Sessions QUIT after their message in flight; a server that does not answer is not waited for.
  setTimeout(() => process.exit(0), 2000).unref();
}, seconds * 1000);
