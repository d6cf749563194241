import { argumentType } from './arguments.ts';
import { AmqpServerError, METHODS } from './errors.ts';
import type { QueueProperties } from './queue.ts';
import { resourceText } from './vhost.ts';

/**
 * Queue types (`x-queue-type`, https://www.rabbitmq.com/docs/queues#optional-arguments): `classic` (the default when
 * the argument is absent), `quorum` (replicated, https://www.rabbitmq.com/docs/quorum-queues) and `stream`
 * (https://www.rabbitmq.com/docs/streams). The simulator models classic and quorum queues; a stream queue is
 * checked like RabbitMQ checks it and then refused as not simulated (`streamNotSimulated`).
 *
 * Each type accepts its own set of `x-…` queue arguments; an argument another type knows is refused with
 * "invalid arg 'x-max-priority' for queue 'q' in vhost '/' of queue type rabbit_quorum_queue". Arguments no type
 * knows (`x-foo`, `x-ha-policy`) pass. Lists and orders as RabbitMQ 3.10 has them (each type module's
 * `capabilities()` queue_arguments), found against RabbitMQ 3.10 by test/conformance/amqp/44-queue-types.mjs.
 */
export type QueueType = 'classic' | 'quorum' | 'stream';

/** RabbitMQ's module name of each type, as its error texts print it. */
const TYPE_MODULES: Readonly<Record<QueueType, string>> = {
  classic: 'rabbit_classic_queue', quorum: 'rabbit_quorum_queue', stream: 'rabbit_stream_queue',
};

/**
 * The arguments each type accepts, in the order RabbitMQ compares them when a queue is declared again (property
 * equivalence: the first one that differs is the one the 406 names).
 */
export const TYPE_ARGUMENTS: Readonly<Record<QueueType, readonly string[]>> = {
  classic: ['x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
    'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-queue-version', 'x-single-active-consumer',
    'x-queue-type', 'x-queue-master-locator'],
  quorum: ['x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-dead-letter-strategy', 'x-expires',
    'x-max-length', 'x-max-length-bytes', 'x-max-in-memory-length', 'x-max-in-memory-bytes', 'x-overflow',
    'x-single-active-consumer', 'x-queue-type', 'x-quorum-initial-group-size', 'x-delivery-limit', 'x-message-ttl',
    'x-queue-leader-locator'],
  stream: ['x-max-length-bytes', 'x-queue-type', 'x-max-age', 'x-stream-max-segment-size-bytes',
    'x-initial-cluster-size', 'x-queue-leader-locator'],
};

/** Every argument some queue type knows (what a type that does not accept it refuses). */
const KNOWN_ARGUMENTS = new Set(Object.values(TYPE_ARGUMENTS).flat());

/** The type of a queue declared with `args` (absent or 'classic' ⇒ classic). Call after `queueTypeArgumentError`. */
export function queueTypeOf(args: Record<string, unknown>): QueueType {
  const type = args['x-queue-type'];
  return type === 'quorum' || type === 'stream' ? type : 'classic';
}

/**
 * The 406 text for a bad `x-queue-type`, checked before every other argument of a new queue, or null: a string
 * (else `{unacceptable_type,byte}`, `{unacceptable_type,void}` for null) naming a known type (else
 * `"unsupported queue type 'foo'"`; names are case-sensitive). RabbitMQ 3.10 rabbit_amqqueue:check_queue_type.
 */
export function queueTypeArgumentError(queue: string, vhost: string, args: Record<string, unknown>): string | null {
  const type = args['x-queue-type'];
  if (type === undefined) return null;
  const prefix = `invalid arg 'x-queue-type' for ${resourceText('queue', queue, vhost)}: `;
  if (typeof type !== 'string') return `${prefix}{unacceptable_type,${argumentType(type)}}`;
  return type === 'classic' || type === 'quorum' || type === 'stream' ? null : `${prefix}"unsupported queue type '${type}'"`;
}

/**
 * The 406 text for the first argument of `args` (in the order the client sent them) that another queue type knows
 * but `type` does not accept, or null ("invalid arg 'x-delivery-limit' for queue 'q' in vhost '/' of queue type
 * rabbit_classic_queue"). RabbitMQ checks it after the values of the arguments the type accepts.
 */
export function unsupportedArgumentError(queue: string, vhost: string, type: QueueType,
  args: Record<string, unknown>): string | null {
  const accepted = TYPE_ARGUMENTS[type];
  for (const key of Object.keys(args)) {
    if (args[key] === undefined || !KNOWN_ARGUMENTS.has(key) || accepted.includes(key)) continue;
    return `invalid arg '${key}' for ${resourceText('queue', queue, vhost)} of queue type ${TYPE_MODULES[type]}`;
  }
  return null;
}

/**
 * The 406 text for a property a quorum or stream queue cannot have, checked after the arguments, or null: in
 * RabbitMQ's order auto-delete ("invalid property 'auto-delete' for queue 'q' in vhost '/'"), exclusive
 * ('exclusive-owner'), non-durable ('non-durable'). Quorum and stream queues are durable, shared queues
 * (https://www.rabbitmq.com/docs/quorum-queues#feature-matrix; rabbit_queue_type_util checks, RabbitMQ 3.10).
 */
export function queueTypePropertyError(queue: string, vhost: string, type: QueueType,
  properties: QueueProperties): string | null {
  if (type === 'classic') return null;
  const invalid = (property: string) => `invalid property '${property}' for ${resourceText('queue', queue, vhost)}`;
  if (properties.autoDelete) return invalid('auto-delete');
  if (properties.exclusive) return invalid('exclusive-owner');
  if (!properties.durable) return invalid('non-durable');
  return null;
}

/**
 * What queue.declare with an empty name (a server-named queue) does for the `x-queue-type` in `args`: null when
 * allowed (classic), a 406 "Cannot declare a server-named queue for type rabbit_quorum_queue" for quorum and stream,
 * and for anything else the crash RabbitMQ 3.10 has there (its check looks the type up before validating it): the
 * connection closes with 541 INTERNAL_ERROR. Checked before anything else of the declare.
 */
export function serverNamedError(args: Record<string, unknown>): AmqpServerError | null {
  const type = args['x-queue-type'];
  if (type === undefined || type === 'classic') return null;
  if (type === 'quorum' || type === 'stream') {
    return new AmqpServerError(406, `Cannot declare a server-named queue for type ${TYPE_MODULES[type]}`,
      METHODS.queueDeclare);
  }
  return new AmqpServerError(541, '', METHODS.queueDeclare, true);
}

/**
 * The refusal of a stream queue, once RabbitMQ would have accepted its declaration: streams are not simulated (they
 * keep every message and are read from an offset, which the lessons do not cover), so the simulator says so
 * instead of quietly making a classic queue. 540 NOT_IMPLEMENTED closes the connection, as RabbitMQ does for the
 * AMQP features it does not implement (e.g. a basic.qos prefetch size).
 */
export function streamNotSimulated(queue: string, vhost: string): AmqpServerError {
  return new AmqpServerError(540, `stream queues are not simulated by MQ Lab (x-queue-type 'stream' for ` +
    `${resourceText('queue', queue, vhost)}); declare a classic or quorum queue instead`, METHODS.queueDeclare, true);
}

/** The 540 a quorum queue gives a consumer on a channel with a global prefetch (basic.qos global), RabbitMQ 3.10. */
export function globalQosRefused(queue: string, vhost: string): AmqpServerError {
  return new AmqpServerError(540, `${resourceText('queue', queue, vhost)} does not support global qos`,
    METHODS.basicConsume, true);
}

/**
 * The properties a consumer of a quorum queue gets for a message that came back `deliveryCount` times: headers
 * with `x-delivery-count` added at the end (RabbitMQ 3.10 adds it to every redelivery; to a basic.get, `forGet`,
 * also to the first delivery, as 0). Returns `properties` itself when nothing is added.
 * Source: https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling; conformance program 43.
 */
export function withDeliveryCount(properties: Record<string, unknown>, deliveryCount: number,
  forGet: boolean): Record<string, unknown> {
  if (deliveryCount === 0 && !forGet) return properties;
  const headers = properties.headers !== null && typeof properties.headers === 'object'
    ? properties.headers as Record<string, unknown> : {};
  return { ...properties, headers: { ...headers, 'x-delivery-count': deliveryCount } };
}
