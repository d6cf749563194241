import { Buffer } from 'buffer';
import type { AmqpBroker, Reply } from '../../amqp/broker.ts';
import type { Delivery } from '../../amqp/channel.ts';
import { METHODS, type AmqpMethodRef, type AmqpServerError } from '../../amqp/errors.ts';
import type { CloseReason } from '../../trace.ts';
import { basicProperties, copyProperties, queueProperties, type AssertQueueOptions, type PublishOptions } from './args.ts';
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
  send: (reply: Reply<unknown>) => void;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  /** basic.get: amqplib rejects with the raw close frame instead of an Error (lib/channel_model.js `get`). */
  rawFrame: boolean;
  channelNumber: number;
}

const CHANNEL_CLOSE_ID = (20 << 16) + 40;

/**
 * amqplib 0.10's promise-API Channel (node_modules/amqplib/lib/channel_model.js, lib/channel.js) over the broker
 * model. Like amqplib it runs one RPC at a time per channel and queues the others; publish and ack are sent at
 * once. Server channel errors reject the RPC that caused them with `Operation failed: <Method>; <code> (<NAME>) with
 * message "<text>"`, then emit 'error' (`Channel closed by server: …`) and 'close'; later calls fail with
 * IllegalOperationError "Channel closed". Timing comes from the broker: an RPC takes one round trip.
 */
export class Channel extends EventEmitter {
  /** Channel number on its connection (amqplib `channel.ch`). */
  readonly ch: number;
  /** Broker channel id (`c1.ch1`), as in the trace. */
  readonly id: string;
  protected readonly host: ChannelHost;
  protected state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  private current: RpcEntry | null = null;
  private readonly pending: RpcEntry[] = [];
  private readonly consumers = new Map<string, ConsumeCallback>();
  /** Confirm callbacks awaiting the broker (ConfirmChannel only). */
  protected readonly unconfirmed: Array<((err: Error | null) => void) | null> = [];

  /** @internal created by ChannelModel.createChannel. */
  constructor(host: ChannelHost, connectionId: string, onOpen: (channel: Channel) => void) {
    super();
    this.host = host;
    this.id = host.broker.openChannel(connectionId, {
      onDeliver: (d) => this.handleDelivery(d),
      onConsumerCancelled: (tag) => this.handleCancel(tag),
      onReturn: (r) => {
        // amqplib emits 'return' with { fields: { replyCode, replyText, exchange, routingKey }, properties, content }.
        if (this.state !== 'open' || !this.host.acceptsFrames()) return;
        this.emit('return', {
          fields: { replyCode: r.replyCode, replyText: r.replyText, exchange: r.exchange, routingKey: r.routingKey },
          properties: copyProperties(r.properties),
          content: Buffer.from(r.content as Buffer),
        });
      },
      onServerClose: (reason, method) => this.handleServerClose(reason, method),
    }, () => {
      if (this.state === 'opening') this.state = 'open';
      onOpen(this);
    });
    this.ch = Number(this.id.slice(this.id.lastIndexOf('.ch') + 3));
  }

  // ───────────── queues ─────────────

  /** queue.declare: `{ queue, messageCount, consumerCount }`. `durable` defaults to true, as in amqplib. */
  assertQueue(queue?: string, options?: AssertQueueOptions): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    const properties = queueProperties(options);
    return this.rpc(METHODS.queueDeclare, (reply) => this.host.broker.assertQueue(this.id, queue || '', properties, reply));
  }

  /** queue.declare passive: rejects (and closes the channel) with 404 if the queue does not exist. */
  checkQueue(queue: string): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    return this.rpc(METHODS.queueDeclare, (reply) => this.host.broker.checkQueue(this.id, queue, reply));
  }

  /** queue.delete: `{ messageCount }` (ready messages it held). */
  deleteQueue(queue: string, options?: { ifUnused?: boolean; ifEmpty?: boolean }): Promise<{ messageCount: number }> {
    const o = { ifUnused: !!options?.ifUnused, ifEmpty: !!options?.ifEmpty };
    return this.rpc(METHODS.queueDelete, (reply) => this.host.broker.deleteQueue(this.id, queue, o, reply));
  }

  /** queue.purge: `{ messageCount }` (ready messages removed; unacked ones stay). */
  purgeQueue(queue: string): Promise<{ messageCount: number }> {
    return this.rpc(METHODS.queuePurge, (reply) => this.host.broker.purgeQueue(this.id, queue, reply));
  }

  // ───────────── publishing ─────────────

  /**
   * basic.publish. Returns true (the simulated socket never fills). Throws TypeError('content is not a buffer')
   * unless `content` is a Buffer (amqplib lib/connection.js sendMessage), IllegalOperationError when closed.
   */
  publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions): boolean {
    return this.publishWith(exchange, routingKey, content, options, undefined);
  }

  /** publish to the default exchange with the queue name as routing key. */
  sendToQueue(queue: string, content: Buffer, options?: PublishOptions): boolean {
    return this.publish('', queue, content, options);
  }

  protected publishWith(exchange: string, routingKey: string, content: Buffer, options: PublishOptions | undefined,
    onConfirmed: (() => void) | undefined): boolean {
    const properties = basicProperties(options);
    this.checkSend();
    if (!Buffer.isBuffer(content)) throw new TypeError('content is not a buffer');
    const body = Buffer.from(content);
    this.host.broker.publish(this.id, exchange, routingKey, body, properties, preview(body),
      { mandatory: !!options?.mandatory, onConfirmed });
    return true;
  }

  // ───────────── consuming ─────────────

  /**
   * basic.consume: resolves `{ consumerTag }` once the server answered; `callback` gets each message, and `null`
   * if the server cancels the consumer (its queue was deleted).
   */
  consume(queue: string, callback: ConsumeCallback,
    options?: { noAck?: boolean; consumerTag?: string; exclusive?: boolean }): Promise<{ consumerTag: string }> {
    const o = { noAck: !!options?.noAck, consumerTag: options?.consumerTag || '', exclusive: !!options?.exclusive };
    return this.rpc(METHODS.basicConsume, (reply: Reply<{ consumerTag: string }>) =>
      this.host.broker.consume(this.id, queue, o, (err, ok) => {
        // Registered before the promise resolves, so no delivery can miss it (amqplib does the same).
        if (err === null && ok !== undefined) this.consumers.set(ok.consumerTag, callback);
        reply(err, ok);
      }));
  }

  /** basic.cancel: resolves undefined (amqplib 0.10's cancel returns nothing). */
  async cancel(consumerTag: string): Promise<void> {
    await this.rpc(METHODS.basicCancel, (reply) => this.host.broker.cancel(this.id, consumerTag, reply));
    this.consumers.delete(consumerTag);
  }

  /**
   * basic.get: a message (fields with `messageCount` instead of `consumerTag`) or `false` when the queue is empty.
   * A server error rejects with amqplib's raw close frame `{ id, channel, fields: { replyCode, replyText, classId,
   * methodId } }`, not an Error — a quirk of amqplib 0.10 (verified with RabbitMQ 3.10).
   */
  async get(queue: string, options?: { noAck?: boolean }): Promise<Message | false> {
    const d = await this.rpc<Delivery | false>(METHODS.basicGet,
      (reply) => this.host.broker.get(this.id, queue, { noAck: !!options?.noAck }, reply), true);
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

  /** basic.ack of `message` (and all before it if `allUpTo`). */
  ack(message: Message, allUpTo?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    this.host.broker.ack(this.id, tag, !!allUpTo);
  }

  /** basic.ack with tag 0 and multiple: every outstanding delivery on the channel. */
  ackAll(): void {
    this.checkSend();
    this.host.broker.ack(this.id, 0, true);
  }

  /** basic.nack; `requeue` defaults to true. */
  nack(message: Message, allUpTo?: boolean, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    this.host.broker.nack(this.id, tag, !!allUpTo, requeue === undefined ? true : !!requeue);
  }

  /** basic.nack with tag 0 and multiple; `requeue` defaults to true. */
  nackAll(requeue?: boolean): void {
    this.checkSend();
    this.host.broker.nack(this.id, 0, true, requeue === undefined ? true : !!requeue);
  }

  /** basic.reject; `requeue` defaults to true. */
  reject(message: Message, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    this.host.broker.reject(this.id, tag, requeue === undefined ? true : !!requeue);
  }

  /**
   * basic.qos: `global` false = per consumer created afterwards (RabbitMQ), true = shared by the channel.
   * Like amqplib, a non-number count is a TypeError and one outside an unsigned short a RangeError (from the frame
   * encoder, node_modules/amqplib/lib/defs.js); fractions are truncated.
   */
  qos(count: number, global?: boolean): Promise<Record<string, never>> {
    const value: unknown = count || 0;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      return Promise.reject(new TypeError("Field 'prefetchCount' is the wrong type; must be a number (but not NaN)"));
    }
    if (value < 0 || value > 65535) {
      return Promise.reject(new RangeError('The value of "value" is out of range. It must be >= 0 and <= 65535. ' +
        `Received ${nodeNumber(value)}`));
    }
    const prefetchCount = Math.trunc(value);
    return this.rpc(METHODS.basicQos, (reply: Reply<void>) =>
      this.host.broker.qos(this.id, prefetchCount, !!global, (err) => reply(err, undefined))).then(() => ({}));
  }

  /** Same as `qos` (amqplib alias). */
  prefetch(count: number, global?: boolean): Promise<Record<string, never>> {
    return this.qos(count, global);
  }

  /** basic.recover: every unacked message on this channel goes back to its queue, redelivered. Resolves `{}`. */
  recover(): Promise<Record<string, never>> {
    return this.rpc(METHODS.basicRecover, (reply: Reply<void>) => this.host.broker.recover(this.id, reply))
      .then(() => ({}));
  }

  /** channel.close: resolves once the server confirmed; 'close' is emitted first. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      this.state = 'closing';
      this.host.broker.closeChannel(this.id, () => {
        resolve();
        this.toClosed();
      });
    });
  }

  // Exchanges and bindings belong to later lessons.
  assertExchange(): Promise<never> { return notSimulated('assertExchange'); }
  checkExchange(): Promise<never> { return notSimulated('checkExchange'); }
  deleteExchange(): Promise<never> { return notSimulated('deleteExchange'); }
  bindQueue(): Promise<never> { return notSimulated('bindQueue'); }
  unbindQueue(): Promise<never> { return notSimulated('unbindQueue'); }
  bindExchange(): Promise<never> { return notSimulated('bindExchange'); }
  unbindExchange(): Promise<never> { return notSimulated('unbindExchange'); }


  // ───────────── internals ─────────────

  /** Like amqplib's invalidated send functions: throws once closing/closed. */
  protected checkSend(): void {
    if (this.state === 'closed') throw new IllegalOperationError('Channel closed', 'Channel closed');
    if (this.state === 'closing') throw new IllegalOperationError('Channel closing', 'closeBecause called: Goodbye');
    this.host.checkSend();
  }

  private rpc<T>(method: AmqpMethodRef, send: (reply: Reply<T>) => void, rawFrame = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.checkSend();
      const entry: RpcEntry = {
        method, send: send as (reply: Reply<unknown>) => void, resolve: resolve as (value: unknown) => void, reject,
        rawFrame, channelNumber: this.ch,
      };
      if (this.current === null) this.start(entry);
      else this.pending.push(entry);
    });
  }

  private start(entry: RpcEntry): void {
    this.current = entry;
    entry.send((err, value) => this.handleReply(entry, err, value));
  }

  private handleReply(entry: RpcEntry, err: AmqpServerError | null, value: unknown): void {
    if (this.current !== entry || this.state !== 'open' || !this.host.acceptsFrames()) return;
    this.current = null;
    if (err !== null) {
      // The channel is closing: the close handler (called right after) rejects the queued RPCs.
      const reason: CloseReason = { code: err.code, text: err.replyText };
      entry.reject(entry.rawFrame ? closeFrame(entry.channelNumber, reason, err.method)
        : serverCloseError(`Operation failed: ${entry.method.name}; ${closeMessage(reason)}`, reason, err.method));
      return;
    }
    const next = this.pending.shift();
    if (next !== undefined) this.start(next);
    entry.resolve(value);
  }

  private handleDelivery(d: Delivery): void {
    if (this.state !== 'open' || !this.host.acceptsFrames()) return;
    const tag = d.consumerTag as string;
    const callback = this.consumers.get(tag);
    if (callback === undefined) throw new Error(`Unknown consumer: ${tag}`);
    callback({
      fields: {
        consumerTag: tag, deliveryTag: d.deliveryTag, redelivered: d.redelivered, exchange: d.exchange,
        routingKey: d.routingKey,
      },
      properties: copyProperties(d.properties),
      content: Buffer.from(d.content as Buffer),
    });
  }

  private handleCancel(tag: string): void {
    if (this.state !== 'open' || !this.host.acceptsFrames()) return;
    const callback = this.consumers.get(tag);
    if (callback === undefined) throw new Error(`Unknown consumer: ${tag}`);
    try {
      callback(null);
    } finally {
      this.consumers.delete(tag);
    }
  }

  /** channel.close from the server: reject the waiting RPC, emit 'error', then close (amqplib lib/channel.js). */
  private handleServerClose(reason: CloseReason, method: AmqpMethodRef): void {
    if (this.state !== 'open') return;
    const waiting = this.current;
    if (waiting !== null) {
      this.current = null;
      waiting.reject(waiting.rawFrame ? closeFrame(waiting.channelNumber, reason, method)
        : serverCloseError(`Channel closed by server: ${closeMessage(reason)}`, reason, method));
    }
    try {
      this.emit('error', serverCloseError(`Channel closed by server: ${closeMessage(reason)}`, reason, method));
    } finally {
      this.toClosed();
    }
  }

  /** Entirely closed: pending RPCs rejected, sends invalid, 'close' emitted. Also used when the connection closes. */
  toClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const ended = () => new Error('Channel ended, no reply will be forthcoming');
    if (this.current !== null) this.current.reject(ended());
    this.current = null;
    for (const entry of this.pending.splice(0)) entry.reject(ended());
    for (const cb of this.unconfirmed.splice(0)) if (cb) cb(new Error('channel closed'));
    this.host.forget(this);
    this.emit('close');
  }
}

/**
 * A channel in confirm mode: `publish` / `sendToQueue` take a callback called with `null` once the broker has
 * routed the message; `waitForConfirms()` resolves when all outstanding ones are confirmed (rejects with
 * Error('channel closed') for those lost to a close). Confirms are basic: the broker never nacks.
 * Source: https://www.rabbitmq.com/docs/confirms#publisher-confirms, amqplib lib/channel_model.js ConfirmChannel.
 */
export class ConfirmChannel extends Channel {
  override publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    const sent = this.publishWith(exchange, routingKey, content, options, () => {
      // Confirms arrive in publish order, so the oldest outstanding entry is this one.
      if (this.state !== 'open' || !this.host.acceptsFrames()) return;
      const cb = this.unconfirmed.shift();
      if (cb) cb(null);
    });
    this.unconfirmed.push(callback ?? null);
    return sent;
  }

  override sendToQueue(queue: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** Resolves when every message published so far is confirmed; rejects with Error('channel closed') if lost. */
  waitForConfirms(): Promise<void[]> {
    const awaiting = this.unconfirmed.map((cb, index) => new Promise<void>((resolve, reject) => {
      this.unconfirmed[index] = (err) => {
        if (cb) cb(err);
        if (err === null) resolve();
        else reject(err);
      };
    }));
    if (this.state === 'closed') {
      for (const cb of this.unconfirmed.splice(0)) if (cb) cb(new Error('channel closed'));
    }
    return Promise.all(awaiting);
  }
}

function closeFrame(channel: number, reason: CloseReason, method: AmqpMethodRef) {
  return {
    id: CHANNEL_CLOSE_ID, channel,
    fields: { replyCode: reason.code, replyText: reason.text, classId: method.classId, methodId: method.methodId },
  };
}

function notSimulated(name: string): Promise<never> {
  return Promise.reject(new Error(`channel.${name}() is not simulated yet in MQ Lab (this lesson uses the default exchange only)`));
}

/** A number as Node prints it in range errors (digit groups with '_' beyond 2^32). */
function nodeNumber(value: number): string {
  const text = String(value);
  if (!Number.isInteger(value) || Math.abs(value) <= 2 ** 32) return text;
  let out = '';
  let i = text.length;
  const start = text[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${text.slice(i - 3, i)}${out}`;
  return `${text.slice(0, i)}${out}`;
}

/** Printable preview of a body for the trace (≤ 40 chars, control characters shown as '.'). */
function preview(body: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return body.subarray(0, 120).toString('utf8').replace(/[\u0000-\u001f\u007f]/g, '.').slice(0, 40);
}
