import type { FramedLine } from './crlf-lines.js';
import { auth, continueAuth } from './extensions/auth.js';
import type { SaslState } from './extensions/auth.js';
import { bdat, receiveChunk } from './extensions/bdat.js';
import type { ChunkState } from './extensions/bdat.js';
import { dataEnd } from './extensions/data-end.js';
import { handOn, keptLine } from './extensions/delivery.js';
import { mailParameterRefusal, rcptParameterRefusal } from './extensions/parameters.js';
import { startTls } from './extensions/starttls.js';
import { hasNonAscii, isMailbox, isRefusedRecipient, parseAddressCommand } from './smtp-address.js';
import { NOTHING, emptyTransaction, say, sayAndClose } from './smtp-outcome.js';
import type { DeliveredMessage, Outcome, Transaction } from './smtp-outcome.js';
import type { LineEnds } from './smtp-input.js';
import { ehloReply } from './server-profile.js';
import type { BehaviourFlag, ReplyLines, ServerProfile } from './server-profile.js';

export type { Outcome } from './smtp-outcome.js';

/**
 * The SMTP session of a scripted test server, as a state machine without I/O: it takes framed
 * lines (or BDAT octets) and returns what to send. What it says and its limits come from a
 * ServerProfile; the behavioural defects are consulted by name through `broken(flag)`.
 *
 *   command phase:  EHLO/HELO → MAIL → RCPT+ → DATA → data phase → 250 → (transaction cleared)
 *                                           └→ BDAT n → chunk phase (n octets) → 250 …
 *   a 250 after the data hands the message on (Outcome.delivered, extensions/delivery.ts)
 *   AUTH → auth phase (SASL lines) → 235/535;  STARTTLS → 220, TLS, state forgotten
 *   out of order:   503;  bad arguments: 501;  unknown parameter: 555;  unknown verb: 500
 *
 * The extensions live in extensions/ (auth, bdat, starttls, parameters, data-end, delivery).
 */
type Phase = 'command' | 'data' | 'chunk' | 'silent';
type Handler = (session: SmtpSession, args: string) => Outcome;

interface DataState {
  octets: number;
  longestLine: number;
}

export class SmtpSession {
  private phase: Phase = 'command';
  private data: DataState = { octets: 0, longestLine: 0 };
  greeted = false;
  tls = false;
  authenticated = false;
  transaction: Transaction = emptyTransaction();
  /** An AUTH exchange in progress: lines are SASL responses. */
  sasl: SaslState | null = null;
  /** A BDAT chunk being read. */
  chunk: ChunkState | null = null;

  constructor(readonly profile: ServerProfile) {}

  get replies() {
    return this.profile.replies;
  }

  broken(flag: BehaviourFlag): boolean {
    return this.profile.flags.has(flag);
  }

  greet(): Outcome {
    if (this.broken('no-greeting')) return NOTHING;
    return say(this.profile.settings.lmtp ? this.replies.lmtpGreeting : this.replies.greeting);
  }

  /** How the next line is framed: CRLF only, unless a bare-LF/CR command defect applies. */
  lineEnds(): LineEnds {
    if (this.phase === 'data') return 'crlf';
    if (this.broken('bare-lf-command')) return 'crlf-or-lf';
    return this.broken('bare-cr-command') ? 'crlf-or-cr' : 'crlf';
  }

  /** Octets the session wants as they are (the rest of a BDAT chunk), or 0 for lines. */
  octetsWanted(): number {
    return this.phase === 'chunk' && this.chunk ? this.chunk.remaining : 0;
  }

  receive(line: FramedLine): Outcome {
    if (this.phase === 'silent') return NOTHING;
    if (this.phase === 'data') return this.receiveData(line);
    if (this.sasl) return continueAuth(this, line);
    return this.receiveCommand(line);
  }

  /** Octets of a BDAT chunk (at most octetsWanted()). */
  receiveOctets(text: string): Outcome {
    return receiveChunk(this, text);
  }

  beginChunk(chunk: ChunkState): void {
    this.chunk = chunk;
    this.phase = 'chunk';
  }

  endChunk(): void {
    this.chunk = null;
    this.phase = 'command';
  }

  private receiveCommand(line: FramedLine): Outcome {
    const space = line.text.indexOf(' ');
    const verb = space === -1 ? line.text : line.text.slice(0, space);
    const args = space === -1 ? '' : line.text.slice(space + 1);
    const name = verb.toUpperCase();
    if (line.octets > this.lineLimit(name)) return say(this.replies.lineTooLong);
    if (this.broken('lowercase-refused') && verb !== name) return say(this.replies.unknownVerb);
    const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!handler) return this.unknownVerb();
    if (this.replies.greeting[0]?.startsWith('554') && name !== 'QUIT') {
      return say(this.replies.badSequence); // §3.1: after a 554 greeting, wait for QUIT
    }
    return { ...handler(this, args), verb: name };
  }

  private lineLimit(verb: string): number {
    const { limits } = this.profile;
    if (verb === 'AUTH') return limits.authLine;
    return verb === 'MAIL' || verb === 'RCPT' ? limits.envelopeLine : limits.commandLine;
  }

  unknownVerb(): Outcome {
    if (this.broken('unknown-verb-250')) return say(this.replies.ok);
    if (this.broken('closes-on-unknown')) return sayAndClose(this.replies.unknownVerb);
    return say(this.replies.unknownVerb);
  }

  /** The EHLO/LHLO reply for the session's state: no STARTTLS inside TLS, AUTH only inside it. */
  ehloReply(): ReplyLines {
    const { settings } = this.profile;
    return ehloReply(this.profile.ehlo, (extension) => {
      if (extension === 'starttls') return !this.tls || this.broken('starttls-twice');
      if (extension === 'auth') return this.tls || !settings.authOnlyAfterTls;
      return true;
    });
  }

  hello(args: string, reply: ReplyLines): Outcome {
    if (args.trim() === '') return say(this.replies.badSyntax);
    this.greeted = true;
    this.resetTransaction();
    if (this.broken('stops-answering-after-ehlo')) this.phase = 'silent';
    return say(reply);
  }

  mail(args: string): Outcome {
    if (!this.greeted) return say(this.replies.badSequence);
    if (this.transaction.sender !== null && !this.broken('nested-mail-accepted')) {
      return say(this.replies.badSequence);
    }
    const parsed = parseAddressCommand('FROM', args);
    if (!parsed || (parsed.mailbox === '' && this.broken('null-sender-refused'))) {
      return say(this.replies.badSyntax);
    }
    if (parsed.routed && this.broken('source-route-refused')) return say(this.replies.badSyntax);
    const utf8 = parsed.parameters.has('SMTPUTF8');
    const refusal =
      (parsed.mailbox === '' ? undefined : this.mailboxRefusal(parsed.mailbox, utf8)) ??
      mailParameterRefusal(this, parsed);
    if (refusal) return say(refusal);
    const body = parsed.parameters.get('BODY')?.toUpperCase() ?? '7BIT';
    this.transaction = { ...emptyTransaction(), sender: parsed.mailbox, utf8, body };
    return say(this.replies.senderOk);
  }

  /** 553 5.6.7 for a non-ASCII address without SMTPUTF8 (RFC 6531 §3.6.2), else 501. */
  private mailboxRefusal(mailbox: string, utf8: boolean): ReplyLines | undefined {
    if (isMailbox(mailbox, utf8)) return undefined;
    if (!utf8 && hasNonAscii(mailbox) && isMailbox(mailbox, true)) {
      return this.replies.utf8Required;
    }
    return this.replies.badSyntax;
  }

  rcpt(args: string): Outcome {
    if (this.transaction.sender === null && !this.broken('rcpt-before-mail-accepted')) {
      return say(this.replies.badSequence);
    }
    const parsed = parseAddressCommand('TO', args);
    if (!parsed || parsed.mailbox === '') return say(this.replies.badSyntax);
    if (parsed.routed && this.broken('source-route-refused')) return say(this.replies.badSyntax);
    const parameterRefusal = rcptParameterRefusal(this, parsed);
    if (parameterRefusal) return say(parameterRefusal);
    const postmaster = parsed.mailbox.toLowerCase() === 'postmaster';
    if (postmaster && this.broken('postmaster-refused')) return say(this.replies.mailboxRefused);
    if (!postmaster) {
      const refusal = this.mailboxRefusal(parsed.mailbox, this.transaction.utf8);
      if (refusal) return say(refusal);
      if (isRefusedRecipient(parsed.mailbox)) return say(this.replies.mailboxRefused);
    }
    if (this.transaction.recipients >= this.profile.limits.recipients) {
      return say(this.replies.tooManyRecipients);
    }
    this.transaction.recipients += 1;
    this.transaction.rcptTo.push(parsed.mailbox);
    return say(this.replies.recipientOk);
  }

  startData(args: string): Outcome {
    if (args !== '') return say(this.replies.badSyntax);
    const { transaction } = this;
    // RFC 3030 §2: no DATA after BDAT in a transaction; §3: no DATA with BODY=BINARYMIME.
    if (transaction.chunks > 0 && !this.broken('bdat-data-after-chunk')) {
      return say(this.replies.badSequence);
    }
    if (transaction.body === 'BINARYMIME') return say(this.replies.badSequence);
    if (transaction.recipients === 0 && !this.broken('data-without-rcpt-354')) {
      return say(this.replies.badSequence);
    }
    this.phase = 'data';
    this.data = { octets: 0, longestLine: 0 };
    return say(this.replies.startData);
  }

  private receiveData(line: FramedLine): Outcome {
    const { limits } = this.profile;
    const end = dataEnd(this, line);
    if (end) {
      this.phase = 'command';
      this.transaction.content.push(end.content);
      const outcome = this.deliver(
        this.data.longestLine > limits.textLine
          ? this.replies.textLineTooLong
          : this.data.octets > limits.messageSize
            ? this.replies.messageTooBig
            : this.replies.messageAccepted,
      );
      return end.unread === '' ? outcome : { ...outcome, unread: end.unread };
    }
    const stuffing = line.text.startsWith('.') ? 1 : 0;
    this.data.octets += line.octets - stuffing;
    this.data.longestLine = Math.max(this.data.longestLine, line.octets - stuffing);
    // Past the size limit the message gets 552 anyway: stop keeping it.
    if (this.data.octets <= limits.messageSize) this.transaction.content.push(keptLine(this, line));
    return NOTHING;
  }

  /**
   * Ends the transaction after the data (DATA's final dot or BDAT LAST) with `reply`: once, or
   * in LMTP once per accepted recipient, in RCPT order (RFC 2033 §4.2).
   */
  deliver(reply: ReplyLines): Outcome {
    const { recipients } = this.transaction;
    const accepted = reply[0]?.startsWith('250') === true;
    const delivered = accepted ? handOn(this, this.transaction) : [];
    this.resetTransaction();
    const count = this.profile.settings.lmtp && !this.broken('lmtp-one-reply') ? recipients : 1;
    const outcome = {
      ...say(...Array.from({ length: Math.max(count, 1) }, () => reply)),
      delivered,
    };
    return this.broken('pipelining-drops-input') ? { ...outcome, dropInput: true } : outcome;
  }

  /**
   * The connection closed. A transaction cut off in its data is cancelled (§4.1.1.10); a
   * `delivers-on-drop` server hands on the lines it had.
   */
  connectionLost(): DeliveredMessage[] {
    if (this.phase !== 'data' || !this.broken('delivers-on-drop')) return [];
    this.phase = 'command';
    const delivered = handOn(this, this.transaction);
    this.resetTransaction();
    return delivered;
  }

  reset(args: string): Outcome {
    if (args !== '') return say(this.replies.badSyntax);
    if (!this.broken('rset-keeps-transaction')) this.resetTransaction();
    return say(this.replies.ok);
  }

  noop(args: string): Outcome {
    if (args !== '' && this.broken('noop-args-refused')) return say(this.replies.badSyntax);
    if (this.broken('two-replies-to-noop')) return say(this.replies.noop, this.replies.noop);
    return say(this.replies.noop);
  }

  quit(args: string): Outcome {
    if (args !== '') return say(this.replies.badSyntax);
    if (this.broken('quit-without-221')) return sayAndClose();
    if (this.broken('quit-no-close')) return say(this.replies.quit);
    if (this.broken('runs-after-quit'))
      return { ...say(this.replies.quit), closeWhenDrained: true };
    return sayAndClose(this.replies.quit);
  }

  /** TLS has started (RFC 3207 §4.2): forget EHLO, AUTH and the envelope. */
  enterTls(): void {
    this.tls = true;
    if (this.broken('starttls-keeps-state')) return;
    this.greeted = false;
    this.authenticated = false;
    this.resetTransaction();
  }

  resetTransaction(): void {
    this.transaction = emptyTransaction();
  }
}

const lmtp = (s: SmtpSession) => s.profile.settings.lmtp;

const COMMANDS: Record<string, Handler> = {
  EHLO: (s, args) =>
    lmtp(s) || s.broken('ehlo-refused') ? say(s.replies.unknownVerb) : s.hello(args, s.ehloReply()),
  HELO: (s, args) => (lmtp(s) ? say(s.replies.unknownVerb) : s.hello(args, s.replies.helo)),
  LHLO: (s, args) => (lmtp(s) ? s.hello(args, s.ehloReply()) : s.unknownVerb()),
  MAIL: (s, args) => s.mail(args),
  RCPT: (s, args) => s.rcpt(args),
  DATA: (s, args) => s.startData(args),
  BDAT: bdat,
  RSET: (s, args) => s.reset(args),
  NOOP: (s, args) => s.noop(args),
  VRFY: (s, args) => say(args.trim() === '' ? s.replies.badSyntax : s.replies.vrfy),
  EXPN: (s) => say(s.replies.expn),
  HELP: (s) => say(s.replies.help),
  QUIT: (s, args) => s.quit(args),
  STARTTLS: startTls,
  AUTH: auth,
};
