import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ReplyOutput, type AfterReply } from '../../src/targets/sink-reply-output.js';

/**
 * The sink's held replies: never before their time, in order, and nothing after dispose().
 * How soon after their time they leave is a figure for bench:load (scenario 4), not a test.
 */
interface Write {
  text: string;
  after: AfterReply;
  at: number;
}

function recorder(): { output: ReplyOutput; writes: Write[] } {
  const writes: Write[] = [];
  const output = new ReplyOutput((bytes, after) =>
    writes.push({ text: bytes?.toString('latin1') ?? '', after, at: performance.now() }),
  );
  return { output, writes };
}

const settled = (output: ReplyOutput) => new Promise<void>((resolve) => output.whenEmpty(resolve));

describe('ReplyOutput', () => {
  it('writes ready replies in one write at flush', () => {
    const { output, writes } = recorder();
    output.push(Buffer.from('250 a\r\n'), 0);
    output.push(Buffer.from('250 b\r\n'), 0, 'close');
    expect(writes).toEqual([]);
    output.flush();
    expect(writes.map((w) => [w.text, w.after])).toEqual([['250 a\r\n250 b\r\n', 'close']]);
  });

  it.each([0.3, 1.2, 2.5, 4])(
    'holds a reply delayed %s ms until its time, by timer or by looking',
    async (delayMs) => {
      const { output, writes } = recorder();
      const pushedAt = performance.now();
      output.push(Buffer.from('250 held\r\n'), delayMs);
      const done = settled(output);
      output.flush();
      expect(writes).toEqual([]);
      await done;
      expect(writes).toHaveLength(1);
      expect(writes[0]!.at - pushedAt).toBeGreaterThanOrEqual(delayMs);
      expect(output.heldCount).toBe(0);
    },
  );

  it('keeps the order: a reply behind a held one waits for it', async () => {
    const { output, writes } = recorder();
    output.push(Buffer.from('1\r\n'), 3);
    output.push(Buffer.from('2\r\n'), 0);
    output.push(Buffer.from('3\r\n'), 1, 'drop');
    output.push(Buffer.from('4\r\n'), 0);
    const done = settled(output);
    output.flush();
    await done;
    expect(writes.map((w) => w.text).join('')).toBe('1\r\n2\r\n3\r\n4\r\n');
    // The action travels with the write that carried its reply, and ends that write.
    expect(writes.find((w) => w.after === 'drop')?.text.endsWith('3\r\n')).toBe(true);
  });

  it('writes nothing after dispose, in either phase of the wait', async () => {
    for (const delayMs of [0.5, 5]) {
      const { output, writes } = recorder();
      output.push(Buffer.from('250 late\r\n'), delayMs);
      output.flush();
      output.dispose();
      await new Promise((resolve) => setTimeout(resolve, delayMs + 10));
      expect(writes).toEqual([]);
      expect(output.heldCount).toBe(0);
    }
  });
});
