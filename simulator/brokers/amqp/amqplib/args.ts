import type { QueueProperties } from '../model/queue.ts';
import { checkPrototype } from './encode.ts';

/**
 * Option → AMQP field translation as amqplib 0.10 does it (node_modules/amqplib/lib/api_args.js).
 */

/** Options of `channel.assertExchange` (amqplib Options.AssertExchange; alternateExchange is not simulated). */
export interface AssertExchangeOptions {
  durable?: boolean;
  internal?: boolean;
  autoDelete?: boolean;
  alternateExchange?: string;
  arguments?: Record<string, unknown>;
}

/** Options of `channel.assertQueue` (amqplib Options.AssertQueue). */
export interface AssertQueueOptions {
  exclusive?: boolean;
  durable?: boolean;
  autoDelete?: boolean;
  arguments?: Record<string, unknown>;
  messageTtl?: number;
  expires?: number;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  maxLength?: number;
  maxPriority?: number;
  overflow?: string;
  queueMode?: string;
}

/**
 * queue.declare fields: `durable` defaults to TRUE in amqplib; shorthand options become `x-…` arguments (null and
 * undefined ones are left out). Throws TypeError "Object prototype may only be an Object or null: …" for a
 * non-object `arguments`, synchronously as amqplib's `Object.create(options.arguments)` does.
 */
export function queueProperties(options: AssertQueueOptions | undefined): QueueProperties {
  const o = options || {};
  checkPrototype(o.arguments);
  const args: Record<string, unknown> = {};
  if (o.arguments) for (const key in o.arguments) args[key] = o.arguments[key];
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) args[key] = value;
  };
  set('x-expires', o.expires);
  set('x-message-ttl', o.messageTtl);
  set('x-dead-letter-exchange', o.deadLetterExchange);
  set('x-dead-letter-routing-key', o.deadLetterRoutingKey);
  set('x-max-length', o.maxLength);
  set('x-max-priority', o.maxPriority);
  set('x-overflow', o.overflow);
  set('x-queue-mode', o.queueMode);
  return {
    exclusive: !!o.exclusive,
    durable: o.durable === undefined ? true : !!o.durable,
    autoDelete: !!o.autoDelete,
    arguments: args,
  };
}

/** Options of `channel.publish` / `sendToQueue` (amqplib Options.Publish). */
export interface PublishOptions {
  expiration?: string | number;
  userId?: string;
  CC?: string | string[];
  BCC?: string | string[];
  mandatory?: boolean;
  persistent?: boolean;
  deliveryMode?: boolean | number;
  contentType?: string;
  contentEncoding?: string;
  headers?: Record<string, unknown>;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  appId?: string;
}

/**
 * The 14 basic properties exactly as a consumer decodes them (amqplib lib/defs.js decodeBasicProperties): every key
 * present, unset ones undefined, `headers` always an object (amqplib always sends a headers table), `deliveryMode`
 * 2 for `persistent: true`, 1 for `persistent: false`, `expiration` a string.
 */
export function basicProperties(options: PublishOptions | undefined): Record<string, unknown> {
  const o = options || {};
  checkPrototype(o.headers);
  // amqplib: headers = Object.create(options.headers) with CC / BCC set on it, encoded with for..in: CC and BCC
  // come first, then the caller's headers (a caller's own CC / BCC header is shadowed by the option).
  const headers: Record<string, unknown> = {};
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  if (o.CC !== undefined) headers.CC = list(o.CC);
  if (o.BCC !== undefined) headers.BCC = list(o.BCC);
  if (o.headers) {
    for (const key in o.headers) if (!Object.prototype.hasOwnProperty.call(headers, key)) headers[key] = o.headers[key];
  }
  let deliveryMode: number | undefined;
  if (o.persistent !== undefined) deliveryMode = o.persistent ? 2 : 1;
  else if (typeof o.deliveryMode === 'number') deliveryMode = o.deliveryMode;
  else if (o.deliveryMode) deliveryMode = 2;
  return {
    contentType: present(o.contentType),
    contentEncoding: present(o.contentEncoding),
    headers,
    deliveryMode,
    priority: present(o.priority),
    correlationId: present(o.correlationId),
    replyTo: present(o.replyTo),
    // amqplib calls expiration.toString(): null throws "Cannot read properties of null (reading 'toString')".
    expiration: o.expiration === undefined ? undefined : (o.expiration as { toString(): string }).toString(),
    messageId: present(o.messageId),
    timestamp: present(o.timestamp),
    type: present(o.type),
    userId: present(o.userId),
    appId: present(o.appId),
    clusterId: undefined,
  };
}

/** A property as decoded on the other side: amqplib leaves null (like undefined) out of the frame. */
function present<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/**
 * `properties` (checked by encode.ts) with the octet properties (deliveryMode, priority) as decoded: amqplib writes
 * them with Buffer#writeUInt8, which stores a fraction truncated (1.7 → 1) once its range check (0..255) passed.
 */
export function withDecodedOctets(properties: Record<string, unknown>): Record<string, unknown> {
  for (const key of ['deliveryMode', 'priority']) {
    const value = properties[key];
    if (typeof value === 'number' && !Number.isInteger(value)) properties[key] = Math.trunc(value);
  }
  return properties;
}

/** A fresh copy of decoded properties for one delivery (each delivery decodes its own objects). */
export function copyProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const out = { ...properties };
  if (properties.headers && typeof properties.headers === 'object') {
    out.headers = { ...(properties.headers as Record<string, unknown>) };
  }
  return out;
}
