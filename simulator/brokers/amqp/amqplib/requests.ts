import type { AmqpBroker, QueueInfo, Reply } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';
import { METHODS, type AmqpMethodRef } from '../model/errors.ts';
import { queueProperties, type AssertExchangeOptions, type AssertQueueOptions } from './args.ts';
import { checkPrototype, type EncodedMethod } from './encode.ts';

/**
 * The RPC methods of an amqplib channel as requests both client flavours send the same way: the promise API
 * (channel.ts) and the callback API (callback-channel.ts). Each builder does what amqplib's argument handling does
 * (node_modules/amqplib/lib/api_args.js) — including its synchronous throws, e.g. TypeError "Object prototype may
 * only be an Object or null" for a non-object `arguments` — and returns the frame to encode and how to send it to
 * the broker; the value a request's reply gives is the reply frame's fields as amqplib hands them over.
 */
export interface RpcRequest<T> {
  method: AmqpMethodRef;
  /** Which encoder checks `fields` (encode.ts); encoding happens when the request is sent. */
  encoded: EncodedMethod;
  fields: Record<string, unknown>;
  send: (reply: Reply<T>) => void;
  /** basic.get: amqplib hands a server's close frame itself to the caller, not an Error (see channel.ts `get`). */
  rawFrame?: boolean;
}

/** Where requests go: the broker and the channel's id there. */
export interface RequestTarget {
  readonly broker: AmqpBroker;
  readonly channelId: string;
}

/** queue.declare-ok fields. */
export type QueueOk = QueueInfo;

/** Options of basic.consume as amqplib takes them. */
export interface ConsumeOptions {
  noAck?: boolean;
  consumerTag?: string;
  exclusive?: boolean;
  priority?: number;
  arguments?: Record<string, unknown>;
}

type Empty = Record<string, never>;

/**
 * queue.declare: `durable` defaults to true, as in amqplib; a falsy `queue` means '' (a server-named queue). A
 * queue name that is not a string of ≤ 255 bytes fails when encoded.
 */
export function assertQueueRequest(t: RequestTarget, queue: unknown, options: AssertQueueOptions | undefined): RpcRequest<QueueOk> {
  const name = (queue || '') as string;
  const properties = queueProperties(options);
  return {
    method: METHODS.queueDeclare, encoded: 'QueueDeclare', fields: { queue: name, arguments: properties.arguments },
    send: (reply) => t.broker.assertQueue(t.channelId, name, properties, reply),
  };
}

/** queue.declare passive. */
export function checkQueueRequest(t: RequestTarget, queue: string): RpcRequest<QueueOk> {
  return {
    method: METHODS.queueDeclare, encoded: 'QueueDeclare', fields: { queue },
    send: (reply) => t.broker.checkQueue(t.channelId, queue ?? '', reply),
  };
}

/** queue.delete: `{ messageCount }`. */
export function deleteQueueRequest(t: RequestTarget, queue: string,
  options: { ifUnused?: boolean; ifEmpty?: boolean } | undefined): RpcRequest<{ messageCount: number }> {
  const o = { ifUnused: !!options?.ifUnused, ifEmpty: !!options?.ifEmpty };
  return {
    method: METHODS.queueDelete, encoded: 'QueueDelete', fields: { queue },
    send: (reply) => t.broker.deleteQueue(t.channelId, queue ?? '', o, reply),
  };
}

/** queue.purge: `{ messageCount }`. */
export function purgeQueueRequest(t: RequestTarget, queue: string): RpcRequest<{ messageCount: number }> {
  return {
    method: METHODS.queuePurge, encoded: 'QueuePurge', fields: { queue },
    send: (reply) => t.broker.purgeQueue(t.channelId, queue ?? '', reply),
  };
}

/** queue.bind / queue.unbind: `{}`. */
export function bindQueueRequest(t: RequestTarget, unbind: boolean, queue: string, source: string, pattern: string,
  args: Record<string, unknown> | undefined): RpcRequest<Empty> {
  checkPrototype(args);
  const copy = { ...(args ?? {}) };
  return {
    method: unbind ? METHODS.queueUnbind : METHODS.queueBind, encoded: unbind ? 'QueueUnbind' : 'QueueBind',
    fields: { queue, exchange: source, routingKey: pattern, arguments: args ?? {} },
    send: (reply) => (unbind ? t.broker.unbindQueue : t.broker.bindQueue).call(t.broker, t.channelId, queue ?? '',
      source ?? '', pattern ?? '', reply, copy),
  };
}

/**
 * exchange.declare: `{}` from the broker (the APIs hand back `{ exchange }`). `durable` defaults to TRUE, like
 * amqplib; `alternateExchange` becomes the `alternate-exchange` argument.
 */
export function assertExchangeRequest(t: RequestTarget, exchange: string, type: string,
  options: AssertExchangeOptions | undefined): RpcRequest<{ exchange: string }> {
  const o = options || {};
  checkPrototype(o.arguments);
  const args: Record<string, unknown> = {};
  if (o.arguments) for (const key in o.arguments) args[key] = o.arguments[key];
  if (o.alternateExchange !== undefined && o.alternateExchange !== null) args['alternate-exchange'] = o.alternateExchange;
  const props = {
    durable: o.durable === undefined ? true : !!o.durable, autoDelete: !!o.autoDelete, internal: !!o.internal,
    arguments: args,
  };
  return {
    method: METHODS.exchangeDeclare, encoded: 'ExchangeDeclare', fields: { exchange, type, arguments: args },
    send: (reply) => t.broker.assertExchange(t.channelId, exchange ?? '', type === undefined ? 'direct' : type, props,
      reply),
  };
}

/** exchange.declare passive: `{}`. */
export function checkExchangeRequest(t: RequestTarget, exchange: string): RpcRequest<Empty> {
  return {
    method: METHODS.exchangeDeclare, encoded: 'ExchangeDeclare', fields: { exchange, type: '' },
    send: (reply) => t.broker.checkExchange(t.channelId, exchange ?? '', reply),
  };
}

/** exchange.delete: `{}`. */
export function deleteExchangeRequest(t: RequestTarget, exchange: string,
  options: { ifUnused?: boolean } | undefined): RpcRequest<Empty> {
  return {
    method: METHODS.exchangeDelete, encoded: 'ExchangeDelete', fields: { exchange },
    send: (reply) => t.broker.deleteExchange(t.channelId, exchange ?? '', { ifUnused: !!options?.ifUnused }, reply),
  };
}

/** exchange.bind / exchange.unbind: `{}`. */
export function bindExchangeRequest(t: RequestTarget, unbind: boolean, destination: string, source: string,
  pattern: string, args: Record<string, unknown> | undefined): RpcRequest<Empty> {
  checkPrototype(args);
  const copy = { ...(args ?? {}) };
  return {
    method: unbind ? METHODS.exchangeUnbind : METHODS.exchangeBind, encoded: unbind ? 'ExchangeUnbind' : 'ExchangeBind',
    fields: { destination, source, routingKey: pattern, arguments: args ?? {} },
    send: (reply) => (unbind ? t.broker.unbindExchange : t.broker.bindExchange).call(t.broker, t.channelId,
      destination ?? '', source ?? '', pattern ?? '', reply, copy),
  };
}

/**
 * basic.consume: `{ consumerTag }`. `priority` becomes the `x-priority` argument (amqplib puts it on an object made
 * with `Object.create(options.arguments)`).
 */
export function consumeRequest(t: RequestTarget, queue: string, options: ConsumeOptions | undefined): RpcRequest<{ consumerTag: string }> {
  const opts = options || {};
  checkPrototype(opts.arguments);
  const argt = Object.create((opts.arguments || null) as object | null) as Record<string, unknown>;
  if (opts.priority !== undefined && opts.priority !== null) argt['x-priority'] = opts.priority;
  const o = { noAck: !!opts.noAck, consumerTag: opts.consumerTag || '', exclusive: !!opts.exclusive, priority: argt['x-priority'] };
  return {
    method: METHODS.basicConsume, encoded: 'BasicConsume', fields: { queue, consumerTag: o.consumerTag, arguments: argt },
    send: (reply) => t.broker.consume(t.channelId, queue ?? '', o, reply),
  };
}

/** basic.cancel: `{ consumerTag }`. */
export function cancelRequest(t: RequestTarget, consumerTag: string): RpcRequest<{ consumerTag: string }> {
  return {
    method: METHODS.basicCancel, encoded: 'BasicCancel', fields: { consumerTag },
    send: (reply) => t.broker.cancel(t.channelId, consumerTag, reply),
  };
}

/** basic.get: the delivery, or false for basic.get-empty. */
export function getRequest(t: RequestTarget, queue: string, options: { noAck?: boolean } | undefined): RpcRequest<Delivery | false> {
  return {
    method: METHODS.basicGet, encoded: 'BasicGet', fields: { queue }, rawFrame: true,
    send: (reply) => t.broker.get(t.channelId, queue ?? '', { noAck: !!options?.noAck }, reply),
  };
}

/**
 * basic.qos: `{}`. Like amqplib, a non-number count fails encoding with a TypeError and one outside an unsigned
 * short with a RangeError; fractions are truncated.
 */
export function qosRequest(t: RequestTarget, count: number, global: boolean | undefined): RpcRequest<Empty> {
  const prefetchCount: unknown = count || 0;
  return {
    method: METHODS.basicQos, encoded: 'BasicQos', fields: { prefetchSize: 0, prefetchCount },
    send: (reply) => t.broker.qos(t.channelId, Math.trunc(prefetchCount as number), !!global,
      (err) => reply(err, {})),
  };
}

/** basic.recover: `{}`. */
export function recoverRequest(t: RequestTarget): RpcRequest<Empty> {
  return {
    method: METHODS.basicRecover, encoded: 'BasicRecover', fields: {},
    send: (reply) => t.broker.recover(t.channelId, (err) => reply(err, {})),
  };
}
