import type { FramedLine } from './crlf-lines.js';
import type { BehaviourFlag, ReplyLines, ServerProfile } from './server-profile.js';

/**
 * The SMTP session of a scripted test server, as a state machine without I/O: it takes framed
 * lines and returns what to send. What it says and its limits come from a ServerProfile; the
 * behavioural defects are consulted by name through `broken(flag)`.
 *
 *   command phase:  EHLO/HELO → MAIL → RCPT+ → DATA → data phase → 250 → (transaction cleared)
 *   out of order:   503;  bad arguments: 501;  unknown parameter: 555;  unknown verb: 500
 */
export interface Outcome {
  replies: ReplyLines[];
  /** Close the connection after sending the replies. */
  close: boolean;
}

type Phase = 'command' | 'data' | 'silent';
type Handler = (session: SmtpSession, args: string) => Outcome;

const say = (...replies: ReplyLines[]): Outcome => ({ replies, close: false });
const sayAndClose = (...replies: ReplyLines[]): Outcome => ({ replies, close: true });
const NOTHING: Outcome = { replies: [], close: false };

/** `<>`, `<mailbox>` or `<@relay,@relay:mailbox>` (RFC 5321 §4.1.2). */
const PATH = /^<(?:(@[^<>:,]+(?:,@[^<>:,]+)*):)?([^<>]*)>$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** Printable ASCII only: a non-ASCII address without SMTPUTF8 is refused (§2.4 SHOULD). */
const LOCAL_PART = /^[!#-'*+\-/-9=?A-Z^-~.]+$/;
const MAIL_PARAMETERS = new Set(['SIZE', 'BODY']);

interface Transaction {
  sender: string | null;
  recipients: number;
}

interface DataState {
  octets: number;
  longestLine: number;
}

export class SmtpSession {
  private phase: Phase = 'command';
  private greeted = false;
  private transaction: Transaction = { sender: null, recipients: 0 };
  private data: DataState = { octets: 0, longestLine: 0 };

  constructor(readonly profile: ServerProfile) {}

  get replies() {
    return this.profile.replies;
  }

  broken(flag: BehaviourFlag): boolean {
    return this.profile.flags.has(flag);
  }

  greet(): Outcome {
    return this.broken('no-greeting') ? NOTHING : say(this.replies.greeting);
  }

  receive(line: FramedLine): Outcome {
    if (this.phase === 'silent') return NOTHING;
    return this.phase === 'data' ? this.receiveData(line) : this.receiveCommand(line);
  }

  private receiveCommand(line: FramedLine): Outcome {
    if (line.octets > this.profile.limits.commandLine) return say(this.replies.lineTooLong);
    const space = line.text.indexOf(' ');
    const verb = space === -1 ? line.text : line.text.slice(0, space);
    const args = space === -1 ? '' : line.text.slice(space + 1);
    if (this.broken('lowercase-refused') && verb !== verb.toUpperCase()) {
      return say(this.replies.unknownVerb);
    }
    const name = verb.toUpperCase();
    const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!handler) return this.unknownVerb();
    if (this.replies.greeting[0]?.startsWith('554') && name !== 'QUIT') {
      return say(this.replies.badSequence); // §3.1: after a 554 greeting, wait for QUIT
    }
    return handler(this, args);
  }

  private unknownVerb(): Outcome {
    if (this.broken('unknown-verb-250')) return say(this.replies.ok);
    if (this.broken('closes-on-unknown')) return sayAndClose(this.replies.unknownVerb);
    return say(this.replies.unknownVerb);
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
    if (parsed.mailbox !== '' && !isMailbox(parsed.mailbox)) return say(this.replies.badSyntax);
    const refusal = this.mailParameterRefusal(parsed.parameters);
    if (refusal) return say(refusal);
    this.transaction = { sender: parsed.mailbox, recipients: 0 };
    return say(this.replies.senderOk);
  }

  private mailParameterRefusal(parameters: Map<string, string>): ReplyLines | undefined {
    for (const [key, value] of parameters) {
      if (!MAIL_PARAMETERS.has(key)) return this.replies.unknownParameter;
      if (key === 'SIZE' && !/^\d{1,20}$/.test(value)) return this.replies.badSyntax;
      if (key === 'SIZE' && Number(value) > this.profile.limits.messageSize) {
        return this.replies.messageTooBig;
      }
    }
    return undefined;
  }

  rcpt(args: string): Outcome {
    if (this.transaction.sender === null && !this.broken('rcpt-before-mail-accepted')) {
      return say(this.replies.badSequence);
    }
    const parsed = parseAddressCommand('TO', args);
    if (!parsed || parsed.mailbox === '') return say(this.replies.badSyntax);
    if (parsed.routed && this.broken('source-route-refused')) return say(this.replies.badSyntax);
    if (parsed.parameters.size > 0) return say(this.replies.unknownParameter);
    const postmaster = parsed.mailbox.toLowerCase() === 'postmaster';
    if (postmaster && this.broken('postmaster-refused')) return say(this.replies.mailboxRefused);
    if (!postmaster && !isMailbox(parsed.mailbox)) return say(this.replies.badSyntax);
    if (this.transaction.recipients >= this.profile.limits.recipients) {
      return say(this.replies.tooManyRecipients);
    }
    this.transaction.recipients += 1;
    return say(this.replies.recipientOk);
  }

  startData(args: string): Outcome {
    if (args !== '') return say(this.replies.badSyntax);
    if (this.transaction.recipients === 0 && !this.broken('data-without-rcpt-354')) {
      return say(this.replies.badSequence);
    }
    this.phase = 'data';
    this.data = { octets: 0, longestLine: 0 };
    return say(this.replies.startData);
  }

  private receiveData(line: FramedLine): Outcome {
    const dot = line.text.startsWith('.');
    const ends = this.broken('dot-transparency-broken')
      ? dot
      : line.text === '.' && !line.truncated;
    if (ends) return this.endData();
    const stuffing = dot && !this.broken('dot-transparency-broken') ? 1 : 0;
    this.data.octets += line.octets - stuffing;
    this.data.longestLine = Math.max(this.data.longestLine, line.octets - stuffing);
    return NOTHING;
  }

  private endData(): Outcome {
    this.phase = 'command';
    this.resetTransaction();
    const { limits } = this.profile;
    if (this.data.longestLine > limits.textLine) return say(this.replies.textLineTooLong);
    if (this.data.octets > limits.messageSize) return say(this.replies.messageTooBig);
    return say(this.replies.messageAccepted);
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
    return sayAndClose(this.replies.quit);
  }

  private resetTransaction(): void {
    this.transaction = { sender: null, recipients: 0 };
  }
}

const COMMANDS: Record<string, Handler> = {
  EHLO: (s, args) =>
    s.broken('ehlo-refused') ? say(s.replies.unknownVerb) : s.hello(args, s.replies.ehlo),
  HELO: (s, args) => s.hello(args, s.replies.helo),
  MAIL: (s, args) => s.mail(args),
  RCPT: (s, args) => s.rcpt(args),
  DATA: (s, args) => s.startData(args),
  RSET: (s, args) => s.reset(args),
  NOOP: (s, args) => s.noop(args),
  VRFY: (s, args) => say(args.trim() === '' ? s.replies.badSyntax : s.replies.vrfy),
  EXPN: (s) => say(s.replies.expn),
  HELP: (s) => say(s.replies.help),
  QUIT: (s, args) => s.quit(args),
};

interface AddressCommand {
  mailbox: string;
  routed: boolean;
  parameters: Map<string, string>;
}

/** Parses `FROM:<path> [KEY[=VALUE] ...]` (or `TO:`); undefined when malformed. */
function parseAddressCommand(keyword: 'FROM' | 'TO', args: string): AddressCommand | undefined {
  if (args.slice(0, keyword.length + 1).toUpperCase() !== `${keyword}:`) return undefined;
  const [path = '', ...words] = args
    .slice(keyword.length + 1)
    .split(' ')
    .filter(Boolean);
  const match = PATH.exec(path);
  if (!match) return undefined;
  const parameters = new Map<string, string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    parameters.set(
      (eq === -1 ? word : word.slice(0, eq)).toUpperCase(),
      eq === -1 ? '' : word.slice(eq + 1),
    );
  }
  return { mailbox: match[2] ?? '', routed: match[1] !== undefined, parameters };
}

/** `local@domain` with an LDH domain (so `foo_bar.example` is refused, §4.1.2). */
function isMailbox(mailbox: string): boolean {
  const at = mailbox.lastIndexOf('@');
  if (at <= 0 || !LOCAL_PART.test(mailbox.slice(0, at))) return false;
  return mailbox
    .slice(at + 1)
    .split('.')
    .every((label) => LABEL.test(label));
}
