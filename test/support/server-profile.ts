import type { Defect } from './smtp-defects.js';

/**
 * What a scripted server says and where its limits are, as data. The conforming default is
 * DEFAULT_PROFILE; each defect is a patch to it (DEFECT_PATCHES), so a broken server is
 * "the default with one entry changed", and the state machine (smtp-state.ts) stays free of
 * defect-specific branches except for the behavioural flags it consults by name.
 *
 * A reply is its wire lines without line endings: ['250-a', '250 b'].
 */
export type ReplyLines = readonly string[];

export interface ReplyTable {
  greeting: ReplyLines;
  ehlo: ReplyLines;
  helo: ReplyLines;
  ok: ReplyLines;
  noop: ReplyLines;
  senderOk: ReplyLines;
  recipientOk: ReplyLines;
  startData: ReplyLines;
  messageAccepted: ReplyLines;
  vrfy: ReplyLines;
  expn: ReplyLines;
  help: ReplyLines;
  quit: ReplyLines;
  unknownVerb: ReplyLines;
  lineTooLong: ReplyLines;
  badSequence: ReplyLines;
  badSyntax: ReplyLines;
  unknownParameter: ReplyLines;
  mailboxRefused: ReplyLines;
  tooManyRecipients: ReplyLines;
  messageTooBig: ReplyLines;
  textLineTooLong: ReplyLines;
}

export interface Limits {
  /** Longest command line accepted, in octets including CRLF (RFC 5321 §4.5.3.1.4: 512). */
  commandLine: number;
  /** Longest text line accepted in DATA, in octets including CRLF (§4.5.3.1.6: ≥ 1000). */
  textLine: number;
  /** Recipients per transaction (§4.5.3.1.8: ≥ 100). */
  recipients: number;
  /** Message size after dot-unstuffing, in octets (the advertised SIZE). */
  messageSize: number;
}

/** Behaviours that cannot be expressed as a reply or a limit; smtp-state.ts checks them. */
export type BehaviourFlag = Exclude<
  Defect,
  | 'greeting-554'
  | 'malformed-multiline'
  | 'vrfy-500'
  | 'help-500'
  | 'helo-multiline'
  | 'reply-too-long'
  | 'short-line-limit'
  | 'text-line-limit'
  | 'recipient-limit-10'
  | 'small-message-limit'
>;

export interface ServerProfile {
  replies: ReplyTable;
  limits: Limits;
  flags: ReadonlySet<BehaviourFlag>;
}

export const SERVER_NAME = 'scripted.test';
const SIZE = 10 * 1024 * 1024;

const EHLO_KEYWORDS = ['PIPELINING', `SIZE ${SIZE}`, '8BITMIME', 'ENHANCEDSTATUSCODES'];

export const DEFAULT_REPLIES: ReplyTable = {
  greeting: [`220 ${SERVER_NAME} ESMTP scripted`],
  ehlo: multiline(250, [`${SERVER_NAME} greets you`, ...EHLO_KEYWORDS]),
  helo: [`250 ${SERVER_NAME} greets you`],
  ok: ['250 2.0.0 OK'],
  noop: ['250 2.0.0 OK'],
  senderOk: ['250 2.1.0 Sender OK'],
  recipientOk: ['250 2.1.5 Recipient OK'],
  startData: ['354 End data with <CR><LF>.<CR><LF>'],
  messageAccepted: ['250 2.0.0 Message accepted'],
  vrfy: ['252 2.5.0 Cannot VRFY user, but will accept message'],
  expn: ['502 5.5.1 EXPN not implemented'],
  help: ['214 2.0.0 See RFC 5321'],
  quit: [`221 2.0.0 ${SERVER_NAME} closing connection`],
  unknownVerb: ['500 5.5.2 Command unrecognized'],
  lineTooLong: ['500 5.5.6 Line too long'],
  badSequence: ['503 5.5.1 Bad sequence of commands'],
  badSyntax: ['501 5.5.4 Syntax error in parameters or arguments'],
  unknownParameter: ['555 5.5.4 Parameter not recognized'],
  mailboxRefused: ['550 5.1.1 Mailbox unavailable'],
  tooManyRecipients: ['452 4.5.3 Too many recipients'],
  messageTooBig: ['552 5.3.4 Message too big'],
  textLineTooLong: ['554 5.6.0 Text line too long'],
};

export const DEFAULT_LIMITS: Limits = {
  commandLine: 512,
  textLine: Number.POSITIVE_INFINITY,
  recipients: Number.POSITIVE_INFINITY,
  messageSize: SIZE,
};

interface DefectPatch {
  replies?: Partial<ReplyTable>;
  limits?: Partial<Limits>;
}

/** Defects that are pure data; every other defect is a BehaviourFlag. */
const DEFECT_PATCHES: Partial<Record<Defect, DefectPatch>> = {
  'greeting-554': { replies: { greeting: [`554 5.3.2 ${SERVER_NAME} no SMTP service here`] } },
  'malformed-multiline': {
    replies: {
      ehlo: [`250-${SERVER_NAME} greets you`, '251-PIPELINING', '250=8BITMIME', '250 SIZE'],
    },
  },
  'vrfy-500': { replies: { vrfy: DEFAULT_REPLIES.unknownVerb } },
  'help-500': { replies: { help: DEFAULT_REPLIES.unknownVerb } },
  'helo-multiline': { replies: { helo: DEFAULT_REPLIES.ehlo } },
  'reply-too-long': { replies: { noop: [`250 2.0.0 ${'x'.repeat(588)}`] } },
  'short-line-limit': { limits: { commandLine: 100 } },
  'text-line-limit': { limits: { textLine: 500 } },
  'recipient-limit-10': { limits: { recipients: 10 } },
  'small-message-limit': { limits: { messageSize: 32 * 1024 } },
};

export function buildProfile(defects: readonly Defect[]): ServerProfile {
  const replies = { ...DEFAULT_REPLIES };
  const limits = { ...DEFAULT_LIMITS };
  const flags = new Set<BehaviourFlag>();
  for (const defect of defects) {
    const patch = DEFECT_PATCHES[defect];
    if (patch) {
      Object.assign(replies, patch.replies);
      Object.assign(limits, patch.limits);
    } else {
      flags.add(defect as BehaviourFlag);
    }
  }
  return { replies, limits, flags };
}

function multiline(code: number, texts: readonly string[]): ReplyLines {
  return texts.map((text, i) => `${code}${i === texts.length - 1 ? ' ' : '-'}${text}`);
}
