/**
 * AMQP 0-9-1 server errors as RabbitMQ reports them.
 *
 * Reply codes and names come from the AMQP 0-9-1 specification (amqp0-9-1.xml, "constants": 403 access-refused,
 * 404 not-found, 405 resource-locked, 406 precondition-failed are channel (soft) errors; 530 not-allowed is a
 * connection (hard) error). The reply texts are RabbitMQ's (`NAME - detail`), checked against RabbitMQ 3.10 with
 * amqplib 0.10 (see test/unit/amqp/*.test.ts for the exact strings).
 */

import { resourceText } from './vhost.ts';

/** Reply code → reply name as RabbitMQ prefixes it to the reply text (AMQP 0-9-1 spec, constants). */
export const REPLY_NAMES: Readonly<Record<number, string>> = {
  320: 'CONNECTION_FORCED',
  403: 'ACCESS_REFUSED',
  404: 'NOT_FOUND',
  405: 'RESOURCE_LOCKED',
  406: 'PRECONDITION_FAILED',
  503: 'COMMAND_INVALID',
  530: 'NOT_ALLOWED',
  540: 'NOT_IMPLEMENTED',
  541: 'INTERNAL_ERROR',
};

/** AMQP method that failed: class id, method id and amqplib's name for it (node_modules/amqplib/lib/defs.js). */
export interface AmqpMethodRef {
  classId: number;
  methodId: number;
  /** amqplib's method name, e.g. `QueueDeclare` (used in "Operation failed: QueueDeclare; …"). */
  name: string;
}

/** The AMQP methods the broker model implements (ids from the AMQP 0-9-1 spec / amqplib defs.js). */
export const METHODS = {
  exchangeDeclare: { classId: 40, methodId: 10, name: 'ExchangeDeclare' },
  exchangeDelete: { classId: 40, methodId: 20, name: 'ExchangeDelete' },
  exchangeBind: { classId: 40, methodId: 30, name: 'ExchangeBind' },
  exchangeUnbind: { classId: 40, methodId: 40, name: 'ExchangeUnbind' },
  queueDeclare: { classId: 50, methodId: 10, name: 'QueueDeclare' },
  queueBind: { classId: 50, methodId: 20, name: 'QueueBind' },
  queueUnbind: { classId: 50, methodId: 50, name: 'QueueUnbind' },
  queuePurge: { classId: 50, methodId: 30, name: 'QueuePurge' },
  queueDelete: { classId: 50, methodId: 40, name: 'QueueDelete' },
  basicQos: { classId: 60, methodId: 10, name: 'BasicQos' },
  basicConsume: { classId: 60, methodId: 20, name: 'BasicConsume' },
  basicCancel: { classId: 60, methodId: 30, name: 'BasicCancel' },
  basicPublish: { classId: 60, methodId: 40, name: 'BasicPublish' },
  basicGet: { classId: 60, methodId: 70, name: 'BasicGet' },
  basicAck: { classId: 60, methodId: 80, name: 'BasicAck' },
  basicReject: { classId: 60, methodId: 90, name: 'BasicReject' },
  basicNack: { classId: 60, methodId: 120, name: 'BasicNack' },
  basicRecover: { classId: 60, methodId: 110, name: 'BasicRecover' },
  channelOpen: { classId: 20, methodId: 10, name: 'ChannelOpen' },
  channelClose: { classId: 20, methodId: 40, name: 'ChannelClose' },
} as const satisfies Record<string, AmqpMethodRef>;

/**
 * A server error that closes a channel (soft error: 403/404/405/406) or the whole connection (hard error: 320, 503,
 * 530, 540, 541).
 * `replyText` is the full text RabbitMQ sends, e.g. `NOT_FOUND - no queue 'x' in vhost '/'`.
 */
export class AmqpServerError extends Error {
  readonly code: number;
  readonly replyText: string;
  readonly method: AmqpMethodRef;
  /** True for connection (hard) errors: the broker closes the whole connection. */
  readonly closesConnection: boolean;

  constructor(code: number, detail: string, method: AmqpMethodRef, closesConnection = false) {
    // An empty detail is a bare name: RabbitMQ's 541 after an internal crash says just "INTERNAL_ERROR".
    const replyText = detail === '' ? REPLY_NAMES[code] ?? 'ERROR' : `${REPLY_NAMES[code] ?? 'ERROR'} - ${detail}`;
    super(replyText);
    this.name = 'AmqpServerError';
    this.code = code;
    this.replyText = replyText;
    this.method = method;
    this.closesConnection = closesConnection;
  }
}

/** 404: `NOT_FOUND - no queue 'q' in vhost '/'` (RabbitMQ rabbit_amqqueue:not_found); `vhost` is the vhost's name. */
export function noQueue(queue: string, method: AmqpMethodRef, vhost: string): AmqpServerError {
  return new AmqpServerError(404, `no ${resourceText('queue', queue, vhost)}`, method);
}

/** 404: `NOT_FOUND - no exchange 'x' in vhost '/'` (RabbitMQ rabbit_exchange:lookup_or_die). */
export function noExchange(exchange: string, method: AmqpMethodRef, vhost: string): AmqpServerError {
  return new AmqpServerError(404, `no ${resourceText('exchange', exchange, vhost)}`, method);
}

/**
 * 405: an exclusive queue used from another connection, or redeclared with a different `exclusive`
 * (https://www.rabbitmq.com/docs/queues#exclusive-queues; rabbit_amqqueue:check_exclusive_access).
 */
export function resourceLocked(queue: string, method: AmqpMethodRef, vhost: string): AmqpServerError {
  return new AmqpServerError(405,
    `cannot obtain exclusive access to locked ${resourceText('queue', queue, vhost)}. It could be originally declared on ` +
    'another connection or the exclusive property value does not match that of the original declaration.', method);
}

/** 406: `PRECONDITION_FAILED - unknown delivery tag N` (https://www.rabbitmq.com/docs/confirms). */
export function unknownDeliveryTag(deliveryTag: number, method: AmqpMethodRef): AmqpServerError {
  return new AmqpServerError(406, `unknown delivery tag ${deliveryTag}`, method);
}
