import { describe, expect, it } from 'vitest';
import { checkMailbox } from '../../src/targets/mailbox-syntax.js';

describe('checkMailbox (RFC 5321 §4.1.2 Mailbox)', () => {
  it.each([
    ['user@example.test', false, 'ok'],
    ['first.last+tag@sub.example.test', false, 'ok'],
    ['"quoted local"@example.test', false, 'ok'],
    ['u@[192.0.2.1]', false, 'ok'],
    ['u@[IPv6:2001:db8::1]', false, 'ok'],
    ['u@xn--bcher-kva.example', false, 'ok'],
    ['u@b\u00fccher.example', false, 'ok'],
    ['\u00e9@example.test', true, 'ok'],
    ['\u00e9@example.test', false, 'needs-smtputf8'],
    ['a@foo_bar.example', false, 'syntax'],
    ['a@-foo.example', false, 'syntax'],
    ['a@foo-.example', false, 'syntax'],
    ['.a@example.test', false, 'syntax'],
    ['a..b@example.test', false, 'syntax'],
    ['a@example..test', false, 'syntax'],
    ['a@[300.1.1.1]', false, 'syntax'],
    ['a@[IPv6:nonsense]', false, 'syntax'],
    ['no-at-sign', false, 'syntax'],
    [`${'a'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(61)}`, false, 'ok'],
    [`${'a'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(62)}`, false, 'syntax'],
    [`a@${'d'.repeat(64)}.example`, false, 'syntax'],
  ] as const)('%j (SMTPUTF8 %s) is %s', (mailbox, utf8, verdict) => {
    expect(checkMailbox(mailbox, utf8)).toBe(verdict);
  });
});
