import type { AmqpBroker } from '../../amqp/broker.ts';
import { ChannelModel } from './channel-model.ts';
import { IllegalOperationError } from './errors.ts';

export { ChannelModel, crashConnection } from './channel-model.ts';
export { Channel, ConfirmChannel, type Message, type MessageFields } from './channel.ts';
export { IllegalOperationError } from './errors.ts';

/** Socket options of `connect`; only `clientProperties.connection_name` matters (it labels the connection). */
export interface SocketOptions {
  clientProperties?: { connection_name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The module object `require('amqplib')` resolves to in a simulated program. */
export interface AmqplibModule {
  connect(url?: string | { protocol?: string; hostname?: string; [key: string]: unknown },
    socketOptions?: SocketOptions): Promise<ChannelModel>;
  credentials: {
    plain(username: string, password: string): { mechanism: string; username: string; password: string };
    amqplain(username: string, password: string): { mechanism: string; username: string; password: string };
    external(): { mechanism: string };
  };
  IllegalOperationError: typeof IllegalOperationError;
}

/**
 * Builds an amqplib 0.10 promise-API module (`require('amqplib')`) whose connections talk to `broker`.
 * `connect(url)` accepts any amqp:// or amqps:// URL (host and credentials are ignored) and rejects with amqplib's
 * Error("Expected amqp: or amqps: as the protocol; got http:") otherwise. The connection is labelled with
 * `socketOptions.clientProperties.connection_name` if given, else "connection N". Opening takes one round trip.
 * Source: node_modules/amqplib/channel_api.js, lib/connect.js.
 */
export function createAmqplib(broker: AmqpBroker): AmqplibModule {
  let connections = 0;
  return {
    connect(url, socketOptions) {
      return new Promise<ChannelModel>((resolve) => {
        const protocol = protocolOf(url);
        if (protocol !== 'amqp:' && protocol !== 'amqps:') {
          throw new Error(`Expected amqp: or amqps: as the protocol; got ${protocol}`);
        }
        connections++;
        const name = socketOptions?.clientProperties?.connection_name;
        const label = typeof name === 'string' && name !== '' ? name : `connection ${connections}`;
        new ChannelModel(broker, label, resolve);
      });
    },
    credentials: {
      plain: (username, password) => ({ mechanism: 'PLAIN', username, password }),
      amqplain: (username, password) => ({ mechanism: 'AMQPLAIN', username, password }),
      external: () => ({ mechanism: 'EXTERNAL' }),
    },
    IllegalOperationError,
  };
}

/** The URL's protocol as amqplib sees it: 'amqp:' for no or an empty URL (amqplib's default amqp://localhost);
 * 'localhost' ⇒ '' and 'localhost:5672' ⇒ 'localhost:' (url-parse's reading, verified with amqplib 0.10.9). */
function protocolOf(url: unknown): string {
  if (!url) return 'amqp:';
  if (typeof url === 'object') return `${String((url as { protocol?: string }).protocol || 'amqp')}:`;
  const match = /^([a-z][a-z0-9+.-]*:)/i.exec(String(url));
  return match ? match[1].toLowerCase() : '';
}
