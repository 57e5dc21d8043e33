import { createTransport } from 'nodemailer';
import type { Transporter } from 'nodemailer';

/**
 * Forwards accepted messages to a next hop over SMTP (the reference target with `relay`, the
 * capture sink's usual feeder). The raw bytes go as they are; nodemailer dot-stuffs them.
 * Only plain SMTP on loopback: no TLS, no AUTH.
 */
export interface RelayHop {
  host: string;
  port: number;
}

export interface Relay {
  forward(envelope: { from: string; to: string[] }, raw: Buffer): Promise<void>;
  close(): void;
}

export function createRelay(hop: RelayHop): Relay {
  const transport: Transporter = createTransport({
    host: hop.host,
    port: hop.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 2,
    name: 'relay.example.test',
  });
  return {
    async forward(envelope, raw) {
      await transport.sendMail({ envelope, raw });
    },
    close: () => transport.close(),
  };
}
