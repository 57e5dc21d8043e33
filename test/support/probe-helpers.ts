import { RawSmtpClient } from './raw-smtp-client.js';
import { AUTH_ACCOUNT } from './server-profile.js';
import type { ScriptedServerOptions } from './scripted-server.js';

/**
 * Building blocks of the defect probes (defect-probes.ts, extensions/*-probes.ts): short raw
 * exchanges with a scripted server, reduced to what a client observes.
 */
/** How long "nothing arrives" is waited for; the servers are local, so 150 ms is plenty. */
export const QUIET_MS = 150;
export const EHLO = 'EHLO c.example\r\n';
export const TRANSACTION = 'MAIL FROM:<s@example.org>\r\nRCPT TO:<a@scripted.test>\r\nDATA\r\n';
/** `AUTH PLAIN` initial response for the scripted server's account. */
export const AUTH_PLAIN = Buffer.from(`\0${AUTH_ACCOUNT.user}\0${AUTH_ACCOUNT.pass}`).toString(
  'base64',
);

/**
 * One probe per defect: a short exchange that returns what a client observes. Each probe runs
 * against the conforming server and the defective one, both started with `options`;
 * `conforming` and `broken` are the observations expected from each.
 */
export interface DefectProbe {
  probe(port: number): Promise<string>;
  conforming: string;
  broken: string;
  options?: Omit<ScriptedServerOptions, 'defects'>;
}

/** Codes of the complete replies in `text`, comma-separated: '250,500'. */
export function replyCodes(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.length >= 3 && line[3] !== '-')
    .map((line) => line.slice(0, 3))
    .join(',');
}

export const code = (reply: string) => reply.slice(0, 3);

/** The enhanced status code of a reply line (`2.1.0`), or '-' when it has none (RFC 3463). */
export const enhanced = (reply: string) =>
  /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3}) /.exec(reply)?.[1] ?? '-';

export async function open(port: number): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(port);
  await client.reply();
  return client;
}

export async function afterEhlo(port: number, hello = EHLO): Promise<RawSmtpClient> {
  const client = await open(port);
  await client.exchange(hello);
  return client;
}

/** After EHLO, STARTTLS and the handshake (no EHLO inside TLS yet). */
export async function afterTls(port: number, client?: RawSmtpClient): Promise<RawSmtpClient> {
  const session = client ?? (await afterEhlo(port));
  const reply = await session.exchange('STARTTLS\r\n');
  if (code(reply) !== '220') throw new Error(`STARTTLS refused: ${reply}`);
  await session.startTls({ rejectUnauthorized: false });
  return session;
}

/** Replies to `commands`, all written in one segment (pipelined). */
export async function pipelined(client: RawSmtpClient, commands: string, count: number) {
  client.send(commands);
  const replies: string[] = [];
  for (let i = 0; i < count; i += 1) replies.push(code(await client.reply()));
  return replies.join(',');
}

/** Codes of everything that arrives within QUIET_MS of sending `bytes`. */
export async function quietCodes(client: RawSmtpClient, bytes: string): Promise<string> {
  client.send(bytes);
  return replyCodes(await client.collect(QUIET_MS));
}

export async function message(port: number, body: string): Promise<string> {
  const client = await afterEhlo(port);
  await pipelined(client, TRANSACTION, 3);
  return code(await client.exchange(`${body}.\r\n`));
}

/** RFC 5321 §4.2.1: every line has the same code; all but the last use '-', the last SP. */
export function multilineVerdict(text: string): string {
  const lines = text.split('\r\n').slice(0, -1);
  const first = lines[0]?.slice(0, 3) ?? '';
  const ok = lines.every(
    (line, i) => line.slice(0, 3) === first && line[3] === (i === lines.length - 1 ? ' ' : '-'),
  );
  return ok && lines.length > 0 ? 'well-formed' : 'malformed';
}
