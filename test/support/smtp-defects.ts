/**
 * The rules a scripted test server can be told to break, one each. The description says what a
 * client observes; test/targets/scripted-server.test.ts checks every one of them against the
 * conforming default (test/support/defect-probes.ts).
 *
 * Three groups: the RFC 5321 core (CORE_DEFECTS, each guarded by a case of the built-in rfc5321
 * suites: test/integration/broken-servers.test.ts), the SMTP extensions and framing hardening
 * of rfc-checklist §3.7 and §3.10–3.19 (EXTENSION_DEFECTS), and what the server hands on after
 * a 250 (DELIVERY_DEFECTS, seen only through the `deliver` option of a scripted server; guarded
 * by the capture suite: test/integration/capture.test.ts). `DEFECTS` holds all three.
 */
export const CORE_DEFECTS = {
  'rcpt-before-mail-accepted': 'RCPT without a MAIL transaction gets 250 instead of 503',
  'unknown-verb-250': 'an unknown verb gets 250 instead of 500',
  'lowercase-refused': 'any verb not written in upper case gets 500',
  'rset-keeps-transaction': 'RSET answers 250 but keeps the sender and recipients',
  'quit-without-221': 'QUIT closes the connection without a 221',
  'quit-no-close': 'QUIT gets 221 but the connection stays open',
  'malformed-multiline': 'the EHLO reply mixes codes and uses a bad separator',
  'bare-lf-replies': 'replies end in a bare LF instead of CRLF',
  'never-answers': 'the connection is accepted and nothing is ever sent',
  'stops-answering-after-ehlo': 'after the EHLO reply nothing more is sent',
  'no-greeting': 'no 220 greeting; commands are answered normally',
  'greeting-554': 'the greeting is 554; every command but QUIT then gets 503',
  'nested-mail-accepted': 'a second MAIL inside a transaction gets 250 instead of 503',
  'data-without-rcpt-354': 'DATA without an accepted RCPT gets 354 instead of 503',
  'null-sender-refused': 'MAIL FROM:<> gets 501',
  'postmaster-refused': 'RCPT TO:<Postmaster> gets 550',
  'source-route-refused': 'a source route (<@relay:user@domain>) in MAIL or RCPT gets 501',
  'short-line-limit': 'command lines over 100 octets get 500',
  'text-line-limit': 'a message with a text line over 500 octets gets 554 at end of data',
  'recipient-limit-10': 'the 11th recipient gets 452',
  'small-message-limit': 'a message over 32 KiB gets 552 at end of data',
  'vrfy-500': 'VRFY gets 500 (command unrecognised)',
  'help-500': 'HELP gets 500',
  'noop-args-refused': 'NOOP with an argument gets 501',
  'closes-on-unknown': 'an unknown verb gets 500 and the connection is closed',
  'helo-multiline': 'HELO gets a multi-line EHLO-style keyword list',
  'ehlo-refused': 'EHLO gets 500 (only HELO works)',
  'dot-transparency-broken':
    'in DATA, any line starting with "." ends the message (no dot-unstuffing)',
  'reply-too-long': 'the NOOP reply line is 600 octets long',
  'two-replies-to-noop': 'NOOP gets two 250 replies',
} as const;

export const EXTENSION_DEFECTS = {
  'size-not-enforced': 'SIZE is advertised, but MAIL SIZE= over it and a message over it get 250',
  'size-bad-syntax': 'EHLO advertises "SIZE abc" (not 1*20DIGIT)',
  'pipelining-reorders':
    'in a pipelined group, the reply to MAIL is sent after the reply to the next command',
  'pipelining-drops-input':
    'input pipelined after the final dot of DATA is discarded (QUIT there gets no reply)',
  'pipelining-waits':
    'replies to a group of pipelined commands are held until more input arrives (or 10 s pass)',
  '8bitmime-body-refused': 'MAIL BODY=8BITMIME gets 555 although 8BITMIME is advertised',
  'body-any-accepted': 'MAIL BODY=RABBIT (an unknown body type) gets 250 instead of 501',
  'smtputf8-refused': 'the MAIL parameter SMTPUTF8 gets 555 although SMTPUTF8 is advertised',
  'esc-missing': 'the MAIL and RCPT replies carry no enhanced status code (ENHANCEDSTATUSCODES)',
  'esc-wrong-class': 'NOOP gets "250 4.0.0": the enhanced class disagrees with the reply code',
  'dsn-params-refused': 'RET, ENVID, NOTIFY and ORCPT get 555 although DSN is advertised',
  'dsn-bad-accepted': 'RCPT NOTIFY=NEVER,SUCCESS gets 250 instead of 501',
  'bdat-eats-commands':
    'a BDAT refused out of sequence does not consume its octets; they are run as commands',
  'bdat-data-after-chunk': 'DATA after a non-LAST BDAT gets 354 instead of 503',
  'bdat-inband-dot':
    'CRLF.CRLF inside a BDAT chunk ends the message; the rest of the chunk is run as commands',
  'starttls-injection':
    'plaintext sent after STARTTLS in the same segment is run inside TLS (CVE-2011-0411)',
  'starttls-keeps-state':
    'STARTTLS keeps the EHLO and the envelope: MAIL inside TLS without a new EHLO gets 250',
  'starttls-twice': 'inside TLS, EHLO still lists STARTTLS and STARTTLS gets 220 again',
  'starttls-param-accepted': 'STARTTLS with a parameter gets 220 instead of 501',
  'auth-334-text': 'the empty AUTH PLAIN challenge is "334 go ahead" instead of "334 "',
  'auth-cancel-ignored': 'a "*" cancelling an AUTH exchange gets 535 instead of 501',
  'auth-bad-b64-535': 'an AUTH response that is not valid base64 gets 535 instead of 501',
  'auth-twice-allowed': 'AUTH after a successful AUTH is run (235) instead of getting 503',
  'auth-in-transaction': 'AUTH during a mail transaction is run (235) instead of getting 503',
  'auth-unknown-mech-535': 'AUTH with an unknown mechanism gets 535 instead of 504',
  'auth-short-line': 'an AUTH line over 1000 octets gets 500 "line too long" (RFC 4954: 12288)',
  'auth-mail-param-refused': 'MAIL FROM:<…> AUTH=<> gets 555',
  'auth-offered-in-clear': 'AUTH is advertised and accepted before STARTTLS',
  'smuggle-lf-dot-lf': 'in DATA, LF "." LF ends the message; what follows is run as commands',
  'smuggle-cr-dot-cr': 'in DATA, CR "." CR ends the message; what follows is run as commands',
  'smuggle-crlf-dot-lf': 'in DATA, CRLF "." LF ends the message; what follows is run as commands',
  'smuggle-lf-dot-crlf': 'in DATA, LF "." CRLF ends the message; what follows is run as commands',
  'smuggle-nul': 'in DATA, NULs are ignored, so CRLF NUL "." CRLF ends the message',
  'bare-lf-command': 'a command line ended by a bare LF is run',
  'bare-cr-command': 'a bare CR ends a command line (NOOP CR NOOP CRLF gets two replies)',
  'lmtp-one-reply': 'LMTP: one reply after the final dot instead of one per accepted recipient',
} as const;

/** What the server delivers (ScriptedServerOptions.deliver); the replies stay conforming. */
export const DELIVERY_DEFECTS = {
  'keeps-dot-stuffing': 'a dot-stuffed line is delivered with its leading period kept',
  'strips-8th-bit': 'every delivered octet has its high-order bit cleared',
  'delivers-twice': 'an accepted message is delivered twice',
  'delivers-on-drop':
    'a connection closed in the middle of DATA delivers the lines received so far',
  'runs-after-quit':
    'QUIT gets 221, but the commands read with it still run (and deliver) before the close',
  'loses-message': 'a message gets 250 but is never delivered',
} as const;

export const DEFECTS = { ...CORE_DEFECTS, ...EXTENSION_DEFECTS, ...DELIVERY_DEFECTS } as const;

/**
 * An RFC 5321 core defect. Kept to the core group because test/integration/broken-servers.test.ts
 * types its guard table `Record<Defect, …>` against the rfc5321 suites; the extension suites'
 * guard table can be `Record<ExtensionDefect, …>`, the capture suite's `Record<DeliveryDefect, …>`.
 */
export type Defect = keyof typeof CORE_DEFECTS;
export type ExtensionDefect = keyof typeof EXTENSION_DEFECTS;
export type DeliveryDefect = keyof typeof DELIVERY_DEFECTS;
/** Any defect a scripted server can be started with. */
export type ServerDefect = Defect | ExtensionDefect | DeliveryDefect;

export const DEFECT_NAMES = Object.keys(DEFECTS) as ServerDefect[];
export const EXTENSION_DEFECT_NAMES = Object.keys(EXTENSION_DEFECTS) as ExtensionDefect[];
