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
 * - headers exchanges exist (`amq.headers`, `amq.match`) but routing on headers is not simulated yet.
 * A queue bound several times to the same exchange (different keys) gets ONE copy of a message.
 * Sources: https://www.rabbitmq.com/tutorials/amqp-concepts#exchanges, https://www.rabbitmq.com/docs/exchanges;
 * every rule checked against RabbitMQ 3.10 by test/conformance/amqp/23-exchanges.mjs.
 */
export const DEFAULT_EXCHANGE = '';

/** Exchange types the model routes. */
export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';

/** Types RabbitMQ 3.10 knows out of the box (declaring another one is a 503 connection error). */
export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];

/** A queue's binding to an exchange. */
export interface Binding {
  queue: string;
  /** The binding key (a pattern for topic exchanges). */
  key: string;
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
  /** Bindings in the order they were made (no duplicates of the same queue + key). */
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
  internal: boolean): BrokerExchange {
  return { name, type, durable, autoDelete, internal, bindings: [] };
}

/** A binding record for `queue` with binding key `key`. */
export function makeBinding(queue: string, key: string): Binding {
  return { queue, key, words: topicWords(key) };
}

/**
 * Names of the queues `exchange` routes a message with `routingKey` to, each once, in binding order (not for the
 * default exchange, which the broker resolves by queue name).
 */
export function route(exchange: BrokerExchange, routingKey: string): string[] {
  const out: string[] = [];
  const add = (queue: string) => {
    if (!out.includes(queue)) out.push(queue);
  };
  switch (exchange.type) {
    case 'fanout':
      for (const b of exchange.bindings) add(b.queue);
      break;
    case 'direct':
      for (const b of exchange.bindings) if (b.key === routingKey) add(b.queue);
      break;
    case 'topic': {
      const words = topicWords(routingKey);
      for (const b of exchange.bindings) if (topicMatches(b.words, words)) add(b.queue);
      break;
    }
    default: // headers: not simulated
      break;
  }
  return out;
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
