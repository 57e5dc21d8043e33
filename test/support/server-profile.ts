import type { ServerDefect } from './smtp-defects.js';

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
  /** The greeting when the server speaks LMTP (RFC 2033). */
  lmtpGreeting: ReplyLines;
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
  /** A non-ASCII address without SMTPUTF8 (RFC 6531 §3.6.2 suggests 553 5.6.7). */
  utf8Required: ReplyLines;
  /** A non-LAST BDAT chunk was received (RFC 3030 §2). */
  chunkReceived: ReplyLines;
  tlsReady: ReplyLines;
  /** A command that needs TLS first (RFC 3207 §4: 530). */
  tlsRequired: ReplyLines;
  /** The empty challenge: exactly '334 ' (RFC 4954 §4). */
  authEmptyChallenge: ReplyLines;
  authUserChallenge: ReplyLines;
  authPassChallenge: ReplyLines;
  authSucceeded: ReplyLines;
  authFailed: ReplyLines;
  authCancelled: ReplyLines;
  authBadBase64: ReplyLines;
  authUnknownMechanism: ReplyLines;
  /** An initial response to a mechanism where the server speaks first (CRAM-MD5). */
  authInitialRefused: ReplyLines;
}

/** The EHLO keywords a scripted server can list, in the order it lists them. */
export const EXTENSIONS = [
  'pipelining',
  'size',
  '8bitmime',
  'smtputf8',
  'dsn',
  'chunking',
  'binarymime',
  'starttls',
  'auth',
  'enhancedstatuscodes',
] as const;
export type Extension = (typeof EXTENSIONS)[number];

export interface EhloProfile {
  /** Text of the first line after the code. */
  greeting: string;
  /** Each extension's keyword line; which are listed depends on the session (TLS, AUTH). */
  keywords: Readonly<Record<Extension, string>>;
  /** A fixed reply that replaces the generated one (a malformed list). */
  fixed?: ReplyLines;
}

export interface Limits {
  /** Longest command line accepted, in octets including CRLF (RFC 5321 §4.5.3.1.4: 512). */
  commandLine: number;
  /**
   * Longest MAIL or RCPT line, with CRLF: 512 plus what the advertised parameters add (RFC 1870
   * SIZE 26, RFC 4954 AUTH 500, RFC 6531 SMTPUTF8 10, RFC 3461 §5.4 "at least 1036").
   */
  envelopeLine: number;
  /** Longest AUTH command or response line, with CRLF (RFC 4954 §4: 12288 "sufficient"). */
  authLine: number;
  /** Longest text line accepted in DATA, in octets including CRLF (§4.5.3.1.6: ≥ 1000). */
  textLine: number;
  /** Recipients per transaction (§4.5.3.1.8: ≥ 100). */
  recipients: number;
  /** Message size after dot-unstuffing, in octets, for DATA and BDAT (SIZE is the claim). */
  messageSize: number;
}

export interface Settings {
  /** Speak LMTP (RFC 2033): LHLO instead of EHLO/HELO, one reply per recipient after data. */
  lmtp: boolean;
  /** Offer and accept AUTH only inside TLS (RFC 4954 §4: PLAIN SHOULD NOT be used in clear). */
  authOnlyAfterTls: boolean;
}

/** Defects that cannot be expressed as data; smtp-state.ts and extensions/ check them. */
export type BehaviourFlag = Exclude<ServerDefect, keyof typeof DEFECT_PATCHES>;

export interface ServerProfile {
  replies: ReplyTable;
  ehlo: EhloProfile;
  limits: Limits;
  settings: Settings;
  /**
   * What ends DATA, as bytes around a line: `\r\n.\r\n` is the one conforming terminator; a
   * smuggling defect adds one (extensions/data-end.ts).
   */
  dataTerminators: readonly string[];
  flags: ReadonlySet<BehaviourFlag>;
}

export const SERVER_NAME = 'scripted.test';
/** The message size limit, advertised as `SIZE 1000000` and enforced for DATA and BDAT. */
export const SIZE_LIMIT = 1_000_000;
/** The one account AUTH accepts. */
export const AUTH_ACCOUNT = { user: 'tester', pass: 'tester-secret' } as const;
export const DATA_TERMINATOR = '\r\n.\r\n';

export const DEFAULT_KEYWORDS: Readonly<Record<Extension, string>> = {
  pipelining: 'PIPELINING',
  size: `SIZE ${SIZE_LIMIT}`,
  '8bitmime': '8BITMIME',
  smtputf8: 'SMTPUTF8',
  dsn: 'DSN',
  chunking: 'CHUNKING',
  binarymime: 'BINARYMIME',
  starttls: 'STARTTLS',
  auth: 'AUTH PLAIN LOGIN CRAM-MD5',
  enhancedstatuscodes: 'ENHANCEDSTATUSCODES',
};

const DEFAULT_EHLO: EhloProfile = {
  greeting: `${SERVER_NAME} greets you`,
  keywords: DEFAULT_KEYWORDS,
};

export const DEFAULT_REPLIES: ReplyTable = {
  greeting: [`220 ${SERVER_NAME} ESMTP scripted`],
  lmtpGreeting: [`220 ${SERVER_NAME} LMTP scripted`],
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
  utf8Required: ['553 5.6.7 Non-ASCII address requires SMTPUTF8'],
  chunkReceived: ['250 2.0.0 Chunk received'],
  tlsReady: ['220 2.0.0 Ready to start TLS'],
  tlsRequired: ['530 5.7.0 Must issue a STARTTLS command first'],
  authEmptyChallenge: ['334 '],
  authUserChallenge: ['334 VXNlcm5hbWU6'],
  authPassChallenge: ['334 UGFzc3dvcmQ6'],
  authSucceeded: ['235 2.7.0 Authentication successful'],
  authFailed: ['535 5.7.8 Authentication credentials invalid'],
  authCancelled: ['501 5.7.0 Authentication cancelled'],
  authBadBase64: ['501 5.5.2 Cannot decode response'],
  authUnknownMechanism: ['504 5.5.4 Unrecognized authentication type'],
  authInitialRefused: ['501 5.7.0 No initial response allowed with this mechanism'],
};

export const DEFAULT_LIMITS: Limits = {
  commandLine: 512,
  envelopeLine: 2048,
  authLine: 16 * 1024,
  textLine: Number.POSITIVE_INFINITY,
  recipients: Number.POSITIVE_INFINITY,
  messageSize: SIZE_LIMIT,
};

export const DEFAULT_SETTINGS: Settings = { lmtp: false, authOnlyAfterTls: true };

interface DefectPatch {
  replies?: Partial<ReplyTable>;
  keywords?: Partial<Record<Extension, string>>;
  /** A fixed EHLO reply. */
  ehlo?: ReplyLines;
  limits?: Partial<Limits>;
  settings?: Partial<Settings>;
  /** One more sequence that ends DATA. */
  dataTerminator?: string;
}

const AUTH_FAILED = DEFAULT_REPLIES.authFailed;

/** Defects that are pure data; every other defect is a BehaviourFlag. */
const DEFECT_PATCHES = {
  'greeting-554': { replies: { greeting: [`554 5.3.2 ${SERVER_NAME} no SMTP service here`] } },
  'malformed-multiline': {
    ehlo: [`250-${SERVER_NAME} greets you`, '251-PIPELINING', '250=8BITMIME', '250 SIZE'],
  },
  'vrfy-500': { replies: { vrfy: DEFAULT_REPLIES.unknownVerb } },
  'help-500': { replies: { help: DEFAULT_REPLIES.unknownVerb } },
  'helo-multiline': { replies: { helo: ehloReply(DEFAULT_EHLO, () => true) } },
  'reply-too-long': { replies: { noop: [`250 2.0.0 ${'x'.repeat(588)}`] } },
  'short-line-limit': { limits: { commandLine: 100, envelopeLine: 100 } },
  'text-line-limit': { limits: { textLine: 500 } },
  'recipient-limit-10': { limits: { recipients: 10 } },
  'small-message-limit': { limits: { messageSize: 32 * 1024 } },
  'size-not-enforced': { limits: { messageSize: Number.POSITIVE_INFINITY } },
  'size-bad-syntax': { keywords: { size: 'SIZE abc' } },
  'esc-missing': { replies: { senderOk: ['250 Sender OK'], recipientOk: ['250 Recipient OK'] } },
  'esc-wrong-class': { replies: { noop: ['250 4.0.0 OK'] } },
  'auth-334-text': { replies: { authEmptyChallenge: ['334 go ahead'] } },
  'auth-cancel-ignored': { replies: { authCancelled: AUTH_FAILED } },
  'auth-bad-b64-535': { replies: { authBadBase64: AUTH_FAILED } },
  'auth-unknown-mech-535': { replies: { authUnknownMechanism: AUTH_FAILED } },
  'auth-short-line': { limits: { authLine: 1000 } },
  'auth-offered-in-clear': { settings: { authOnlyAfterTls: false } },
  'smuggle-lf-dot-lf': { dataTerminator: '\n.\n' },
  'smuggle-cr-dot-cr': { dataTerminator: '\r.\r' },
  'smuggle-crlf-dot-lf': { dataTerminator: '\r\n.\n' },
  'smuggle-lf-dot-crlf': { dataTerminator: '\n.\r\n' },
} as const satisfies Partial<Record<ServerDefect, DefectPatch>>;

export function buildProfile(
  defects: readonly ServerDefect[],
  settings: Partial<Settings> = {},
): ServerProfile {
  const replies = { ...DEFAULT_REPLIES };
  const keywords = { ...DEFAULT_KEYWORDS };
  const ehlo: EhloProfile = { ...DEFAULT_EHLO, keywords };
  const limits = { ...DEFAULT_LIMITS };
  const effective = { ...DEFAULT_SETTINGS, ...settings };
  const dataTerminators = [DATA_TERMINATOR];
  const flags = new Set<BehaviourFlag>();
  for (const defect of defects) {
    const patch: DefectPatch | undefined = Object.hasOwn(DEFECT_PATCHES, defect)
      ? DEFECT_PATCHES[defect as keyof typeof DEFECT_PATCHES]
      : undefined;
    if (!patch) {
      flags.add(defect as BehaviourFlag);
      continue;
    }
    Object.assign(replies, patch.replies);
    Object.assign(keywords, patch.keywords);
    Object.assign(limits, patch.limits);
    Object.assign(effective, patch.settings);
    if (patch.ehlo) ehlo.fixed = patch.ehlo;
    if (patch.dataTerminator) dataTerminators.push(patch.dataTerminator);
  }
  return { replies, ehlo, limits, settings: effective, dataTerminators, flags };
}

/** The EHLO (or LHLO) reply listing the extensions for which `listed` is true. */
export function ehloReply(ehlo: EhloProfile, listed: (extension: Extension) => boolean) {
  if (ehlo.fixed) return ehlo.fixed;
  const keywords = EXTENSIONS.filter(listed).map((extension) => ehlo.keywords[extension]);
  return multiline(250, [ehlo.greeting, ...keywords]);
}

function multiline(code: number, texts: readonly string[]): ReplyLines {
  return texts.map((text, i) => `${code}${i === texts.length - 1 ? ' ' : '-'}${text}`);
}
