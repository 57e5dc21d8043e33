import type { SinkConfig } from './sink-options.js';

/**
 * The sink's replies, serialised once per server so that answering a command is handing a
 * ready Buffer to the output. Enhanced status codes (RFC 3463) on everything but the greeting,
 * the EHLO reply, 354 and 334, as ENHANCEDSTATUSCODES promises (RFC 2034 §3).
 */
export interface SinkReplies {
  greeting: Buffer;
  /** The EHLO reply before and after STARTTLS (STARTTLS is offered only before). */
  ehloPlain: Buffer;
  ehloTls: Buffer;
  helo: Buffer;
}

const line = (text: string): Buffer => Buffer.from(`${text}\r\n`, 'latin1');

export const REPLY = Object.freeze({
  ok: line('250 2.0.0 Ok'),
  mailOk: line('250 2.1.0 Sender ok'),
  rcptOk: line('250 2.1.5 Recipient ok'),
  messageOk: line('250 2.0.0 Ok: message accepted and discarded'),
  startData: line('354 End data with <CR><LF>.<CR><LF>'),
  tempFail: line('451 4.3.0 Temporary failure (injected by the sink)'),
  permFail: line('554 5.7.0 Permanent failure (injected by the sink)'),
  tooBig: line('552 5.3.4 Message size exceeds the fixed maximum'),
  quit: line('221 2.0.0 Bye'),
  tlsReady: line('220 2.0.0 Ready to start TLS'),
  authChallenge: line('334 '),
  authOk: line('235 2.7.0 Authentication successful'),
  authBad: line('535 5.7.8 Authentication credentials invalid'),
  authCancelled: line('501 5.7.0 Authentication cancelled'),
  authMechanism: line('504 5.5.4 Unrecognized authentication type'),
  vrfy: line('252 2.5.0 Cannot VRFY user, but will accept the message'),
  help: line('214 2.0.0 See RFC 5321'),
  unknown: line('500 5.5.2 Command not recognized'),
  tooLong: line('500 5.5.2 Line too long'),
  syntaxHelo: line('501 5.5.4 Syntax: EHLO domain'),
  syntaxMail: line('501 5.5.4 Syntax: MAIL FROM:<address>'),
  syntaxRcpt: line('501 5.5.4 Syntax: RCPT TO:<address>'),
  syntaxBdat: line('501 5.5.4 Syntax: BDAT size [LAST]'),
  syntaxAuth: line('501 5.5.4 Syntax: AUTH mechanism [initial-response]'),
  noArguments: line('501 5.5.4 No arguments allowed'),
  helloFirst: line('503 5.5.1 Send EHLO or HELO first'),
  nestedMail: line('503 5.5.1 Nested MAIL command'),
  mailFirst: line('503 5.5.1 Send MAIL first'),
  noRecipients: line('554 5.5.1 No valid recipients'),
  chunkingActive: line('503 5.5.1 DATA not allowed after BDAT'),
  alreadyTls: line('503 5.5.1 TLS already active'),
  alreadyAuth: line('503 5.5.1 Already authenticated'),
  authInTransaction: line('503 5.5.1 AUTH not allowed during a mail transaction'),
  notOffered: line('502 5.5.1 Command not implemented'),
  idle: line('421 4.4.2 Idle timeout, closing connection'),
  tooMany: line('421 4.7.0 Too many connections, try again later'),
});

export function buildReplies(config: SinkConfig): SinkReplies {
  const name = config.name;
  const extensions = [
    'PIPELINING',
    '8BITMIME',
    `SIZE ${config.size}`,
    'CHUNKING',
    'ENHANCEDSTATUSCODES',
    ...(config.credentials ? ['AUTH PLAIN'] : []),
  ];
  const ehlo = (offered: string[]): Buffer =>
    Buffer.from(
      [name, ...offered]
        .map((text, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${text}\r\n`)
        .join(''),
      'latin1',
    );
  return {
    greeting: line(`220 ${name} ESMTP smtpgauge sink`),
    ehloPlain: ehlo(config.certificate ? [...extensions, 'STARTTLS'] : extensions),
    ehloTls: ehlo(extensions),
    helo: line(`250 ${name}`),
  };
}
