import { argumentType } from './arguments.ts';

/**
 * Sender-selected distribution (https://www.rabbitmq.com/docs/sender-selected): a message's `CC` and `BCC` headers
 * (arrays of strings; amqplib's `CC` / `BCC` publish options fill them) add routing keys. The exchange routes the
 * message with its routing key AND each of those (the default exchange: each names a queue); a queue still gets one
 * copy. `BCC` is removed from the message the queues store, `CC` stays; deliveries keep the original routing key.
 * A `CC` or `BCC` header that is not an array is a 406 that closes the channel, "invalid message:
 * {unacceptable_type_in_header,"CC",byte}" (rabbit_basic:header_routes/1 checks CC, then BCC); array items that are
 * not strings are ignored. All verified against RabbitMQ 3.10 by test/conformance/amqp/35-cc-bcc.mjs.
 */

/** The header names, in the order RabbitMQ reads them (?ROUTING_HEADERS). */
const ROUTING_HEADERS = ['CC', 'BCC'] as const;

/** True when `headers` (a message's `headers` property) has a `CC` or `BCC` entry: routing needs `senderSelected`. */
export function hasSenderSelected(headers: unknown): headers is Record<string, unknown> {
  return headers !== null && typeof headers === 'object'
    && ((headers as Record<string, unknown>).CC !== undefined || (headers as Record<string, unknown>).BCC !== undefined);
}

/**
 * The extra routing keys of `headers` (CC's, then BCC's, in order) and the properties to store (without `BCC`), or
 * the 406 text when a header has the wrong type.
 */
export function senderSelected(properties: Record<string, unknown>, headers: Record<string, unknown>):
  { keys: string[]; properties: Record<string, unknown> } | { error: string } {
  for (const name of ROUTING_HEADERS) {
    const value = headers[name];
    if (value !== undefined && !Array.isArray(value)) {
      return { error: `invalid message: {unacceptable_type_in_header,"${name}",${argumentType(value)}}` };
    }
  }
  const keys = headerRouteKeys(headers);
  if (headers.BCC === undefined) return { keys, properties };
  const { BCC: _bcc, ...kept } = headers;
  return { keys, properties: { ...properties, headers: kept } };
}

/** The string items of the `CC` then `BCC` arrays of `headers` (rabbit_basic:header_routes/1); [] when none. */
export function headerRouteKeys(headers: unknown): string[] {
  const keys: string[] = [];
  if (headers === null || typeof headers !== 'object') return keys;
  for (const name of ROUTING_HEADERS) {
    const value = (headers as Record<string, unknown>)[name];
    if (Array.isArray(value)) for (const key of value) if (typeof key === 'string') keys.push(key);
  }
  return keys;
}
