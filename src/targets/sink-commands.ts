import type { SecureContext } from 'node:tls';
import {
  SINK_VERBS,
  UNKNOWN_VERB,
  argumentsStart,
  decimalAt,
  foldedEquals,
  pathEnd,
  verbOf,
} from './sink-command-line.js';
import type { Random } from './sink-random.js';
import type { ReplyOutput } from './sink-reply-output.js';
import { REPLY } from './sink-replies.js';
import type { SinkConfig } from './sink-options.js';
import type { SinkReplies } from './sink-replies.js';
import type { SinkCounters } from './sink-stats.js';

/**
 * The sink's SMTP state machine: which reply each command gets. It accepts every syntactically
 * plausible envelope (any address inside `<…>`, any MAIL/RCPT parameter but an oversized
 * SIZE=), keeps the RFC 5321 command order (503 out of sequence) and stores nothing.
 *
 * Fault injection: a MAIL, RCPT or end-of-message reply that would be 250 becomes 451 with
 * probability tempFailRate, else 554 with probability permFailRate (one draw from the
 * connection's seeded stream per such reply). The disconnect fault is rolled by `dropped()`
 * once per reply: per command line, except BDAT, whose reply comes after its chunk.
 */
/** What every connection of one sink shares. */
export interface SinkShared {
  config: SinkConfig;
  replies: SinkReplies;
  counters: SinkCounters;
  secureContext: SecureContext | undefined;
}

export interface CommandHooks {
  /** The connection's seeded stream for the 451/554 faults. */
  faultRandom: Random;
  /** Rolls the disconnect fault; true when the connection is being dropped instead of a reply. */
  dropped(): boolean;
  /** After 354: what follows is message data up to CRLF "." CRLF. */
  startData(): void;
  /** After BDAT: the next `size` octets are a chunk; endOfChunk() follows once they are read. */
  startChunk(size: number): void;
  /** No more input is read (after QUIT, or STARTTLS until the upgrade). */
  stop(): void;
}

const id = (verb: (typeof SINK_VERBS)[number]): number => SINK_VERBS.indexOf(verb);
const [EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, STARTTLS, AUTH, VRFY, EXPN, HELP] =
  SINK_VERBS.map(id);
const FROM = Buffer.from('FROM:', 'latin1');
const TO = Buffer.from('TO:', 'latin1');
const LAST = Buffer.from('LAST', 'latin1');
const PLAIN = Buffer.from('PLAIN', 'latin1');
const SP = 0x20;
const SIZE_PARAMETER = /(?:^|\s)SIZE=(\d{1,15})(?=\s|$)/i;

export class SinkCommands {
  private greeted = false;
  private tls = false;
  private authenticated = false;
  private awaitingAuth = false;
  private inMail = false;
  private recipients = 0;
  /** BDAT chunks have been accepted in this transaction (DATA is no longer allowed). */
  private chunking = false;
  private chunkOctets = 0;
  private chunkSize = 0;
  private chunkLast = false;

  constructor(
    private readonly shared: SinkShared,
    private readonly output: ReplyOutput,
    private readonly hooks: CommandHooks,
  ) {}

  /** One command line, `buf[start..end)` without its line ending. */
  line(buf: Buffer, start: number, end: number): void {
    if (this.awaitingAuth) {
      if (!this.hooks.dropped()) this.authResponse(buf.toString('latin1', start, end));
      return;
    }
    const verb = verbOf(buf, start, end);
    this.shared.counters.commands[verb]!++;
    if (verb !== BDAT && this.hooks.dropped()) return;
    const args = verb === UNKNOWN_VERB ? end : argumentsStart(buf, start, end);
    const delays = this.shared.config.delays;
    const reply = this.reply;
    switch (verb) {
      case EHLO:
      case HELO:
        return reply(this.hello(verb === EHLO, args < end), delays.ehlo);
      case MAIL:
        return reply(this.mail(buf, args, end), delays.mail);
      case RCPT:
        return reply(this.rcpt(buf, args, end), delays.rcpt);
      case DATA:
        return reply(this.data(args < end), delays.data);
      case BDAT:
        return this.bdat(buf, args, end);
      case RSET:
        this.resetTransaction();
        return reply(REPLY.ok);
      case NOOP:
        return reply(REPLY.ok);
      case QUIT:
        this.hooks.stop();
        return this.output.push(REPLY.quit, delays.quit, 'close');
      case STARTTLS:
        return this.startTls(args < end);
      case AUTH:
        return this.auth(buf, args, end);
      case VRFY:
        return reply(REPLY.vrfy);
      case EXPN:
        return reply(REPLY.notOffered);
      case HELP:
        return reply(REPLY.help);
      default:
        return reply(REPLY.unknown);
    }
  }

  private readonly reply = (bytes: Buffer, delay = 0): void => this.output.push(bytes, delay);

  /** The message data ended (DATA's "." or BDAT … LAST), `octets` long; `extraDelay` for BDAT. */
  endOfMessage(octets: number, extraDelay: number): void {
    const reply = this.messageReply(octets);
    this.resetTransaction();
    this.output.push(reply, extraDelay + this.shared.config.delays.eod);
  }

  /** The chunk announced by the last BDAT has been read. */
  endOfChunk(): void {
    const delay = this.shared.config.delays.bdat;
    const refusal = !this.inMail
      ? REPLY.mailFirst
      : this.recipients === 0
        ? REPLY.noRecipients
        : undefined;
    if (refusal) {
      if (this.chunkLast) this.resetTransaction();
      return this.output.push(refusal, delay);
    }
    this.chunking = true;
    this.chunkOctets += this.chunkSize;
    if (this.chunkLast) return this.endOfMessage(this.chunkOctets, delay);
    this.output.push(REPLY.ok, delay);
  }

  /** Forgets everything the client said (RFC 3207 §4.2, after a STARTTLS handshake). */
  restart(tls: boolean): void {
    this.tls = tls;
    this.greeted = false;
    this.authenticated = false;
    this.awaitingAuth = false;
    this.resetTransaction();
  }

  private hello(extended: boolean, hasDomain: boolean): Buffer {
    if (!hasDomain) return REPLY.syntaxHelo;
    this.greeted = true;
    this.resetTransaction();
    const replies = this.shared.replies;
    if (!extended) return replies.helo;
    return this.tls ? replies.ehloTls : replies.ehloPlain;
  }

  private mail(buf: Buffer, args: number, end: number): Buffer {
    if (!this.greeted) return REPLY.helloFirst;
    if (this.inMail) return REPLY.nestedMail;
    const close = pathEnd(buf, args, end, FROM, true);
    if (close === -1) return REPLY.syntaxMail;
    if (close < end && this.declaresTooBig(buf.toString('latin1', close, end))) {
      return REPLY.tooBig;
    }
    const fault = this.fault();
    if (fault) return fault;
    this.inMail = true;
    this.recipients = 0;
    return REPLY.mailOk;
  }

  private rcpt(buf: Buffer, args: number, end: number): Buffer {
    if (!this.inMail) return REPLY.mailFirst;
    if (pathEnd(buf, args, end, TO, false) === -1) return REPLY.syntaxRcpt;
    const fault = this.fault();
    if (fault) return fault;
    this.recipients++;
    return REPLY.rcptOk;
  }

  private data(hasArguments: boolean): Buffer {
    if (hasArguments) return REPLY.noArguments;
    if (!this.inMail) return REPLY.mailFirst;
    if (this.chunking) return REPLY.chunkingActive;
    // RFC 2920 §3.1: DATA without a valid recipient fails and does not start data mode.
    if (this.recipients === 0) return REPLY.noRecipients;
    this.hooks.startData();
    return REPLY.startData;
  }

  /** `BDAT size [LAST]` (RFC 3030 §2); the reply comes once the chunk is read. */
  private bdat(buf: Buffer, args: number, end: number): void {
    let sizeEnd = buf.indexOf(SP, args);
    if (sizeEnd === -1 || sizeEnd > end) sizeEnd = end;
    const size = decimalAt(buf, args, sizeEnd);
    const last = sizeEnd < end;
    if (
      size === -1 ||
      (last && (end - sizeEnd !== 5 || !foldedEquals(buf, sizeEnd + 1, end, LAST)))
    ) {
      if (!this.hooks.dropped()) this.output.push(REPLY.syntaxBdat, this.shared.config.delays.bdat);
      return;
    }
    this.chunkSize = size;
    this.chunkLast = last;
    this.hooks.startChunk(size);
  }

  private startTls(hasArguments: boolean): void {
    const refusal = !this.shared.secureContext
      ? REPLY.notOffered
      : this.tls
        ? REPLY.alreadyTls
        : hasArguments
          ? REPLY.noArguments
          : undefined;
    if (refusal) return this.output.push(refusal, 0);
    this.hooks.stop();
    this.output.push(REPLY.tlsReady, 0, 'starttls');
  }

  /** AUTH PLAIN (RFC 4954, RFC 4616), with or without an initial response. */
  private auth(buf: Buffer, args: number, end: number): void {
    let mechanismEnd = buf.indexOf(SP, args);
    if (mechanismEnd === -1 || mechanismEnd > end) mechanismEnd = end;
    const refusal = !this.shared.config.credentials
      ? REPLY.notOffered
      : !this.greeted
        ? REPLY.helloFirst
        : this.authenticated
          ? REPLY.alreadyAuth
          : this.inMail
            ? REPLY.authInTransaction
            : args >= end
              ? REPLY.syntaxAuth
              : mechanismEnd - args !== PLAIN.length || !foldedEquals(buf, args, end, PLAIN)
                ? REPLY.authMechanism
                : undefined;
    if (refusal) return this.output.push(refusal, 0);
    if (mechanismEnd < end) return this.authResponse(buf.toString('latin1', mechanismEnd + 1, end));
    this.awaitingAuth = true;
    this.output.push(REPLY.authChallenge, 0);
  }

  /** `[authzid] NUL user NUL pass`, base64; `=` is the empty response, `*` cancels. */
  private authResponse(text: string): void {
    this.awaitingAuth = false;
    if (text === '*') return this.output.push(REPLY.authCancelled, 0);
    const decoded = text === '=' ? '' : Buffer.from(text, 'base64').toString('utf8');
    const [, user, pass, extra] = decoded.split('\0');
    const expected = this.shared.config.credentials;
    const valid = extra === undefined && user === expected?.user && pass === expected?.pass;
    this.authenticated = valid;
    this.output.push(valid ? REPLY.authOk : REPLY.authBad, 0);
  }

  private messageReply(octets: number): Buffer {
    const limit = this.shared.config.size;
    if (limit > 0 && octets > limit) return REPLY.tooBig;
    const fault = this.fault();
    if (fault) return fault;
    this.shared.counters.messages++;
    this.shared.counters.messageOctets += octets;
    return REPLY.messageOk;
  }

  /** RFC 1870 §6: MAIL with SIZE= over the fixed limit gets 552. */
  private declaresTooBig(parameters: string): boolean {
    const declared = SIZE_PARAMETER.exec(parameters);
    const limit = this.shared.config.size;
    return declared !== null && limit > 0 && Number(declared[1]) > limit;
  }

  /** The injected 451 or 554 for a reply that would be 250, or undefined. */
  private fault(): Buffer | undefined {
    const { tempFailRate, permFailRate } = this.shared.config;
    if (tempFailRate <= 0 && permFailRate <= 0) return undefined;
    const draw = this.hooks.faultRandom();
    if (draw < tempFailRate) {
      this.shared.counters.tempFails++;
      return REPLY.tempFail;
    }
    if (draw < tempFailRate + permFailRate) {
      this.shared.counters.permFails++;
      return REPLY.permFail;
    }
    return undefined;
  }

  private resetTransaction(): void {
    this.inMail = false;
    this.recipients = 0;
    this.chunking = false;
    this.chunkOctets = 0;
  }
}
