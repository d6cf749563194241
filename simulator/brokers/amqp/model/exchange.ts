/**
 * Exchanges, their bindings and how they route (RabbitMQ semantics, AMQP 0-9-1).
 *
 * - The default exchange '' is a direct exchange every queue is bound to by its own name: routing key K goes to
 *   queue K (https://www.rabbitmq.com/docs/exchanges#default-exchange). It cannot be bound, unbound or deleted.
 * - direct: the queues bound with a binding key equal to the routing key.
 * - fanout: every bound queue; the routing key is ignored.
 * - topic: binding keys are patterns of words separated by '.': `*` matches exactly one word, `#` zero or more
 *   words. Words may be empty ("a." is "a" and ""), but the key "" has no words at all; see `topicWords` and
 *   `topicMatches`.
 * - headers: the routing key is ignored; a binding's arguments (other than `x-…`) are compared with the message's
 *   headers: `x-match: all` (the default) needs every one present and equal, `x-match: any` at least one.
 * - An exchange declared with `alternate-exchange` hands a message it cannot route to that exchange (same routing
 *   key; the message keeps its original exchange name), following chains, once per exchange
 *   (https://www.rabbitmq.com/docs/ae).
 * - Exchange-to-exchange bindings (a RabbitMQ extension, https://www.rabbitmq.com/docs/e2e): a binding's
 *   destination can be another exchange, which then routes the message by its own type with the same routing key,
 *   and so on; each exchange is visited at most once per message (cycles and self-bindings are harmless), and an
 *   exchange that matches no binding at all hands the message to its alternate exchange (rabbit_exchange:route1).
 *   The broker walks that graph (broker.ts `routeGraph`); `route` gives one exchange's matching bindings.
 * A queue bound several times to the same exchange (different keys), or reached along several paths, gets ONE copy
 * of a message.
 * Sources: https://www.rabbitmq.com/tutorials/amqp-concepts#exchanges, https://www.rabbitmq.com/docs/exchanges;
 * every rule checked against RabbitMQ 3.10 by test/conformance/amqp/23-exchanges.mjs.
 */
export const DEFAULT_EXCHANGE = '';

/** Exchange types the model routes. */
export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';

/** Types RabbitMQ 3.10 knows out of the box (declaring another one is a 503 connection error). */
export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];

/** What a binding delivers to: a queue, or another exchange (exchange-to-exchange binding). */
export type DestinationKind = 'queue' | 'exchange';

/** A binding of an exchange (its source) to a queue or to another exchange. */
export interface Binding {
  /** Name of the queue or exchange the binding delivers to. */
  destination: string;
  kind: DestinationKind;
  /** The binding key (a pattern for topic exchanges). */
  key: string;
  /** Binding arguments (headers exchanges match on them); {} when none. */
  args: Record<string, unknown>;
  /** `key` split on '.', for topic matching (computed once). */
  words: readonly string[];
}

/** An exchange as the broker holds it. */
export interface BrokerExchange {
  name: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  /** `alternate-exchange` argument: where unroutable messages go, if set. */
  alternateExchange: string | undefined;
  /** Bindings with this exchange as their source, in the order they were made (no duplicates of the same
   * destination + key + arguments). */
  bindings: Binding[];
}

/** Exchanges every RabbitMQ vhost has (https://www.rabbitmq.com/docs/exchanges#pre-declared-exchanges). */
export const PREDECLARED_EXCHANGES: readonly { name: string; type: ExchangeType }[] = [
  { name: '', type: 'direct' },
  { name: 'amq.direct', type: 'direct' },
  { name: 'amq.fanout', type: 'fanout' },
  { name: 'amq.topic', type: 'topic' },
  { name: 'amq.headers', type: 'headers' },
  { name: 'amq.match', type: 'headers' },
];

/** A new exchange record. */
export function makeExchange(name: string, type: ExchangeType, durable: boolean, autoDelete: boolean,
  internal: boolean, alternateExchange?: string): BrokerExchange {
  return { name, type, durable, autoDelete, internal, alternateExchange, bindings: [] };
}

/** A binding record to `destination` (a queue unless `kind` says exchange) with binding key `key`. */
export function makeBinding(destination: string, key: string, args: Record<string, unknown> = {},
  kind: DestinationKind = 'queue'): Binding {
  return { destination, kind, key, args, words: topicWords(key) };
}

/** Whether a binding is the one named by destination, key and arguments (bindings with other arguments are others). */
export function sameBinding(b: Binding, destination: string, kind: DestinationKind, key: string,
  args: Record<string, unknown>): boolean {
  return b.destination === destination && b.kind === kind && b.key === key &&
    JSON.stringify(b.args) === JSON.stringify(args);
}

/**
 * The bindings of `exchange` that match a message with any of `routingKeys` (its routing key, then its `CC` / `BCC`
 * keys, see sender-selected.ts; a headers exchange ignores them and matches `headers`), one per destination, in
 * binding order (not for the default exchange, which the broker resolves by queue name).
 */
export function route(exchange: BrokerExchange, routingKeys: readonly string[], headers?: unknown): Binding[] {
  const out: Binding[] = [];
  const add = (b: Binding) => {
    if (!out.some((o) => o.destination === b.destination && o.kind === b.kind)) out.push(b);
  };
  switch (exchange.type) {
    case 'fanout':
      for (const b of exchange.bindings) add(b);
      break;
    case 'direct':
      for (const b of exchange.bindings) if (routingKeys.includes(b.key)) add(b);
      break;
    case 'topic': {
      const keys = routingKeys.map(topicWords);
      for (const b of exchange.bindings) if (keys.some((words) => topicMatches(b.words, words))) add(b);
      break;
    }
    default: { // headers
      const h = headers !== null && typeof headers === 'object' ? (headers as Record<string, unknown>) : {};
      for (const b of exchange.bindings) if (headersMatch(b.args, h)) add(b);
      break;
    }
  }
  return out;
}

/**
 * Headers-exchange matching: the binding's arguments other than `x-…` against the message headers, all of them
 * (`x-match: all`, the default; none at all matches everything) or any of them (`x-match: any`).
 */
export function headersMatch(bindingArgs: Record<string, unknown>, headers: Record<string, unknown>): boolean {
  const keys = Object.keys(bindingArgs).filter((k) => !k.startsWith('x-'));
  const equal = (k: string) => Object.prototype.hasOwnProperty.call(headers, k) &&
    JSON.stringify(headers[k]) === JSON.stringify(bindingArgs[k]);
  return bindingArgs['x-match'] === 'any' ? keys.some(equal) : keys.every(equal);
}

/**
 * The words of a topic routing or binding key: split on every '.', so "a." is "a" and an empty word, and "." two
 * empty words — but "" is NO word at all (RabbitMQ rabbit_exchange_type_topic split_topic_key), so `*` does not
 * match "" while `#` and the binding key "" do (verified with RabbitMQ 3.10, conformance program 23).
 */
export function topicWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/**
 * Whether topic binding pattern `pattern` (words) matches routing key `key` (words): `*` is exactly one word (which
 * may be empty), `#` is zero or more words, any other word must be equal. Dynamic programming over both word lists,
 * so patterns with many `#` stay linear-ish.
 */
export function topicMatches(pattern: readonly string[], key: readonly string[]): boolean {
  const m = pattern.length;
  const n = key.length;
  // can[j]: pattern[i..] matches key[j..], for the current i (built from the end).
  let can: boolean[] = new Array<boolean>(n + 1).fill(false);
  can[n] = true;
  for (let i = m - 1; i >= 0; i--) {
    const p = pattern[i];
    const next: boolean[] = new Array<boolean>(n + 1).fill(false);
    if (p === '#') {
      // '#' takes zero words (can[j]) or one more word (next[j + 1]).
      next[n] = can[n];
      for (let j = n - 1; j >= 0; j--) next[j] = can[j] || next[j + 1];
    } else {
      for (let j = n - 1; j >= 0; j--) next[j] = (p === '*' || p === key[j]) && can[j + 1];
    }
    can = next;
  }
  return can[0];
}
