import { Buffer } from 'buffer';
import type { AmqpBroker, Reply } from '../model/broker.ts';
import type { Delivery, ReturnedMessage } from '../model/channel.ts';
import { METHODS, type AmqpMethodRef, type AmqpServerError } from '../model/errors.ts';
import type { CloseReason } from '../../../trace.ts';
import {
  basicProperties, copyProperties, queueProperties, withDecodedOctets, type AssertExchangeOptions, type AssertQueueOptions, type PublishOptions,
} from './args.ts';
import { roundTripTable } from './field-table.ts';
import type { Connection } from './channel-model.ts';
import { checkBasicProperties, checkMethodFields, checkPrototype, type EncodedMethod } from './encode.ts';
import { closeMessage, IllegalOperationError, serverCloseError } from './errors.ts';
import { EventEmitter } from './events.ts';

/** What a channel needs from its connection (see channel-model.ts). */
export interface ChannelHost {
  readonly broker: AmqpBroker;
  /** Throws IllegalOperationError('Connection closing') while the connection is closing (amqplib invalidates its
   * sendMethod then). */
  checkSend(): void;
  /** False once the connection is closing: amqplib then ignores every frame but connection.close-ok. */
  acceptsFrames(): boolean;
  /** The connection's stand-in object (`channel.connection`). */
  readonly connection: Connection;
  /** Runs `handle(arg)` as the handling of one incoming frame: a throw becomes a connection error (ChannelModel). */
  frame<A>(handle: (arg: A) => void, arg: A): void;
  /** Whether the connection has an 'error' listener (else an unhandled channel error ends the program). */
  errorListened(): boolean;
  /** Registers the channel in `connection.channels` once its number is known. */
  adopt(channel: Channel): void;
  forget(channel: Channel): void;
}
/** basic.deliver / basic.get-ok fields as amqplib hands them over. */
export interface MessageFields {
  deliveryTag: number;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
  consumerTag?: string;
  messageCount?: number;
}

/** A received message, shaped exactly like amqplib's (`{ fields, properties, content }`). */
export interface Message {
  fields: MessageFields;
  properties: Record<string, unknown>;
  content: Buffer;
}

type ConsumeCallback = (message: Message | null) => void;

interface RpcEntry {
  method: AmqpMethodRef;
  /** Which encoder checks `fields` (encode.ts). */
  encoded: EncodedMethod;
  fields: Record<string, unknown>;
  send: (reply: Reply<unknown>) => void;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** basic.get: amqplib rejects with the raw close frame instead of an Error (lib/channel_model.js `get`). */
  rawFrame: boolean;
}

type ConfirmCallback = ((err: Error | null) => void) | null;

const CHANNEL_CLOSE_ID = (20 << 16) + 40;
/** AMQP reply codes amqplib uses when it closes a channel itself (lib/defs.js constants). */
const INTERNAL_ERROR = 541;
const UNEXPECTED_FRAME = 505;

/**
 * amqplib 0.10's promise-API Channel (node_modules/amqplib/lib/channel_model.js, lib/channel.js) over the broker
 * model. Like amqplib it runs one RPC at a time per channel and queues the others; publish and ack are sent at
 * once. Timing comes from the broker: an RPC takes one round trip.
 *
 * Errors, as amqplib 0.10.9 + RabbitMQ 3.10 behave (each verified on the real pair):
 * - argument checks of lib/api_args.js (`arguments`/`headers` not an object) throw synchronously;
 * - field checks of the frame encoder (encode.ts) throw synchronously from publish/ack/nack/reject and reject the
 *   promise of an RPC. Like amqplib (lib/channel.js `sendOrEnqueue` sets the awaited reply before encoding), an RPC
 *   that failed to encode leaves the channel waiting for a reply that never comes: every later RPC on that channel
 *   waits forever (publish and ack still work). An RPC queued behind another that fails to encode when its turn
 *   comes throws inside frame handling: a connection error (github.com/amqp-node/amqplib/issues/575);
 * - a server channel.close rejects the waiting RPC with `Operation failed: <Method>; <code> (<NAME>) with message
 *   "<text>"`, emits 'error' (`Channel closed by server: …`) and 'close'; later calls fail with
 *   IllegalOperationError "Channel closed". With no 'error' listener on the channel the throw becomes a connection
 *   error (ChannelModel); with none there either the program dies before the rejection is seen;
 * - an exception from a consume callback closes the channel with 541 INTERNAL_ERROR ('Error while processing
 *   message'); once the server confirmed, the channel emits 'error' with that exception (code 541), then 'close'.
 *
 * Own enumerable properties are amqplib's public ones (`connection`, `ch`); internals are private (#) fields.
 */
export class Channel extends EventEmitter {
  /** The connection's stand-in (amqplib `channel.connection`). */
  readonly connection: Connection;
  /** Channel number on its connection (amqplib `channel.ch`). */
  readonly ch: number;
  readonly #host: ChannelHost;
  readonly #id: string;
  #state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  #current: RpcEntry | null = null;
  readonly #pending: RpcEntry[] = [];
  readonly #consumers = new Map<string, ConsumeCallback>();
  /** Confirm callbacks awaiting the broker (ConfirmChannel only). */
  readonly #unconfirmed: ConfirmCallback[] = [];

  /** @internal created by ChannelModel.createChannel. */
  constructor(host: ChannelHost, connectionId: string, onOpen: (channel: Channel) => void) {
    super();
    this.#host = host;
    this.connection = host.connection;
    const deliver = (d: Delivery) => this.#handleDelivery(d);
    this.#id = host.broker.openChannel(connectionId, {
      onDeliver: (d) => host.frame(deliver, d),
      onConsumerCancelled: (tag) => host.frame((t: string) => this.#handleCancel(t), tag),
      onReturn: (r) => host.frame((returned: ReturnedMessage) => {
        // amqplib emits 'return' with { fields: { replyCode, replyText, exchange, routingKey }, properties, content }.
        if (this.#state !== 'open' || !this.#host.acceptsFrames()) return;
        this.emit('return', {
          fields: {
            replyCode: returned.replyCode, replyText: returned.replyText, exchange: returned.exchange,
            routingKey: returned.routingKey,
          },
          properties: copyProperties(returned.properties),
          content: Buffer.from(returned.content as Buffer),
        });
      }, r),
      onServerClose: (reason, method) => host.frame(() => this.#handleServerClose(reason, method), undefined),
    }, () => host.frame(() => {
      if (this.#state === 'opening') this.#state = 'open';
      onOpen(this);
    }, undefined));
    this.ch = Number(this.#id.slice(this.#id.lastIndexOf('.ch') + 3));
    host.adopt(this);
  }

  /** Broker channel id (`c1.ch1`), as in the trace (not an amqplib property; not enumerable). */
  get id(): string {
    return this.#id;
  }

  // ───────────── queues ─────────────

  /**
   * queue.declare: `{ queue, messageCount, consumerCount }`. `durable` defaults to true, as in amqplib; a falsy
   * `queue` means '' (a server-named queue). A non-object `options.arguments` throws synchronously; a queue name
   * that is not a string of ≤ 255 bytes rejects with amqplib's TypeError.
   */
  assertQueue(queue?: string, options?: AssertQueueOptions): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    const name = (queue || '') as string;
    const properties = queueProperties(options);
    const fields = { queue: name, arguments: properties.arguments };
    return this.#rpc(METHODS.queueDeclare, 'QueueDeclare', fields,
      (reply) => this.#host.broker.assertQueue(this.#id, name, properties, reply));
  }

  /** queue.declare passive: rejects (and closes the channel) with 404 if the queue does not exist. */
  checkQueue(queue: string): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    return this.#rpc(METHODS.queueDeclare, 'QueueDeclare', { queue },
      (reply) => this.#host.broker.checkQueue(this.#id, queue ?? '', reply));
  }

  /** queue.delete: `{ messageCount }` (ready messages it held). */
  deleteQueue(queue: string, options?: { ifUnused?: boolean; ifEmpty?: boolean }): Promise<{ messageCount: number }> {
    const o = { ifUnused: !!options?.ifUnused, ifEmpty: !!options?.ifEmpty };
    return this.#rpc(METHODS.queueDelete, 'QueueDelete', { queue },
      (reply) => this.#host.broker.deleteQueue(this.#id, queue ?? '', o, reply));
  }

  /** queue.purge: `{ messageCount }` (ready messages removed; unacked ones stay). */
  purgeQueue(queue: string): Promise<{ messageCount: number }> {
    return this.#rpc(METHODS.queuePurge, 'QueuePurge', { queue },
      (reply) => this.#host.broker.purgeQueue(this.#id, queue ?? '', reply));
  }

  // ───────────── publishing ─────────────

  /**
   * basic.publish. Returns true (the simulated socket never fills). Throws, in amqplib's order: a bad `headers`
   * option (api_args.js), IllegalOperationError when closed, TypeError('content is not a buffer') unless `content`
   * is a Buffer (lib/connection.js sendMessage), then the encoder's field errors (encode.ts).
   */
  publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions): boolean {
    return this.publishWith(exchange, routingKey, content, options, undefined);
  }

  /** publish to the default exchange with the queue name as routing key. */
  sendToQueue(queue: string, content: Buffer, options?: PublishOptions): boolean {
    return this.publish('', queue, content, options);
  }

  protected publishWith(exchange: string, routingKey: string, content: Buffer, options: PublishOptions | undefined,
    onConfirmed: ((nacked: boolean) => void) | undefined): boolean {
    const properties = basicProperties(options);
    this.#checkSend();
    if (!Buffer.isBuffer(content)) throw new TypeError('content is not a buffer');
    checkMethodFields('BasicPublish', { exchange, routingKey });
    checkBasicProperties(properties);
    withDecodedOctets(properties);
    if (properties.headers !== null && typeof properties.headers === 'object') {
      properties.headers = roundTripTable(properties.headers);
    }
    const body = Buffer.from(content);
    const text = preview(body);
    const details = inspectorDetails(body, text, properties);
    this.#host.broker.publish(this.#id, exchange ?? '', routingKey ?? '', body, properties, text,
      details === undefined ? { mandatory: !!options?.mandatory, onConfirmed }
        : { mandatory: !!options?.mandatory, onConfirmed, details });
    return true;
  }

  // ───────────── consuming ─────────────

  /**
   * basic.consume: resolves `{ consumerTag }` once the server answered; `callback` gets each message, and `null`
   * if the server cancels the consumer (its queue was deleted). The callback is registered before the promise
   * resolves, so no delivery can miss it (amqplib does the same).
   */
  consume(queue: string, callback: ConsumeCallback,
    options?: { noAck?: boolean; consumerTag?: string; exclusive?: boolean; priority?: number; arguments?: Record<string, unknown> }): Promise<{ consumerTag: string }> {
    const opts = options || {};
    checkPrototype(opts.arguments);
    const argt: Record<string, unknown> = Object.create((opts.arguments || null) as object | null) as Record<string, unknown>;
    if (opts.priority !== undefined && opts.priority !== null) argt['x-priority'] = opts.priority;
    const o = { noAck: !!opts.noAck, consumerTag: opts.consumerTag || '', exclusive: !!opts.exclusive,
      priority: argt['x-priority'] };
    const consumer = callback;
    return new Promise<{ consumerTag: string }>((resolve, reject) => {
      this.#sendOrEnqueue({
        method: METHODS.basicConsume, encoded: 'BasicConsume', fields: { queue, consumerTag: o.consumerTag, arguments: argt },
        send: (reply) => this.#host.broker.consume(this.#id, queue ?? '', o, reply as Reply<{ consumerTag: string }>),
        resolve: (ok) => {
          this.#consumers.set((ok as { consumerTag: string }).consumerTag, consumer);
          resolve(ok as { consumerTag: string });
        },
        reject, rawFrame: false,
      });
    });
  }

  /** basic.cancel: resolves undefined (amqplib 0.10's cancel returns nothing). */
  async cancel(consumerTag: string): Promise<void> {
    await this.#rpc(METHODS.basicCancel, 'BasicCancel', { consumerTag },
      (reply) => this.#host.broker.cancel(this.#id, consumerTag, reply));
    this.#consumers.delete(consumerTag);
  }

  /**
   * basic.get: a message (fields with `messageCount` instead of `consumerTag`) or `false` when the queue is empty.
   * A server error rejects with amqplib's raw close frame `{ id, channel, fields: { replyCode, replyText, classId,
   * methodId } }`, not an Error — a quirk of amqplib 0.10 (verified with RabbitMQ 3.10).
   */
  async get(queue: string, options?: { noAck?: boolean }): Promise<Message | false> {
    const d = await this.#rpc<Delivery | false>(METHODS.basicGet, 'BasicGet', { queue },
      (reply) => this.#host.broker.get(this.#id, queue ?? '', { noAck: !!options?.noAck }, reply), true);
    if (d === false) return false;
    return {
      fields: {
        deliveryTag: d.deliveryTag, redelivered: d.redelivered, exchange: d.exchange, routingKey: d.routingKey,
        messageCount: d.messageCount ?? 0,
      },
      properties: copyProperties(d.properties),
      content: Buffer.from(d.content as Buffer),
    };
  }

  /** basic.ack of `message` (and all before it if `allUpTo`). A missing delivery tag encodes as 0 (as amqplib). */
  ack(message: Message, allUpTo?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.#checkSend();
    checkMethodFields('BasicAck', { deliveryTag: tag });
    this.#host.broker.ack(this.#id, tag ?? 0, !!allUpTo);
  }

  /** basic.ack with tag 0 and multiple: every outstanding delivery on the channel. */
  ackAll(): void {
    this.#checkSend();
    this.#host.broker.ack(this.#id, 0, true);
  }

  /** basic.nack; `requeue` defaults to true. */
  nack(message: Message, allUpTo?: boolean, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.#checkSend();
    checkMethodFields('BasicNack', { deliveryTag: tag });
    this.#host.broker.nack(this.#id, tag ?? 0, !!allUpTo, requeue === undefined ? true : !!requeue);
  }

  /** basic.nack with tag 0 and multiple; `requeue` defaults to true. */
  nackAll(requeue?: boolean): void {
    this.#checkSend();
    this.#host.broker.nack(this.#id, 0, true, requeue === undefined ? true : !!requeue);
  }

  /** basic.reject; `requeue` defaults to true. The delivery tag is mandatory (Error "Missing value …"). */
  reject(message: Message, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.#checkSend();
    checkMethodFields('BasicReject', { deliveryTag: tag });
    this.#host.broker.reject(this.#id, tag, requeue === undefined ? true : !!requeue);
  }

  /**
   * basic.qos: `global` false = per consumer created afterwards (RabbitMQ), true = shared by the channel.
   * Like amqplib, a non-number count rejects with a TypeError and one outside an unsigned short with a RangeError
   * (from the frame encoder, node_modules/amqplib/lib/defs.js); fractions are truncated.
   */
  qos(count: number, global?: boolean): Promise<Record<string, never>> {
    const prefetchCount: unknown = count || 0;
    return this.#rpc(METHODS.basicQos, 'BasicQos', { prefetchSize: 0, prefetchCount }, (reply: Reply<void>) =>
      this.#host.broker.qos(this.#id, Math.trunc(prefetchCount as number), !!global, (err) => reply(err, undefined)))
      .then(() => ({}));
  }

  /** Same as `qos` (amqplib alias). */
  prefetch(count: number, global?: boolean): Promise<Record<string, never>> {
    return this.qos(count, global);
  }

  /** basic.recover: every unacked message on this channel goes back to its queue, redelivered. Resolves `{}`. */
  recover(): Promise<Record<string, never>> {
    return this.#rpc(METHODS.basicRecover, 'BasicRecover', {}, (reply: Reply<void>) => this.#host.broker.recover(this.#id, reply))
      .then(() => ({}));
  }

  /** channel.close: resolves once the server confirmed; 'close' is emitted first. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.#checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      this.#state = 'closing';
      this.#host.broker.closeChannel(this.#id, () => this.#host.frame(() => {
        resolve();
        this.toClosed();
      }, undefined));
    });
  }

  // ───────────── exchanges and bindings ─────────────

  /**
   * exchange.declare: resolves `{ exchange }` (the name given, as amqplib does). `durable` defaults to TRUE, like
   * amqplib (node_modules/amqplib/lib/api_args.js); `alternateExchange` becomes the `alternate-exchange` argument.
   */
  assertExchange(exchange: string, type: string, options?: AssertExchangeOptions): Promise<{ exchange: string }> {
    const o = options || {};
    checkPrototype(o.arguments);
    const args: Record<string, unknown> = {};
    if (o.arguments) for (const key in o.arguments) args[key] = o.arguments[key];
    if (o.alternateExchange !== undefined && o.alternateExchange !== null) args['alternate-exchange'] = o.alternateExchange;
    const props = {
      durable: o.durable === undefined ? true : !!o.durable, autoDelete: !!o.autoDelete, internal: !!o.internal,
      arguments: args,
    };
    return this.#rpc(METHODS.exchangeDeclare, 'ExchangeDeclare', { exchange, type, arguments: args },
      (reply: Reply<{ exchange: string }>) => this.#host.broker.assertExchange(this.#id, exchange ?? '',
        type === undefined ? 'direct' : type, props, reply))
      .then(() => ({ exchange }));
  }

  /** exchange.declare passive: resolves `{}`; a missing exchange rejects with 404 and closes the channel. */
  checkExchange(exchange: string): Promise<Record<string, never>> {
    return this.#rpc(METHODS.exchangeDeclare, 'ExchangeDeclare', { exchange, type: '' },
      (reply: Reply<Record<string, never>>) => this.#host.broker.checkExchange(this.#id, exchange ?? '', reply));
  }

  /** exchange.delete: resolves `{}` (a missing exchange is fine); `ifUnused` refuses one that has bindings. */
  deleteExchange(exchange: string, options?: { ifUnused?: boolean }): Promise<Record<string, never>> {
    return this.#rpc(METHODS.exchangeDelete, 'ExchangeDelete', { exchange },
      (reply: Reply<Record<string, never>>) => this.#host.broker.deleteExchange(this.#id, exchange ?? '',
        { ifUnused: !!options?.ifUnused }, reply));
  }

  /** queue.bind: resolves `{}`. `pattern` is the binding key (a topic pattern for topic exchanges). */
  bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Record<string, never>> {
    checkPrototype(args);
    return this.#rpc(METHODS.queueBind, 'QueueBind', { queue, exchange: source, routingKey: pattern, arguments: args ?? {} },
      (reply: Reply<Record<string, never>>) => this.#host.broker.bindQueue(this.#id, queue ?? '', source ?? '',
        pattern ?? '', reply, { ...(args ?? {}) }));
  }

  /** queue.unbind: resolves `{}`; unbinding what is not bound is fine. */
  unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Record<string, never>> {
    checkPrototype(args);
    return this.#rpc(METHODS.queueUnbind, 'QueueUnbind', { queue, exchange: source, routingKey: pattern, arguments: args ?? {} },
      (reply: Reply<Record<string, never>>) => this.#host.broker.unbindQueue(this.#id, queue ?? '', source ?? '',
        pattern ?? '', reply, { ...(args ?? {}) }));
  }

  /**
   * exchange.bind (RabbitMQ's exchange-to-exchange binding): messages `source` routes with a key matching
   * `pattern` also go through `destination`. Resolves `{}`.
   */
  bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Record<string, never>> {
    checkPrototype(args);
    return this.#rpc(METHODS.exchangeBind, 'ExchangeBind', { destination, source, routingKey: pattern, arguments: args ?? {} },
      (reply: Reply<Record<string, never>>) => this.#host.broker.bindExchange(this.#id, destination ?? '', source ?? '',
        pattern ?? '', reply, { ...(args ?? {}) }));
  }

  /** exchange.unbind: resolves `{}`; unbinding what is not bound (even a missing exchange) is fine. */
  unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Record<string, never>> {
    checkPrototype(args);
    return this.#rpc(METHODS.exchangeUnbind, 'ExchangeUnbind', { destination, source, routingKey: pattern, arguments: args ?? {} },
      (reply: Reply<Record<string, never>>) => this.#host.broker.unbindExchange(this.#id, destination ?? '', source ?? '',
        pattern ?? '', reply, { ...(args ?? {}) }));
  }

  // ───────────── confirms (used by ConfirmChannel) ─────────────

  /** Publishes with a confirm callback; the slot is taken before publishing, as amqplib does (so it stays even if
   * publish throws). */
  protected publishConfirmed(exchange: string, routingKey: string, content: Buffer, options: PublishOptions | undefined,
    callback: ConfirmCallback | undefined): boolean {
    this.#unconfirmed.push(callback ?? null);
    return this.publishWith(exchange, routingKey, content, options, (nacked) => this.#host.frame(() => {
      // Confirms arrive in publish order, so the oldest outstanding entry is this one. A basic.nack (a queue
      // refused the message: length limit with reject-publish) gives Error('message nacked'), as amqplib does.
      if (this.#state !== 'open' || !this.#host.acceptsFrames()) return;
      const cb = this.#unconfirmed.shift();
      if (cb) cb(nacked ? new Error('message nacked') : null);
    }, undefined));
  }

  /** ConfirmChannel.waitForConfirms. */
  protected waitForUnconfirmed(): Promise<void[]> {
    const unconfirmed = this.#unconfirmed;
    const awaiting = unconfirmed.map((cb, index) => new Promise<void>((resolve, reject) => {
      unconfirmed[index] = (err) => {
        if (cb) cb(err);
        if (err === null) resolve();
        else reject(err);
      };
    }));
    if (this.#state === 'closed') {
      for (const cb of unconfirmed.splice(0)) if (cb) cb(new Error('channel closed'));
    }
    return Promise.all(awaiting);
  }

  // ───────────── internals ─────────────

  /** Like amqplib's invalidated send functions: throws once closing/closed. */
  #checkSend(): void {
    if (this.#state === 'closed') throw new IllegalOperationError('Channel closed', 'Channel closed');
    if (this.#state === 'closing') throw new IllegalOperationError('Channel closing', 'closeBecause called: Goodbye');
    this.#host.checkSend();
  }

  #rpc<T>(method: AmqpMethodRef, encoded: EncodedMethod, fields: Record<string, unknown>, send: (reply: Reply<T>) => void,
    rawFrame = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#sendOrEnqueue({
        method, encoded, fields, send: send as (reply: Reply<unknown>) => void,
        resolve: resolve as (value: unknown) => void, reject, rawFrame,
      });
    });
  }

  /** lib/channel.js sendOrEnqueue: the entry becomes the awaited reply BEFORE it is encoded (see class doc). */
  #sendOrEnqueue(entry: RpcEntry): void {
    this.#checkSend();
    if (this.#current === null) {
      this.#current = entry;
      this.#sendImmediately(entry);
    } else {
      this.#pending.push(entry);
    }
  }

  #sendImmediately(entry: RpcEntry): void {
    this.#checkSend();
    checkMethodFields(entry.encoded, entry.fields);
    entry.send((err, value) => this.#host.frame(() => this.#handleReply(entry, err, value), undefined));
  }

  /** A reply frame: the next queued RPC is sent (and encoded) before this one resolves, as in amqplib's accept. */
  #handleReply(entry: RpcEntry, err: AmqpServerError | null, value: unknown): void {
    if (this.#current !== entry || this.#state !== 'open' || !this.#host.acceptsFrames()) return;
    // An error reply is followed by the server's channel.close, which rejects the entry (#handleServerClose).
    if (err !== null) return;
    this.#current = null;
    const next = this.#pending.shift();
    if (next !== undefined) {
      this.#current = next;
      this.#sendImmediately(next);
    }
    entry.resolve(value);
  }

  #handleDelivery(d: Delivery): void {
    if (this.#state !== 'open' || !this.#host.acceptsFrames()) return;
    const tag = d.consumerTag as string;
    const message: Message = {
      fields: {
        consumerTag: tag, deliveryTag: d.deliveryTag, redelivered: d.redelivered, exchange: d.exchange,
        routingKey: d.routingKey,
      },
      properties: copyProperties(d.properties),
      content: Buffer.from(d.content as Buffer),
    };
    try {
      const consumer = this.#consumers.get(tag);
      if (consumer === undefined) throw new Error(`Unknown consumer: ${tag}`);
      consumer(message);
    } catch (error) {
      this.#closeWithError(error);
    }
  }

  /**
   * lib/channel.js acceptMessageFrame → closeWithError: the channel closes itself (541 'Error while processing
   * message'; a thrown string: 505); once the server confirmed, 'error' with the thrown value (code set), then
   * 'close'.
   */
  #closeWithError(thrown: unknown): void {
    let error: Error & { code?: number };
    let code = INTERNAL_ERROR;
    if (thrown instanceof Error) error = thrown;
    else if (typeof thrown === 'string') {
      error = new Error(thrown);
      code = UNEXPECTED_FRAME;
    } else error = new Error(String(thrown));
    this.#state = 'closing';
    this.#host.broker.closeChannel(this.#id, () => this.#host.frame(() => {
      error.code = code;
      this.emit('error', error);
      this.toClosed();
    }, undefined));
  }

  /** basic.cancel from the server: the consumer gets `null`; a throw from it is a connection error (amqplib emits
   * 'cancel' outside the message-frame try/catch). */
  #handleCancel(tag: string): void {
    if (this.#state !== 'open' || !this.#host.acceptsFrames()) return;
    const consumer = this.#consumers.get(tag);
    if (consumer === undefined) throw new Error(`Unknown consumer: ${tag}`);
    consumer(null);
    this.#consumers.delete(tag);
  }

  /**
   * channel.close from the server (lib/channel.js accept): reject the waiting RPC, emit 'error', then close. When
   * nothing listens for 'error' on the channel nor on its connection the program is about to die of it: the
   * rejection is then skipped, since in Node no promise reaction runs after the crash.
   */
  #handleServerClose(reason: CloseReason, method: AmqpMethodRef): void {
    if (this.#state !== 'open') return;
    const message = `Channel closed by server: ${closeMessage(reason)}`;
    const fatal = this.listenerCount('error') === 0 && !this.#host.errorListened();
    const waiting = this.#current;
    if (waiting !== null) {
      this.#current = null;
      const sameMethod = waiting.method.classId === method.classId && waiting.method.methodId === method.methodId;
      if (!fatal) {
        waiting.reject(waiting.rawFrame ? closeFrame(this.ch, reason, method)
          : serverCloseError(sameMethod ? `Operation failed: ${waiting.method.name}; ${closeMessage(reason)}` : message,
            reason, method));
      }
    }
    this.emit('error', serverCloseError(message, reason, method));
    this.toClosed();
  }

  /**
   * Entirely closed: pending RPCs rejected ("Channel ended, no reply will be forthcoming"), sends invalid,
   * unconfirmed publishes failed, 'close' emitted. Also called by the connection when it closes.
   */
  toClosed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const ended = () => new Error('Channel ended, no reply will be forthcoming');
    if (this.#current !== null) this.#current.reject(ended());
    this.#current = null;
    for (const entry of this.#pending.splice(0)) entry.reject(ended());
    for (const cb of this.#unconfirmed.splice(0)) if (cb) cb(new Error('channel closed'));
    this.#host.forget(this);
    this.emit('close');
  }
}

/**
 * A channel in confirm mode: `publish` / `sendToQueue` take a callback called with `null` once the broker has
 * routed the message; `waitForConfirms()` resolves when all outstanding ones are confirmed (rejects with
 * Error('channel closed') for those lost to a close). The broker nacks a message a queue refused (length limit
 * with overflow reject-publish / reject-publish-dlx): its callback gets Error('message nacked').
 * Source: https://www.rabbitmq.com/docs/confirms#publisher-confirms, amqplib lib/channel_model.js ConfirmChannel.
 */
export class ConfirmChannel extends Channel {
  override publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    return this.publishConfirmed(exchange, routingKey, content, options, callback);
  }

  override sendToQueue(queue: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** Resolves when every message published so far is confirmed; rejects with Error('channel closed') if lost. */
  waitForConfirms(): Promise<void[]> {
    return this.waitForUnconfirmed();
  }
}

function closeFrame(channel: number, reason: CloseReason, method: AmqpMethodRef) {
  return {
    id: CHANNEL_CLOSE_ID, channel,
    fields: { replyCode: reason.code, replyText: reason.text, classId: method.classId, methodId: method.methodId },
  };
}

/** Printable preview of a body for the trace (≤ 40 chars, control characters shown as '.'). */
/** Longest body text kept for the message inspector (characters). */
export const MESSAGE_BODY_CHARS_MAX = 2_000;

/**
 * What the lesson's message inspector shows of a published message (see `PublishFlags.details`): the body as UTF-8
 * text (cut at `MESSAGE_BODY_CHARS_MAX`), the properties that are set, and the headers, printed the way a consumer
 * would see their values. Undefined when there is nothing beyond the preview (no property, no header, a short body).
 */
function inspectorDetails(body: Buffer, shown: string, properties: Record<string, unknown>):
  { body: string; properties: Array<[string, string]>; headers: Array<[string, string]> } | undefined {
  const props: Array<[string, string]> = [];
  let headers: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    if (key === 'headers') {
      if (typeof value === 'object') headers = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, printable(v)]);
      continue;
    }
    props.push([key, printable(value)]);
  }
  const text = body.length > MESSAGE_BODY_CHARS_MAX * 4 ? body.subarray(0, MESSAGE_BODY_CHARS_MAX * 4).toString('utf8')
    : body.toString('utf8');
  const full = text.length > MESSAGE_BODY_CHARS_MAX ? `${text.slice(0, MESSAGE_BODY_CHARS_MAX)}… (${body.length} bytes)` : text;
  if (props.length === 0 && headers.length === 0 && full === shown) return undefined;
  return { body: full, properties: props, headers };
}

/** A property or header value as text (JSON for objects, a Buffer's text). */
function printable(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function preview(body: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return body.subarray(0, 120).toString('utf8').replace(/[\u0000-\u001f\u007f]/g, '.').slice(0, 40);
}
