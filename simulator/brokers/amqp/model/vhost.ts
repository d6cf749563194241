import { makeExchange, PREDECLARED_EXCHANGES, type BrokerExchange } from './exchange.ts';
import type { BrokerQueue } from './queue.ts';

/** The virtual host every RabbitMQ node has, and the one amqplib opens when the URL names none. */
export const DEFAULT_VHOST = '/';

/**
 * A virtual host: a separate namespace of queues and exchanges inside one broker (bindings live on the exchanges,
 * so they are per vhost too). A connection opens exactly one vhost (connection.open's `virtual-host` field) and every
 * name it uses is looked up there: a queue 'q' in vhost 'a' and a queue 'q' in vhost 'b' are two queues. Each vhost
 * has its own pre-declared exchanges (the default exchange '' and the `amq.*` ones).
 * Source: https://www.rabbitmq.com/docs/vhosts; verified against RabbitMQ 3.10 by
 * test/conformance/amqp/46-virtual-hosts.mjs.
 */
export class VirtualHost {
  readonly name: string;
  readonly queues = new Map<string, BrokerQueue>();
  /** Every exchange of the vhost, the pre-declared ones included (see exchange.ts). */
  readonly exchanges: Map<string, BrokerExchange>;

  constructor(name: string) {
    this.name = name;
    this.exchanges = new Map(PREDECLARED_EXCHANGES.map(({ name: x, type }) => [x, makeExchange(x, type, true, false, false)]));
  }

  /**
   * How a queue or exchange of this vhost is named in the trace: its own name in the default vhost '/' (so every
   * trace from before vhosts existed reads the same), else `<vhost>/<name>` — the form of RabbitMQ's HTTP API paths
   * (/api/queues/<vhost>/<name>) — so that same-named queues of two vhosts stay two nodes in a view.
   */
  traceName(name: string): string {
    return this.name === DEFAULT_VHOST ? name : `${this.name}/${name}`;
  }
}

/**
 * RabbitMQ's way of naming a resource in error texts (rabbit_misc:rs/1): `queue 'q' in vhost '/'`,
 * `exchange 'x' in vhost 'shop'`.
 */
export function resourceText(kind: 'queue' | 'exchange', name: string, vhost: string): string {
  return `${kind} '${name}' in vhost '${vhost}'`;
}
