import { SINK_VERBS, VERB_COUNT } from './sink-command-line.js';
import type { SinkVerb } from './sink-command-line.js';

/** What the sink has seen since it started; a snapshot, safe to keep. */
export interface SinkStats {
  /** Connections accepted (including those refused with 421 for maxConnections). */
  connections: number;
  /** Connections open now. */
  openConnections: number;
  /** Connections greeted with 421 because maxConnections were open. */
  refusedConnections: number;
  /** Messages answered 250 at their end (DATA's "." or BDAT … LAST). */
  messages: number;
  /** Content octets of those messages (dot-stuffing removed, chunk framing excluded). */
  messageOctets: number;
  /** Every octet read from clients: commands and message data, after TLS decryption. */
  bytesReceived: number;
  /** Command lines by verb; `OTHER` counts unrecognised lines (AUTH responses are not commands). */
  commands: Record<SinkVerb | 'OTHER', number>;
  /** Replies replaced by an injected fault. */
  faults: { tempFail: number; permFail: number; disconnect: number };
}

/** The running totals the sessions update; plain fields, so counting costs an increment. */
export class SinkCounters {
  connections = 0;
  refusedConnections = 0;
  messages = 0;
  messageOctets = 0;
  bytesReceived = 0;
  tempFails = 0;
  permFails = 0;
  disconnects = 0;
  /** Indexed by verb id (SINK_VERBS, then UNKNOWN_VERB). */
  readonly commands: number[] = new Array<number>(VERB_COUNT).fill(0);

  snapshot(openConnections: number): SinkStats {
    const commands = Object.fromEntries(
      [...SINK_VERBS, 'OTHER' as const].map((verb, id) => [verb, this.commands[id] ?? 0]),
    ) as SinkStats['commands'];
    return {
      connections: this.connections,
      openConnections,
      refusedConnections: this.refusedConnections,
      messages: this.messages,
      messageOctets: this.messageOctets,
      bytesReceived: this.bytesReceived,
      commands,
      faults: {
        tempFail: this.tempFails,
        permFail: this.permFails,
        disconnect: this.disconnects,
      },
    };
  }
}
