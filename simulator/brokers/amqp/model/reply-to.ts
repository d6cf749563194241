import type { Prng } from '../../../core/prng.ts';
import { AmqpServerError, METHODS } from './errors.ts';

/**
 * Direct reply-to (https://www.rabbitmq.com/docs/direct-reply-to): a requester consumes the pseudo-queue
 * `amq.rabbitmq.reply-to` in no-ack mode and publishes requests with `replyTo: 'amq.rabbitmq.reply-to'` on the SAME
 * channel; the broker rewrites that property to a reply address naming the channel,
 * `amq.rabbitmq.reply-to.<channel>.<key>`, and a reply published to the default exchange with that routing key goes
 * straight to the requesting channel's reply consumer — no queue holds it. Details as RabbitMQ 3.10 behaves
 * (rabbit_channel, rabbit_exchange:route/2, rabbit_direct_reply_to), each verified with amqplib 0.10 by
 * test/conformance/amqp/42-direct-reply-to.mjs:
 * - consuming: only with noAck (else 406 "reply consumer cannot acknowledge"), once per channel (406 "reply consumer
 *   already set"); the reply consumer is not one of the channel's consumers (its tag is not checked against theirs);
 *   cancelling it ends it, and a later consume gets a new key;
 * - publishing with `replyTo: 'amq.rabbitmq.reply-to'` on a channel without a reply consumer: 406 "fast reply
 *   consumer does not exist" (after the exchange checks, before the user-id check); any other replyTo value passes
 *   unchanged;
 * - a reply (default exchange, routing key or CC/BCC key starting `amq.rabbitmq.reply-to.`) reaches the reply
 *   consumer if the channel is open and the key is the current one, else nobody; in both cases the message was
 *   routed to no queue, so with `mandatory` it also comes back as basic.return 312 NO_ROUTE (a quirk of 3.10: a
 *   delivered reply is returned too); a routing key that is not exactly `<channel>.<key>` (dot-separated, empty
 *   parts skipped) routes nowhere; one whose `<channel>` part is not a base64-encoded Erlang term crashes the
 *   publisher's channel process: the connection closes with 541 INTERNAL_ERROR;
 * - the delivery carries exchange '' and the full reply address as routing key, redelivered false, and the
 *   channel's NEXT delivery tag without using it up (the next regular delivery on the channel gets the same tag);
 * - queue.declare (also passive) of `amq.rabbitmq.reply-to` answers messageCount 0, consumerCount 1, and of a
 *   reply address the same while its reply consumer lives, else 404; any other name starting with
 *   `amq.rabbitmq.reply-to` is a 404 (not the 403 of the `amq.` prefix). get / purge / bind: 404 (no such queue);
 *   delete and unbind: fine (nothing to do).
 */
export const REPLY_TO_QUEUE = 'amq.rabbitmq.reply-to';
/** Routing keys starting with this are reply addresses (rabbit_exchange virtual_reply_queue/1). */
export const REPLY_TO_PREFIX = 'amq.rabbitmq.reply-to.';

/**
 * The `<channel>` part of the reply addresses of the channel with serial number `serial` (1, 2, … in the order
 * channels are opened on the broker): like RabbitMQ's, the base64 of an Erlang external-term encoding of a process
 * id (NEW_PID_EXT with a `reply@<node hash>` node name), so it looks the same and passes the same checks.
 */
export function replyChannelPart(serial: number): string {
  const node = 'reply@4000001';
  const bytes = [131, 88, 118, 0, node.length, ...[...node].map((c) => c.charCodeAt(0)),
    ...uint32(serial + 1000), ...uint32(0), ...uint32(0x6b1147a8)];
  return base64(bytes);
}

/** A fresh `<key>` part: the base64 of 16 random bytes from the broker's PRNG (RabbitMQ: rabbit_guid). */
export function newReplyKey(rng: Prng): string {
  const bytes: number[] = [];
  for (let i = 0; i < 4; i++) bytes.push(...uint32(rng.nextUint32()));
  return base64(bytes);
}

/** What a routing key starting with REPLY_TO_PREFIX names. */
export type ReplyAddress =
  /** A well-formed address: the channel part and the key. */
  | { channel: string; key: string }
  /** Not two parts: routes nowhere. */
  | 'malformed'
  /** A channel part that is not an encoded term: RabbitMQ's decoder crashes (541 INTERNAL_ERROR). */
  | 'undecodable';

/** Reads a reply address (`routingKey` starts with REPLY_TO_PREFIX); see the module doc. */
export function parseReplyAddress(routingKey: string): ReplyAddress {
  const parts = routingKey.slice(REPLY_TO_PREFIX.length).split('.').filter((part) => part !== '');
  if (parts.length !== 2) return 'malformed';
  const bytes = decodeBase64(parts[0]);
  if (bytes === null || bytes.length < 2 || bytes[0] !== 131) return 'undecodable';
  return { channel: parts[0], key: parts[1] };
}

/** 406 for a request published with replyTo `amq.rabbitmq.reply-to` on a channel without a reply consumer. */
export function noReplyConsumer(): AmqpServerError {
  return new AmqpServerError(406, 'fast reply consumer does not exist', METHODS.basicPublish);
}

/** 406 for consuming `amq.rabbitmq.reply-to` with acknowledgements. */
export function replyConsumerAcks(): AmqpServerError {
  return new AmqpServerError(406, 'reply consumer cannot acknowledge', METHODS.basicConsume);
}

/** 406 for consuming `amq.rabbitmq.reply-to` twice on one channel. */
export function replyConsumerAlreadySet(): AmqpServerError {
  return new AmqpServerError(406, 'reply consumer already set', METHODS.basicConsume);
}

/** 541 INTERNAL_ERROR (the connection closes): a reply address RabbitMQ's decoder cannot read. */
export function replyAddressCrash(): AmqpServerError {
  return new AmqpServerError(541, '', METHODS.basicPublish, true);
}

function uint32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with '=' padding (what Erlang's base64:encode gives). */
function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

/** Decodes standard base64 (length a multiple of 4, '=' only at the end), or null where Erlang's decoder fails. */
function decodeBase64(text: string): number[] | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4);
    const values = [...chunk].map((c) => (c === '=' ? 0 : BASE64.indexOf(c)));
    const n = (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3];
    bytes.push((n >> 16) & 255);
    if (chunk[2] !== '=') bytes.push((n >> 8) & 255);
    if (chunk[3] !== '=') bytes.push(n & 255);
  }
  return bytes;
}
