import { Buffer } from 'buffer';
import type { AmqpBroker } from '../model/broker.ts';
import type { Delivery, ReturnedMessage } from '../model/channel.ts';
import type { AmqpMethodRef, AmqpServerError } from '../model/errors.ts';
import type { CloseReason } from '../../../trace.ts';
import { basicProperties, copyProperties, withDecodedOctets, type PublishOptions } from './args.ts';
import { roundTripTable } from './field-table.ts';
import { checkBasicProperties, checkMethodFields } from './encode.ts';
import { closeMessage, IllegalOperationError, serverCloseError } from './errors.ts';
import { EventEmitter } from './events.ts';
import type { RequestTarget, RpcRequest } from './requests.ts';

/** The stand-in for amqplib's low-level connection that `channel.connection` shows (see base-connection.ts). */
export interface ConnectionInfo {
  readonly channels: Array<{ channel: unknown } | null>;
}

/** What a channel needs from its connection (see base-connection.ts). */
export interface ChannelHost {
  readonly broker: AmqpBroker;
  /** Throws IllegalOperationError('Connection closing') while the connection is closing (amqplib invalidates its
   * sendMethod then). */
  checkSend(): void;
  /** False once the connection is closing: amqplib then ignores every frame but connection.close-ok. */
  acceptsFrames(): boolean;
  /** The connection's stand-in object (`channel.connection`). */
  readonly connection: ConnectionInfo;
  /** Runs `handle(arg)` as the handling of one incoming frame: a throw becomes a connection error. */
  frame<A>(handle: (arg: A) => void, arg: A): void;
  /** Whether the connection has an 'error' listener (else an unhandled channel error ends the program). */
  errorListened(): boolean;
  /** Registers the channel in `connection.channels` once its number is known. */
  adopt(channel: BaseChannel): void;
  forget(channel: BaseChannel): void;
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

/** A consumer's callback: each message, then `null` if the server cancels the consumer. */
export type ConsumeCallback = (message: Message | null) => void;

/**
 * Where the outcome of one RPC goes. `sync`: the callback API, whose callbacks run inside the frame handling (so
 * they run even when the program is about to die of an unhandled error right after); a promise's do not.
 */
export interface RpcDone {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  sync: boolean;
}

interface RpcEntry {
  request: RpcRequest<unknown>;
  done: RpcDone;
}

type ConfirmCallback = ((err: Error | null) => void) | null;

/**
 * Keys of the helpers that return promises: symbols, so that the runner's tracking of library promises
 * (simulator/runner/pending-replies.ts, which wraps the methods it finds by name) sees only the public call.
 */
export const RPC_PROMISE = Symbol('mqlab.rpcPromise');
export const WAIT_FOR_CONFIRMS = Symbol('mqlab.waitForConfirms');

const CHANNEL_CLOSE_ID = (20 << 16) + 40;
/** AMQP reply codes amqplib uses when it closes a channel itself (lib/defs.js constants). */
const INTERNAL_ERROR = 541;
const UNEXPECTED_FRAME = 505;

/**
 * The machinery amqplib 0.10's channels share (node_modules/amqplib/lib/channel.js `Channel` and `BaseChannel`),
 * over the broker model; the promise API (channel.ts) and the callback API (callback-channel.ts) add their methods
 * on top. Like amqplib it runs one RPC at a time per channel and queues the others; publish and ack are sent at
 * once. Timing comes from the broker: an RPC takes one round trip.
 *
 * Errors, as amqplib 0.10.9 + RabbitMQ 3.10 behave (each verified on the real pair):
 * - field checks of the frame encoder (encode.ts) throw from publish/ack/nack/reject and from sending an RPC. Like
 *   amqplib (lib/channel.js `sendOrEnqueue` sets the awaited reply before encoding), an RPC that failed to encode
 *   leaves the channel waiting for a reply that never comes: every later RPC on that channel waits forever
 *   (publish and ack still work). An RPC queued behind another that fails to encode when its turn comes throws
 *   inside frame handling: a connection error (github.com/amqp-node/amqplib/issues/575);
 * - a server channel.close fails the waiting RPC with `Operation failed: <Method>; <code> (<NAME>) with message
 *   "<text>"`, emits 'error' (`Channel closed by server: …`) and 'close'; later calls fail with
 *   IllegalOperationError "Channel closed". With no 'error' listener on the channel the throw becomes a connection
 *   error (base-connection.ts); with none there either the program dies;
 * - an exception from a consume callback closes the channel with 541 INTERNAL_ERROR ('Error while processing
 *   message'); once the server confirmed, the channel emits 'error' with that exception (code 541), then 'close'.
 *
 * Own enumerable properties are amqplib's public ones (`connection`, `ch`); internals are private (#) fields.
 */
export class BaseChannel extends EventEmitter {
  /** The connection's stand-in (amqplib `channel.connection`). */
  readonly connection: ConnectionInfo;
  /** Channel number on its connection (amqplib `channel.ch`). */
  readonly ch: number;
  readonly #host: ChannelHost;
  readonly #id: string;
  readonly #target: RequestTarget;
  #state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  #current: RpcEntry | null = null;
  readonly #pending: RpcEntry[] = [];
  readonly #consumers = new Map<string, ConsumeCallback>();
  /** Confirm callbacks awaiting the broker (confirm channels only). */
  readonly #unconfirmed: ConfirmCallback[] = [];

  /**
   * @internal created by the connection; `onOpen` runs with the channel once channel.open-ok arrived. `number` is
   * amqplib's channel number for it (the lowest free one on the connection).
   */
  constructor(host: ChannelHost, connectionId: string, number: number, onOpen: (channel: BaseChannel) => void) {
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
    this.#target = { broker: host.broker, channelId: this.#id };
    this.ch = number;
    host.adopt(this);
  }

  /** Broker channel id (`c1.ch1`), as in the trace (not an amqplib property; not enumerable). */
  get id(): string {
    return this.#id;
  }

  /** Where this channel's requests go (requests.ts). */
  protected get target(): RequestTarget {
    return this.#target;
  }

  // ───────────── publishing and settling (the same in both APIs) ─────────────

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
    this.checkSend();
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

  /** basic.ack of `message` (and all before it if `allUpTo`). A missing delivery tag encodes as 0 (as amqplib). */
  ack(message: Message, allUpTo?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    checkMethodFields('BasicAck', { deliveryTag: tag });
    this.#host.broker.ack(this.#id, tag ?? 0, !!allUpTo);
  }

  /** basic.ack with tag 0 and multiple: every outstanding delivery on the channel. */
  ackAll(): void {
    this.checkSend();
    this.#host.broker.ack(this.#id, 0, true);
  }

  /** basic.nack; `requeue` defaults to true. */
  nack(message: Message, allUpTo?: boolean, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    checkMethodFields('BasicNack', { deliveryTag: tag });
    this.#host.broker.nack(this.#id, tag ?? 0, !!allUpTo, requeue === undefined ? true : !!requeue);
  }

  /** basic.nack with tag 0 and multiple; `requeue` defaults to true. */
  nackAll(requeue?: boolean): void {
    this.checkSend();
    this.#host.broker.nack(this.#id, 0, true, requeue === undefined ? true : !!requeue);
  }

  /** basic.reject; `requeue` defaults to true. The delivery tag is mandatory (Error "Missing value …"). */
  reject(message: Message, requeue?: boolean): void {
    const tag = message.fields.deliveryTag;
    this.checkSend();
    checkMethodFields('BasicReject', { deliveryTag: tag });
    this.#host.broker.reject(this.#id, tag, requeue === undefined ? true : !!requeue);
  }

  // ───────────── for the APIs ─────────────

  /**
   * Sends `request` now, or queues it behind the RPC awaiting its reply (lib/channel.js sendOrEnqueue: the entry
   * becomes the awaited reply BEFORE it is encoded, see the class doc). Throws IllegalOperationError when the
   * channel or its connection is closing or closed, and the encoder's errors.
   */
  protected startRpc(request: RpcRequest<unknown>, done: RpcDone): void {
    const entry = { request, done };
    this.checkSend();
    if (this.#current === null) {
      this.#current = entry;
      this.#sendImmediately(entry);
    } else {
      this.#pending.push(entry);
    }
  }

  /** `request` as a promise (what the promise API returns): sending errors reject it. */
  protected [RPC_PROMISE]<T>(request: RpcRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.startRpc(request as RpcRequest<unknown>, { resolve: resolve as (value: unknown) => void, reject, sync: false });
    });
  }

  /** Registers the callback of consumer `tag` (before any of its deliveries can arrive). */
  protected addConsumer(tag: string, callback: ConsumeCallback): void {
    this.#consumers.set(tag, callback);
  }

  protected removeConsumer(tag: string): void {
    this.#consumers.delete(tag);
  }

  /**
   * channel.close (lib/channel.js closeBecause "Goodbye"): throws IllegalOperationError when already closing or
   * closed; once the server confirmed, `onClosed` runs, then the channel is closed ('close' emitted).
   */
  protected closeChannel(onClosed: () => void): void {
    this.checkSend();
    this.#state = 'closing';
    this.#host.broker.closeChannel(this.#id, () => this.#host.frame(() => {
      onClosed();
      this.toClosed();
    }, undefined));
  }

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

  /** The confirm channels' waitForConfirms: resolves when every message published so far is confirmed. */
  protected [WAIT_FOR_CONFIRMS](): Promise<void[]> {
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

  /** Like amqplib's invalidated send functions: throws once closing/closed. */
  protected checkSend(): void {
    if (this.#state === 'closed') throw new IllegalOperationError('Channel closed', 'Channel closed');
    if (this.#state === 'closing') throw new IllegalOperationError('Channel closing', 'closeBecause called: Goodbye');
    this.#host.checkSend();
  }

  // ───────────── internals ─────────────

  #sendImmediately(entry: RpcEntry): void {
    this.checkSend();
    checkMethodFields(entry.request.encoded, entry.request.fields);
    entry.request.send((err, value) => this.#host.frame(() => this.#handleReply(entry, err, value), undefined));
  }

  /** A reply frame: the next queued RPC is sent (and encoded) before this one resolves, as in amqplib's accept. */
  #handleReply(entry: RpcEntry, err: AmqpServerError | null, value: unknown): void {
    if (this.#current !== entry || this.#state !== 'open' || !this.#host.acceptsFrames()) return;
    // An error reply is followed by the server's channel.close, which fails the entry (#handleServerClose).
    if (err !== null) return;
    this.#current = null;
    const next = this.#pending.shift();
    if (next !== undefined) {
      this.#current = next;
      this.#sendImmediately(next);
    }
    entry.done.resolve(value);
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
   * channel.close from the server (lib/channel.js accept): fail the waiting RPC, emit 'error', then close. When
   * nothing listens for 'error' on the channel nor on its connection the program is about to die of it: a promise's
   * rejection is then skipped, since in Node no promise reaction runs after the crash (a callback still runs: it is
   * called before the 'error' is emitted).
   */
  #handleServerClose(reason: CloseReason, method: AmqpMethodRef): void {
    if (this.#state !== 'open') return;
    const message = `Channel closed by server: ${closeMessage(reason)}`;
    const fatal = this.listenerCount('error') === 0 && !this.#host.errorListened();
    const waiting = this.#current;
    if (waiting !== null) {
      this.#current = null;
      const request = waiting.request;
      const sameMethod = request.method.classId === method.classId && request.method.methodId === method.methodId;
      if (!fatal || waiting.done.sync) {
        waiting.done.reject(request.rawFrame ? closeFrame(this.ch, reason, method)
          : serverCloseError(sameMethod ? `Operation failed: ${request.method.name}; ${closeMessage(reason)}` : message,
            reason, method));
      }
    }
    this.emit('error', serverCloseError(message, reason, method));
    this.toClosed();
  }

  /**
   * Entirely closed: pending RPCs fail ("Channel ended, no reply will be forthcoming"), sends invalid, unconfirmed
   * publishes fail, 'close' emitted. Also called by the connection when it closes.
   */
  toClosed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const ended = () => new Error('Channel ended, no reply will be forthcoming');
    if (this.#current !== null) this.#current.done.reject(ended());
    this.#current = null;
    for (const entry of this.#pending.splice(0)) entry.done.reject(ended());
    for (const cb of this.#unconfirmed.splice(0)) if (cb) cb(new Error('channel closed'));
    this.#host.forget(this);
    this.emit('close');
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
