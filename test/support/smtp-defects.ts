/**
 * The rules a scripted test server can be told to break, one each. The description says what a
 * client observes; test/targets/scripted-server.test.ts checks every one of them against the
 * conforming default.
 */
export const DEFECTS = {
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

export type Defect = keyof typeof DEFECTS;

export const DEFECT_NAMES = Object.keys(DEFECTS) as Defect[];
