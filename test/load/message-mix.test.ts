import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { type ComposeContext, composeShape, mailOptions } from '../../src/load/compose-shape.js';
import { AttachmentFiller, base64Length, textBody } from '../../src/load/message-content.js';
import { buildMessageSet, type MessageShape } from '../../src/load/message-mix.js';
import { Random } from '../../src/load/random.js';
import {
  DEFAULT_SIZE_DISTRIBUTION,
  type MessageMix,
  PROFILE_DEFAULTS,
} from '../../src/suite/profile-model.js';

const ENVELOPE = { sender: 'load@example.test', recipientPrefix: 'user', domain: 'example.test' };
const DATE = new Date(Date.UTC(2026, 10, 23, 9, 0, 0));

function mix(overrides: Partial<MessageMix> = {}): MessageMix {
  return {
    size: DEFAULT_SIZE_DISTRIBUTION,
    recipients: { kind: 'fixed', value: 1 },
    attachments: { kind: 'fixed', value: 0 },
    shapes: PROFILE_DEFAULTS.shapes,
    eightBit: false,
    ...overrides,
  };
}

/** What a receiver reads from DATA octets (RFC 5321 §4.5.2): up to CRLF "." CRLF, unstuffed. */
function receive(data: Buffer): Buffer {
  const text = `\r\n${data.toString('latin1')}`;
  const end = text.indexOf('\r\n.\r\n');
  const lines = text.slice(2, end + 2).split('\r\n');
  return Buffer.from(lines.map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n'), 'latin1');
}

function checkForms(shape: MessageShape): void {
  const text = shape.data.toString('latin1');
  expect(text.endsWith('\r\n.\r\n')).toBe(true);
  // The only line that is a lone "." is the terminator; stuffing undoes exactly.
  expect(text.indexOf('\r\n.\r\n')).toBe(text.length - 5);
  expect(text.startsWith('.\r\n')).toBe(false);
  expect(receive(shape.data).equals(shape.raw)).toBe(true);
  const command = `BDAT ${shape.size} LAST\r\n`;
  expect(shape.bdat.subarray(0, command.length).toString('latin1')).toBe(command);
  expect(shape.bdat.subarray(command.length).equals(shape.raw)).toBe(true);
  expect(shape.raw.length).toBe(shape.size);
}

describe('message content filler', () => {
  it('makes text bodies of exactly the asked length, CRLF-terminated, dotted lines included', () => {
    for (const length of [2, 3, 77, 78, 79, 80, 156, 157, 158, 5000, 100_003]) {
      for (const eightBit of [false, true]) {
        const body = textBody(length, eightBit);
        expect({ length, eightBit, got: body.length }).toEqual({ length, eightBit, got: length });
        expect(body.subarray(-2).toString('latin1')).toBe('\r\n');
        const lines = body.toString('latin1').split('\r\n').slice(0, -1);
        expect(lines.every((line) => line.length <= 76)).toBe(true);
      }
    }
    expect(textBody(5000, false).includes('\r\n. quis')).toBe(true);
    expect(textBody(5000, false).every((octet) => octet < 0x80)).toBe(true);
    expect(textBody(5000, true).some((octet) => octet >= 0x80)).toBe(true);
  });

  it('encodes attachments exactly as Buffer base64 wrapped at 76 columns', () => {
    const filler = new AttachmentFiller(7);
    for (const raw of [0, 1, 2, 3, 56, 57, 58, 3647, 3648, 3649, 10_000, 7296]) {
      const encoded = filler.encoded(raw).toString('latin1');
      const expected = (
        filler
          .raw(raw)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n');
      expect({ raw, same: encoded === expected }).toEqual({ raw, same: true });
      expect(encoded.length).toBe(base64Length(raw));
    }
  });
});

describe('composeShape', () => {
  const ctx: ComposeContext = {
    sender: ENVELOPE.sender,
    to: 'user1@example.test',
    domain: ENVELOPE.domain,
    date: DATE,
    baseBoundary: '0123456789abcdef',
    runTag: 'test',
    filler: new AttachmentFiller(1),
  };

  it('is byte for byte what MailComposer builds from the same filler', async () => {
    // 78 consecutive sizes: the text's last line takes every length once.
    const cases = [...Array.from({ length: 78 }, (_, i) => [0, 9000 + i]), [1, 9000], [3, 20_000]];
    for (const [attachments, size] of cases as [number, number][]) {
      const shape = await composeShape({ index: 4, size, attachments, eightBit: false }, ctx);
      const composed = Buffer.concat(shape.parts);
      expect(composed.length).toBe(size);
      const text = textBody(shape.textOctets, false).toString('latin1');
      const contents = shape.attachmentOctets.map((n) => ctx.filler.raw(n));
      const reference = await new MailComposer(mailOptions(4, ctx, text, contents))
        .compile()
        .build();
      expect({ attachments, size, same: composed.equals(reference) }).toEqual({
        attachments,
        size,
        same: true,
      });
    }
  });

  it('marks an 8-bit text part 8bit and keeps the octets as they are', async () => {
    for (const attachments of [0, 2]) {
      const shape = await composeShape({ index: 0, size: 6000, attachments, eightBit: true }, ctx);
      const composed = Buffer.concat(shape.parts);
      const text = composed.toString('latin1');
      expect(composed.length).toBe(6000);
      expect(text).toContain('Content-Transfer-Encoding: 8bit');
      expect(text).not.toContain('Content-Transfer-Encoding: 7bit');
      expect(text).not.toContain('quoted-printable');
      expect(composed.toString('utf8')).toContain('Grüße aus Köln');
    }
  });
});

describe('buildMessageSet', () => {
  it('hits each drawn size exactly above the MIME minimum, with every form well made', async () => {
    const set = await buildMessageSet(
      mix({
        size: { kind: 'uniform', min: 500, max: 300_000 },
        attachments: { kind: 'uniform', min: 0, max: 3 },
        shapes: 24,
      }),
      { seed: 5, envelope: ENVELOPE, date: DATE },
    );
    expect(set.shapes).toHaveLength(24);
    for (const shape of set.shapes) {
      checkForms(shape);
      if (shape.targetSize > 2000) expect(shape.size).toBe(shape.targetSize);
      else expect(shape.size).toBeLessThan(2000);
    }
    expect(new Set(set.shapes.map((s) => s.attachments)).size).toBeGreaterThan(1);
  });

  it('follows the default mix: median near 4 KB over many picks, tail capped at 10 MiB', async () => {
    const set = await buildMessageSet(mix(), { seed: 1, envelope: ENVELOPE, date: DATE });
    set.shapes.forEach(checkForms);
    const random = new Random(1, 99);
    const sizes = Array.from({ length: 100_000 }, () => set.next(random).shape.size);
    sizes.sort((a, b) => a - b);
    const median = sizes[sizes.length >> 1]!;
    expect(median).toBeGreaterThan(4274 * 0.85);
    expect(median).toBeLessThan(4274 * 1.15);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(set.stats.storedBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('is reproducible: same seed, same bytes and same pick sequence', async () => {
    const opts = { seed: 77, envelope: ENVELOPE, date: DATE };
    const recipients = { kind: 'uniform' as const, min: 1, max: 5 };
    const [a, b] = await Promise.all([
      buildMessageSet(mix({ shapes: 8, recipients }), opts),
      buildMessageSet(mix({ shapes: 8, recipients }), opts),
    ]);
    a.shapes.forEach((shape, i) => expect(shape.data.equals(b.shapes[i]!.data)).toBe(true));
    const picks = (set: typeof a): string[] => {
      const random = new Random(77, 3);
      return Array.from({ length: 500 }, () => {
        const m = set.next(random);
        return `${m.shape.index}/${m.recipients}`;
      });
    };
    expect(picks(a)).toEqual(picks(b));
    expect(new Set(picks(a).map((p) => p.split('/')[1])).size).toBe(5);
    const other = await buildMessageSet(mix({ shapes: 8 }), { ...opts, seed: 78 });
    expect(other.shapes[3]!.raw.equals(a.shapes[3]!.raw)).toBe(false);
  });

  it('keeps recipient counts within 1 and maxRecipients', async () => {
    const set = await buildMessageSet(
      mix({ shapes: 2, recipients: { kind: 'uniform', min: -5, max: 50 } }),
      { seed: 2, envelope: ENVELOPE, date: DATE, maxRecipients: 20 },
    );
    const random = new Random(4);
    const counts = Array.from({ length: 2000 }, () => set.pickRecipients(random));
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(20);
  });

  it('cuts shapes to the per-shape and total bounds and counts them', async () => {
    const set = await buildMessageSet(
      mix({ shapes: 10, size: { kind: 'uniform', min: 400_000, max: 600_000 } }),
      {
        seed: 3,
        envelope: ENVELOPE,
        date: DATE,
        maxShapeBytes: 500_000,
        maxTotalBytes: 6_000_000,
      },
    );
    // Total bound: 2 × sizes ≤ 6 MB, so sizes average at most 300 000.
    expect(set.stats.clampedShapes).toBe(10);
    for (const shape of set.shapes) expect(shape.size).toBeLessThanOrEqual(300_000);
    expect(set.stats.storedBytes).toBeLessThanOrEqual(6_000_000 + 10 * 100);
  });
});
