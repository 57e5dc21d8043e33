/**
 * Transparency for DATA (RFC 5321 §4.5.2).
 *
 *   stuffed  = each line that starts with "." gets one more "." in front
 *   line     = the start of the body, or the octets after a CRLF
 *   body     = stuffed [ CRLF ]      ; CRLF appended unless the body already ends in CRLF
 *   data     = body "." CRLF          ; encodeDataBody
 *
 * Only CRLF starts a line. A bare LF or a bare CR is content: nothing after it is stuffed and
 * it is not turned into CRLF, so a suite can send `\n.\n` on purpose (SMTP smuggling tests).
 * An empty body stays empty (the message is just the terminating `.` CRLF).
 */
const CRLF = Buffer.from('\r\n', 'latin1');
const DOT = 0x2e;
const CRLF_DOT = Buffer.from('\r\n.', 'latin1');
const TERMINATOR = Buffer.from('.\r\n', 'latin1');

export function dotStuff(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  if (body[0] === DOT) parts.push(Buffer.from('.', 'latin1'));
  let start = 0;
  for (let at = body.indexOf(CRLF_DOT); at !== -1; at = body.indexOf(CRLF_DOT, at + 2)) {
    parts.push(body.subarray(start, at + 2), Buffer.from('.', 'latin1'));
    start = at + 2;
  }
  parts.push(body.subarray(start));
  if (!endsWithCrlf(body)) parts.push(CRLF);
  return Buffer.concat(parts);
}

/** The octets to send after the 354 reply: the stuffed body and the `.` CRLF terminator. */
export function encodeDataBody(body: Buffer): Buffer {
  return Buffer.concat([dotStuff(body), TERMINATOR]);
}

function endsWithCrlf(body: Buffer): boolean {
  return body.length >= 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === 0x0a;
}
