import { interpolate } from '../core/template.js';

/**
 * A generated test message of exactly `size` octets (everything before the final `.` line):
 *
 * ```
 * From: <sender>\r\n
 * To: <recipient>\r\n
 * Subject: smtpgauge generated message (65536 octets)\r\n
 * Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n
 * Message-ID: <smtpgauge.1700000000000@client.example.test>\r\n
 * \r\n
 * xxxx…x\r\n          (lines of `lineLength` octets, the last one shorter)
 * ```
 *
 * Body lines never start with a dot, so stuffing does not change the size.
 */
export function generateMessage(
  size: number,
  lineLength: number,
  vars: Readonly<Record<string, string>>,
): Buffer {
  const fullLine = Buffer.from('x'.repeat(lineLength) + '\r\n', 'latin1');
  let header = headerBlock(vars, size, '');
  // A leftover of one octet cannot be a CRLF-terminated line: pad the header by one instead.
  if ((size - header.length) % fullLine.length === 1) header = headerBlock(vars, size, ' ');
  let remaining = size - header.length;
  if (remaining < 0) return Buffer.from(header.subarray(0, Math.max(0, size)));
  const parts: Buffer[] = [header];
  while (remaining >= fullLine.length) {
    parts.push(fullLine);
    remaining -= fullLine.length;
  }
  if (remaining > 0) parts.push(Buffer.from('y'.repeat(remaining - 2) + '\r\n', 'latin1'));
  return Buffer.concat(parts);
}

function headerBlock(vars: Readonly<Record<string, string>>, size: number, pad: string): Buffer {
  const get = (name: string, fallback: string) => {
    const r = interpolate(`\${${name}}`, vars);
    return r.ok ? r.text : fallback;
  };
  const lines = [
    `From: <${get('sender', 'sender@example.test')}>`,
    `To: <${get('recipient', 'postmaster@example.test')}>`,
    `Subject: smtpgauge generated message (${size} octets)${pad}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <smtpgauge.${Date.now()}@${get('client', 'client.example.test')}>`,
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** Text written in a suite: LF or CRLF line breaks become CRLF, and the text ends with CRLF. */
export function textBody(text: string): Buffer {
  const crlf = text.replace(/\r?\n/g, '\r\n');
  return Buffer.from(crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`, 'utf8');
}
