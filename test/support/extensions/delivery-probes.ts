import { TRANSACTION, afterEhlo, code, pipelined, replyCodes } from '../probe-helpers.js';
import type { DefectProbe } from '../probe-helpers.js';
import type { DeliveredMessage } from '../smtp-outcome.js';
import type { DeliveryDefect } from '../smtp-defects.js';

/**
 * Probes of the delivery defects: what a scripted server hands to its `deliver` option. Each
 * probe owns the list both of its servers deliver into (through the probe's options) and
 * clears it before each run. A server hands a message on before it sends the 250, so once a
 * reply (or the close) is read, its deliveries are in the list. See defect-probes.ts.
 */
/** How long a dropped connection is given to deliver, at most. */
const DROP_WAIT_MS = 1000;

type Exchange = (port: number) => Promise<string>;
type Observe = (messages: readonly DeliveredMessage[], replies: string) => string;

function deliveryProbe(
  exchange: (port: number, arrival: () => Promise<void>) => Promise<string>,
  observe: Observe,
  expected: { conforming: string; broken: string },
): DefectProbe {
  const messages: DeliveredMessage[] = [];
  let wake: (() => void) | undefined;
  const arrival = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DROP_WAIT_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    options: {
      deliver: (message) => {
        messages.push(message);
        wake?.();
      },
    },
    probe: async (port) => {
      messages.length = 0;
      const replies = await exchange(port, arrival);
      return observe(messages, replies);
    },
    ...expected,
  };
}

/** One transaction carrying `body` (the data, final dot included); the reply code to it. */
const transaction =
  (body: string): Exchange =>
  async (port) => {
    const client = await afterEhlo(port);
    await pipelined(client, TRANSACTION, 3);
    return code(await client.exchange(body));
  };

const count: Observe = (messages, replies) => `${replies} ${messages.length} delivered`;
const latin1 = (messages: readonly DeliveredMessage[]) =>
  messages.map((m) => JSON.stringify(m.raw.toString('latin1'))).join(' ');
const hex = (messages: readonly DeliveredMessage[]) =>
  messages.map((m) => m.raw.toString('hex')).join(' ');

export const DELIVERY_PROBES = {
  'keeps-dot-stuffing': deliveryProbe(
    transaction('Subject: t\r\n\r\n..lead\r\n.\r\n'),
    (messages) => latin1(messages),
    {
      conforming: JSON.stringify('Subject: t\r\n\r\n.lead\r\n'),
      broken: JSON.stringify('Subject: t\r\n\r\n..lead\r\n'),
    },
  ),
  'strips-8th-bit': deliveryProbe(transaction('\xe9\xff\r\n.\r\n'), (messages) => hex(messages), {
    conforming: 'e9ff0d0a',
    broken: '697f0d0a',
  }),
  'delivers-twice': deliveryProbe(transaction('Subject: t\r\n\r\nx\r\n.\r\n'), count, {
    conforming: '250 1 delivered',
    broken: '250 2 delivered',
  }),
  'loses-message': deliveryProbe(transaction('Subject: t\r\n\r\nx\r\n.\r\n'), count, {
    conforming: '250 1 delivered',
    broken: '250 0 delivered',
  }),
  'delivers-on-drop': deliveryProbe(
    async (port, arrival) => {
      const client = await afterEhlo(port);
      const replies = await pipelined(client, TRANSACTION, 3);
      const arrived = arrival();
      client.send('Subject: t\r\n\r\nhalf\r\n');
      client.close(); // the lines sent go before the FIN
      await arrived;
      return replies;
    },
    count,
    { conforming: '250,250,354 0 delivered', broken: '250,250,354 1 delivered' },
  ),
  'runs-after-quit': deliveryProbe(
    async (port) => {
      const client = await afterEhlo(port);
      client.send(`QUIT\r\n${TRANSACTION}Subject: t\r\n\r\nx\r\n.\r\n`);
      return replyCodes(await client.collect(DROP_WAIT_MS));
    },
    count,
    { conforming: '221 0 delivered', broken: '221,250,250,354,250 1 delivered' },
  ),
} satisfies Record<DeliveryDefect, DefectProbe>;
