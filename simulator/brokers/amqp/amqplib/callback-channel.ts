import type { Buffer } from 'buffer';
import type { Delivery } from '../model/channel.ts';
import type { AssertExchangeOptions, AssertQueueOptions, PublishOptions } from './args.ts';
import { BaseChannel, WAIT_FOR_CONFIRMS, type ConsumeCallback, type Message } from './base-channel.ts';
import { getMessage } from './channel.ts';
import {
  assertExchangeRequest, assertQueueRequest, bindExchangeRequest, bindQueueRequest, cancelRequest, checkExchangeRequest,
  checkQueueRequest, consumeRequest, deleteExchangeRequest, deleteQueueRequest, getRequest, purgeQueueRequest,
  qosRequest, recoverRequest, type ConsumeOptions, type RpcRequest,
} from './requests.ts';

/** A callback of the callback API: `(err)` on failure, `(null, value)` on success. */
export type Callback<T> = (err: Error | null, value?: T) => void;

/**
 * amqplib 0.10's callback-API Channel (node_modules/amqplib/lib/callback_model.js) over the broker model: the same
 * channel as the promise API (base-channel.ts, requests.ts), with node-style callbacks.
 * - Each RPC method returns the channel and calls its callback (optional) with `(null, fields)` once the reply
 *   arrives, or `(err)` when the server closed the channel over it ("Operation failed: …") or the channel ended
 *   ("Channel ended, no reply will be forthcoming"). The callback runs inside the handling of the reply frame (not
 *   in a later microtask, unlike a promise's reaction), so an exception it throws is a connection error, and code
 *   it runs comes before later frames of the same batch (a consume's callback before the first deliveries).
 * - What the promise API rejects with — a closed or closing channel (IllegalOperationError), a field the encoder
 *   refuses — is thrown synchronously here, as amqplib's `_rpc` does.
 * - `get(queue, options, cb)`: `(null, false)` when empty, `(null, message)`; on a server error the callback is
 *   never called (amqplib's callback get ignores errors).
 * - `close(cb)`: `cb(null)` once closed; `consume(queue, onMessage, options, cb)`: `cb(null, { consumerTag })`;
 *   `cancel(tag, cb)`: `cb(null, { consumerTag })`; `assertExchange(…, cb)`: `cb(null, { exchange })`.
 */
export class CallbackChannel extends BaseChannel {
  /** Starts `request`; its reply's value, mapped by `map`, goes to `cb`. Returns the channel. */
  #call<T, R>(request: RpcRequest<T>, cb: Callback<R> | undefined, map: (value: T) => R = (v) => v as unknown as R): this {
    this.startRpc(request as RpcRequest<unknown>, {
      resolve: (value) => cb?.(null, map(value as T)),
      reject: (err) => cb?.(err as Error),
      sync: true,
    });
    return this;
  }

  /** queue.declare (see requests.ts): `cb(null, { queue, messageCount, consumerCount })`. */
  assertQueue(queue: string, options?: AssertQueueOptions, cb?: Callback<unknown>): this {
    return this.#call(assertQueueRequest(this.target, queue, options), cb);
  }

  /** queue.declare passive. */
  checkQueue(queue: string, cb?: Callback<unknown>): this {
    return this.#call(checkQueueRequest(this.target, queue), cb);
  }

  /** queue.delete: `cb(null, { messageCount })`. */
  deleteQueue(queue: string, options?: { ifUnused?: boolean; ifEmpty?: boolean }, cb?: Callback<unknown>): this {
    return this.#call(deleteQueueRequest(this.target, queue, options), cb);
  }

  /** queue.purge: `cb(null, { messageCount })`. */
  purgeQueue(queue: string, cb?: Callback<unknown>): this {
    return this.#call(purgeQueueRequest(this.target, queue), cb);
  }

  /** queue.bind: `cb(null, {})`. */
  bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>, cb?: Callback<unknown>): this {
    return this.#call(bindQueueRequest(this.target, false, queue, source, pattern, args), cb);
  }

  /** queue.unbind: `cb(null, {})`. */
  unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>, cb?: Callback<unknown>): this {
    return this.#call(bindQueueRequest(this.target, true, queue, source, pattern, args), cb);
  }

  /** exchange.declare: `cb(null, { exchange })` (the name given). */
  assertExchange(exchange: string, type: string, options?: AssertExchangeOptions, cb?: Callback<unknown>): this {
    return this.#call(assertExchangeRequest(this.target, exchange, type, options), cb, () => ({ exchange }));
  }

  /** exchange.declare passive: `cb(null, {})`. */
  checkExchange(exchange: string, cb?: Callback<unknown>): this {
    return this.#call(checkExchangeRequest(this.target, exchange), cb);
  }

  /** exchange.delete: `cb(null, {})`. */
  deleteExchange(exchange: string, options?: { ifUnused?: boolean }, cb?: Callback<unknown>): this {
    return this.#call(deleteExchangeRequest(this.target, exchange, options), cb);
  }

  /** exchange.bind: `cb(null, {})`. */
  bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>,
    cb?: Callback<unknown>): this {
    return this.#call(bindExchangeRequest(this.target, false, destination, source, pattern, args), cb);
  }

  /** exchange.unbind: `cb(null, {})`. */
  unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>,
    cb?: Callback<unknown>): this {
    return this.#call(bindExchangeRequest(this.target, true, destination, source, pattern, args), cb);
  }

  /**
   * basic.consume: `onMessage` gets each message (and `null` if the server cancels the consumer); `cb(null, {
   * consumerTag })` once the server answered, after the consumer is registered.
   */
  consume(queue: string, onMessage: ConsumeCallback, options?: ConsumeOptions, cb?: Callback<unknown>): this {
    const request = consumeRequest(this.target, queue, options);
    return this.#call(request, cb, (ok) => {
      this.addConsumer(ok.consumerTag, onMessage);
      return ok;
    });
  }

  /** basic.cancel: `cb(null, { consumerTag })`, the consumer unregistered first. */
  cancel(consumerTag: string, cb?: Callback<unknown>): this {
    return this.#call(cancelRequest(this.target, consumerTag), cb, (ok) => {
      this.removeConsumer(consumerTag);
      return ok;
    });
  }

  /** basic.get: `cb(null, message)` or `cb(null, false)`; never called on a server error (see the class doc). */
  get(queue: string, options?: { noAck?: boolean }, cb?: Callback<Message | false>): this {
    this.startRpc(getRequest(this.target, queue, options) as RpcRequest<unknown>, {
      resolve: (d) => cb?.(null, d === false ? false : getMessage(d as Delivery)),
      reject: () => {},
      sync: true,
    });
    return this;
  }

  /** basic.qos: `cb(null, {})`. */
  prefetch(count: number, global?: boolean, cb?: Callback<unknown>): this {
    return this.#call(qosRequest(this.target, count, global), cb);
  }

  /** basic.recover: `cb(null, {})`. */
  recover(cb?: Callback<unknown>): this {
    return this.#call(recoverRequest(this.target), cb);
  }

  /**
   * channel.close: `cb(null)` once the server confirmed, before 'close' is emitted; returns nothing (amqplib).
   * Throws IllegalOperationError when already closing or closed.
   */
  close(cb?: (err: Error | null) => void): void {
    this.closeChannel(() => cb?.(null));
  }

  /** basic.ack; returns the channel. */
  override ack(message: Message, allUpTo?: boolean): this {
    super.ack(message, allUpTo);
    return this;
  }

  /** basic.ack of everything outstanding; returns the channel. */
  override ackAll(): this {
    super.ackAll();
    return this;
  }

  /** basic.nack; returns the channel. */
  override nack(message: Message, allUpTo?: boolean, requeue?: boolean): this {
    super.nack(message, allUpTo, requeue);
    return this;
  }

  /** basic.nack of everything outstanding; returns the channel. */
  override nackAll(requeue?: boolean): this {
    super.nackAll(requeue);
    return this;
  }

  /** basic.reject; returns the channel. */
  override reject(message: Message, requeue?: boolean): this {
    super.reject(message, requeue);
    return this;
  }
}

/**
 * The callback API's confirm channel: `publish` / `sendToQueue` take a callback `(err)` called once the broker
 * confirmed (null) or nacked (Error('message nacked')); `waitForConfirms(cb)` calls `cb()` when all outstanding
 * ones are confirmed, `cb(err)` if one failed (lib/callback_model.js ConfirmChannel).
 */
export class CallbackConfirmChannel extends CallbackChannel {
  override publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    return this.publishConfirmed(exchange, routingKey, content, options, callback);
  }

  override sendToQueue(queue: string, content: Buffer, options?: PublishOptions,
    callback?: (err: Error | null) => void): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** `k()` once every message published so far is confirmed, `k(err)` when one is nacked or lost. */
  waitForConfirms(k: (err?: Error) => void): Promise<void> {
    return this[WAIT_FOR_CONFIRMS]().then(() => k(), (err: Error) => k(err));
  }
}
