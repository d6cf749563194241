import { SIMULATED_EPOCH_MS } from '../../../core/clock.ts';
import type { BrokerMessage } from './message.ts';
import { headerRouteKeys } from './sender-selected.ts';

/**
 * Dead-lettering (RabbitMQ): a message rejected with requeue=false (basic.nack / basic.reject) from a queue that
 * has the argument `x-dead-letter-exchange` (amqplib's `deadLetterExchange`) is republished by the broker to that
 * exchange — with routing key `x-dead-letter-routing-key` (`deadLetterRoutingKey`) if set, else its own — instead
 * of being dropped. Its headers record why (`x-death`), see `deadLetterProperties`. If the exchange does not exist
 * or routes nowhere, the message is dropped silently. Expiry, length limits and quorum queues' delivery limit
 * dead-letter the same way (`DeathReason`). Sources: https://www.rabbitmq.com/docs/dlx; every detail below verified against RabbitMQ 3.10
 * with amqplib 0.10 (test/conformance/amqp/24-dead-letter.mjs).
 */

/**
 * Why a message was dead-lettered, as its `x-death` entry says: rejected (nack / reject without requeue), expired
 * (TTL), maxlen (a length limit), delivery_limit (returned to a quorum queue more often than its
 * `x-delivery-limit`).
 */
export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/**
 * RabbitMQ's cycle rule: a message that expires round a loop of queues would circle for ever, so a dead-lettered
 * message is NOT delivered to a queue it already died in for the same reason unless some death in its history is
 * a rejection (a client took part). https://www.rabbitmq.com/docs/dlx#routing-dead-lettered-messages
 */
export function deadLetterCycle(message: BrokerMessage, fromQueue: string, targetQueue: string,
  reason: DeathReason): boolean {
  const deaths = message.properties.headers !== null && typeof message.properties.headers === 'object'
    ? (message.properties.headers as Record<string, unknown>)['x-death'] : undefined;
  const history = Array.isArray(deaths) ? (deaths as Record<string, unknown>[]) : [];
  if (reason === 'rejected' || history.some((d) => d.reason === 'rejected')) return false;
  return targetQueue === fromQueue || history.some((d) => d.queue === targetQueue);
}

/** Where a dead-lettered message goes (see `deadLetterTarget`). */
export interface DeadLetterTarget {
  exchange: string;
  /** The copy's routing key (what its deliveries show). */
  routingKey: string;
  /** Every key it is routed with: `routingKey`, then its CC / BCC keys unless the queue sets its own key. */
  routingKeys: string[];
  /** The copy's CC / BCC keys, kept for a later dead-lettering (undefined with `x-dead-letter-routing-key`). */
  ccKeys: readonly string[] | undefined;
}

/**
 * Where a dead-lettered message goes, or null if the queue has no DLX: the exchange `x-dead-letter-exchange`, with
 * the queue's `x-dead-letter-routing-key` as the only key if set (then the copy also loses its `CC` header, see
 * `deadLetterProperties`), else with the message's own routing key and its CC and BCC keys (RabbitMQ 3.10
 * rabbit_dead_letter:make_msg; conformance program 35).
 */
export function deadLetterTarget(args: Record<string, unknown>, message: BrokerMessage): DeadLetterTarget | null {
  const exchange = args['x-dead-letter-exchange'];
  if (typeof exchange !== 'string') return null;
  const key = args['x-dead-letter-routing-key'];
  if (typeof key === 'string') return { exchange, routingKey: key, routingKeys: [key], ccKeys: undefined };
  const routingKeys = message.ccKeys === undefined ? [message.routingKey] : [message.routingKey, ...message.ccKeys];
  return { exchange, routingKey: message.routingKey, routingKeys, ccKeys: message.ccKeys };
}

/**
 * The properties of the dead-lettered copy: the same, with `headers` updated as RabbitMQ 3.10 does:
 * - `x-death`: a list of `{ count, reason, queue, time, exchange, 'routing-keys' }`, the latest death first.
 *   Dying again from the same queue for the same reason only increments that entry's `count` (its exchange,
 *   routing-keys and time stay those of the first such death) and moves it first. The entry made when there was
 *   no `x-death` yet has its keys in that order; entries added or updated later have them sorted (count, exchange,
 *   queue, reason, routing-keys, time) — what amqplib decodes from RabbitMQ's frames. Quirk kept from RabbitMQ 3.10
 *   (rabbit_dead_letter:update_x_death_header/2 and group_by_queue_and_reason/1, whose foldl prepends): whenever
 *   there are two or more earlier entries, their order is reversed behind the new first one. Found by a QA pass
 *   against RabbitMQ 3.10 (a chain q1 → q2 → q3 → q4 gives q4, q2, q1, q3); conformance program 39.
 *   `time` is an AMQP timestamp (seconds), which amqplib decodes as `{ '!': 'timestamp', value }`; here it is the
 *   simulated wall clock (core/clock.ts).
 * - `original-expiration` in the new entry when the message had an `expiration`, which the copy loses.
 * - `x-first-death-exchange`, `x-first-death-queue`, `x-first-death-reason`: set once, on the first death.
 * - `routing-keys` of the new entry: the message's routing key and its `CC` keys (not the BCC ones, which it no
 *   longer carries); with `dropCc` (the queue sets `x-dead-letter-routing-key`) the `CC` header is then removed.
 * Other headers keep their place; new keys are added at the end.
 */
export function deadLetterProperties(message: BrokerMessage, queue: string, reason: DeathReason, nowMs: number,
  dropCc = false): Record<string, unknown> {
  const oldHeaders = (message.properties.headers ?? {}) as Record<string, unknown>;
  const headers: Record<string, unknown> = { ...oldHeaders };
  const time = { '!': 'timestamp', value: Math.floor((SIMULATED_EPOCH_MS + nowMs) / 1000) };
  const routingKeys = [message.routingKey, ...headerRouteKeys(oldHeaders)];
  const expiration = message.properties.expiration;
  const original = typeof expiration === 'string' ? { 'original-expiration': expiration } : {};
  const deaths = Array.isArray(oldHeaders['x-death']) ? (oldHeaders['x-death'] as Record<string, unknown>[]) : null;
  if (deaths === null) {
    headers['x-death'] = [{
      count: 1, reason, queue, time, exchange: message.exchange, 'routing-keys': routingKeys, ...original,
    }];
  } else {
    const grouped = groupByQueueAndReason(deaths);
    const same = grouped.findIndex((d) => d.queue === queue && d.reason === reason);
    const others = grouped.filter((_, i) => i !== same);
    const entry = same >= 0
      ? { ...grouped[same], count: (typeof grouped[same].count === 'number' ? grouped[same].count as number : 0) + 1 }
      : { count: 1, exchange: message.exchange, ...original, queue, reason, 'routing-keys': routingKeys, time };
    headers['x-death'] = [sortedKeys(entry), ...others];
  }
  if (!('x-first-death-exchange' in headers)) headers['x-first-death-exchange'] = message.exchange;
  if (!('x-first-death-queue' in headers)) headers['x-first-death-queue'] = queue;
  if (!('x-first-death-reason' in headers)) headers['x-first-death-reason'] = reason;
  if (dropCc) delete headers.CC;
  // The expiration goes (kept as original-expiration), so the copy does not expire again where it lands.
  const { expiration: _dropped, ...rest } = message.properties;
  return { ...rest, headers };
}

/**
 * RabbitMQ's grouping of earlier `x-death` entries (group_by_queue_and_reason/1): one entry per queue and reason
 * (the first one), and with two or more entries the list comes out reversed (a foldl that prepends).
 */
function groupByQueueAndReason(deaths: Record<string, unknown>[]): Record<string, unknown>[] {
  if (deaths.length < 2) return deaths;
  const seen = new Set<string>();
  const grouped: Record<string, unknown>[] = [];
  for (const d of deaths) {
    const key = `${String(d.queue)}\u0000${String(d.reason)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    grouped.unshift(d);
  }
  return grouped;
}

/** A copy of `entry` with its keys in byte order (rabbit_misc:sort_field_table/1). */
function sortedKeys(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(entry).sort()) out[key] = entry[key];
  return out;
}
