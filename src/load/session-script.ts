import type { EnvelopeOptions } from '../suite/profile-model.js';
import { DEFAULT_MAX_RECIPIENTS } from './message-mix.js';

/**
 * Every command line a load session sends, serialised once per run and shared by all its
 * sessions (read-only). Envelopes are cached per recipient count, so a transaction writes
 * buffers that already exist:
 *
 *   MAIL FROM:<sender>[ BODY=8BITMIME] CRLF
 *   RCPT TO:<prefix1@domain> CRLF … RCPT TO:<prefixN@domain> CRLF      ; N = recipient count
 *   [DATA CRLF]                                                         ; pipelined DATA only
 *
 * Recipients of a message with N recipients are always prefix1 … prefixN. `BODY=8BITMIME` is
 * sent when the mix is 8-bit and the server offers 8BITMIME (without the offer the 8-bit
 * message is still sent, as a real client might). No `SIZE=` parameter is sent.
 *
 * The AUTH PLAIN line holds the credentials in base64: it is written to the socket and never
 * shown; `secrets` lists what a redactor must hide in server text that gets reported.
 */
export interface SessionScriptOptions {
  helo: string;
  envelope: EnvelopeOptions;
  eightBit: boolean;
  /** AUTH PLAIN credentials; required when a session authenticates. */
  credentials?: { username: string; password: string };
  maxRecipients?: number;
}

const line = (text: string): Buffer => Buffer.from(`${text}\r\n`, 'utf8');

export class SessionScript {
  readonly ehlo: Buffer;
  readonly starttls = line('STARTTLS');
  readonly data = line('DATA');
  readonly rset = line('RSET');
  readonly quit = line('QUIT');
  /** `.` CRLF: ends a DATA that got 354 although no recipient was accepted (RFC 2920 §3.1). */
  readonly emptyData = line('.');
  /** `AUTH PLAIN <base64>` CRLF, and the bare response for a server that answers 334 first. */
  readonly authPlain: Buffer | undefined;
  readonly authResponse: Buffer | undefined;
  readonly secrets: readonly string[];
  readonly maxRecipients: number;
  private readonly mailFromLines: readonly [Buffer, Buffer];
  private readonly rcptLines: Buffer[] = [];
  /** Envelope cache: [bodyParam ? 1 : 0][withData ? 1 : 0][recipients]. */
  private readonly envelopes: Buffer[][][] = [
    [[], []],
    [[], []],
  ];

  constructor(private readonly opts: SessionScriptOptions) {
    this.ehlo = line(`EHLO ${opts.helo}`);
    const sender = opts.envelope.sender;
    this.mailFromLines = [
      line(`MAIL FROM:<${sender}>`),
      line(`MAIL FROM:<${sender}> BODY=8BITMIME`),
    ];
    this.maxRecipients = opts.maxRecipients ?? DEFAULT_MAX_RECIPIENTS;
    const credentials = opts.credentials;
    if (credentials) {
      const plain = Buffer.from(`\0${credentials.username}\0${credentials.password}`, 'utf8');
      const encoded = plain.toString('base64');
      this.authPlain = line(`AUTH PLAIN ${encoded}`);
      this.authResponse = line(encoded);
      this.secrets = [credentials.password, encoded];
    } else {
      this.secrets = [];
    }
  }

  get eightBit(): boolean {
    return this.opts.eightBit;
  }

  mailFrom(bodyParam: boolean): Buffer {
    return this.mailFromLines[bodyParam ? 1 : 0];
  }

  /** `RCPT TO:<prefix{n}@domain>` CRLF, n from 1. */
  rcpt(n: number): Buffer {
    let cached = this.rcptLines[n];
    if (cached === undefined) {
      const { recipientPrefix, domain } = this.opts.envelope;
      cached = line(`RCPT TO:<${recipientPrefix}${n}@${domain}>`);
      this.rcptLines[n] = cached;
    }
    return cached;
  }

  /** MAIL, `recipients` RCPTs and (withData) DATA, as one buffer; built once per combination. */
  envelope(recipients: number, bodyParam: boolean, withData: boolean): Buffer {
    const cache = this.envelopes[bodyParam ? 1 : 0]![withData ? 1 : 0]!;
    let cached = cache[recipients];
    if (cached === undefined) {
      const parts = [this.mailFrom(bodyParam)];
      for (let n = 1; n <= recipients; n++) parts.push(this.rcpt(n));
      if (withData) parts.push(this.data);
      cached = Buffer.concat(parts);
      cache[recipients] = cached;
    }
    return cached;
  }
}
