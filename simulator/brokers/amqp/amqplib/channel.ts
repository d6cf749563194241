import { Buffer } from 'buffer';
import type { Delivery } from '../model/channel.ts';
import { copyProperties, type AssertExchangeOptions, type AssertQueueOptions, type PublishOptions } from './args.ts';
import { BaseChannel, RPC_PROMISE, WAIT_FOR_CONFIRMS, type ConsumeCallback, type Message } from './base-channel.ts';
import {
  assertExchangeRequest, assertQueueRequest, bindExchangeRequest, bindQueueRequest, cancelRequest, checkExchangeRequest,
  checkQueueRequest, consumeRequest, deleteExchangeRequest, deleteQueueRequest, getRequest, purgeQueueRequest,
  qosRequest, recoverRequest, type ConsumeOptions, type QueueOk,
} from './requests.ts';

export type { ChannelHost, Message, MessageFields } from './base-channel.ts';

type Empty = Record<string, never>;

/**
 * amqplib 0.10's promise-API Channel (node_modules/amqplib/lib/channel_model.js) over the broker model; the shared
 * machinery and its error behaviour are in base-channel.ts, the argument handling in requests.ts. Each RPC returns a
 * promise of the reply's fields; amqplib's argument checks (a non-object `arguments` / `headers`) throw
 * synchronously, sending errors (a closed channel, a field the encoder refuses) reject.
 */
export class Channel extends BaseChannel {
  // ───────────── queues ─────────────

  /** queue.declare: `{ queue, messageCount, consumerCount }` (see requests.ts `assertQueueRequest`). */
  assertQueue(queue?: string, options?: AssertQueueOptions): Promise<QueueOk> {
    return this[RPC_PROMISE](assertQueueRequest(this.target, queue, options));
  }

  /** queue.declare passive: rejects (and closes the channel) with 404 if the queue does not exist. */
  checkQueue(queue: string): Promise<QueueOk> {
    return this[RPC_PROMISE](checkQueueRequest(this.target, queue));
  }

  /** queue.delete: `{ messageCount }` (ready messages it held). */
  deleteQueue(queue: string, options?: { ifUnused?: boolean; ifEmpty?: boolean }): Promise<{ messageCount: number }> {
    return this[RPC_PROMISE](deleteQueueRequest(this.target, queue, options));
  }

  /** queue.purge: `{ messageCount }` (ready messages removed; unacked ones stay). */
  purgeQueue(queue: string): Promise<{ messageCount: number }> {
    return this[RPC_PROMISE](purgeQueueRequest(this.target, queue));
  }

  // ───────────── consuming ─────────────

  /**
   * basic.consume: resolves `{ consumerTag }` once the server answered; `callback` gets each message, and `null`
   * if the server cancels the consumer (its queue was deleted). The callback is registered before the promise
   * resolves, so no delivery can miss it (amqplib does the same).
   */
  consume(queue: string, callback: ConsumeCallback, options?: ConsumeOptions): Promise<{ consumerTag: string }> {
    const request = consumeRequest(this.target, queue, options);
    return new Promise<{ consumerTag: string }>((resolve, reject) => {
      this.startRpc(request, {
        resolve: (ok) => {
          this.addConsumer((ok as { consumerTag: string }).consumerTag, callback);
          resolve(ok as { consumerTag: string });
        },
        reject, sync: false,
      });
    });
  }

  /** basic.cancel: resolves undefined (amqplib 0.10's cancel returns nothing). */
  async cancel(consumerTag: string): Promise<void> {
    await this[RPC_PROMISE](cancelRequest(this.target, consumerTag));
    this.removeConsumer(consumerTag);
  }

  /**
   * basic.get: a message (fields with `messageCount` instead of `consumerTag`) or `false` when the queue is empty.
   * A server error rejects with amqplib's raw close frame `{ id, channel, fields: { replyCode, replyText, classId,
   * methodId } }`, not an Error — a quirk of amqplib 0.10 (verified with RabbitMQ 3.10).
   */
  async get(queue: string, options?: { noAck?: boolean }): Promise<Message | false> {
    const d = await this[RPC_PROMISE](getRequest(this.target, queue, options));
    return d === false ? false : getMessage(d);
  }

  /**
   * basic.qos: `global` false = per consumer created afterwards (RabbitMQ), true = shared by the channel.
   * Resolves `{}`.
   */
  qos(count: number, global?: boolean): Promise<Empty> {
    return this[RPC_PROMISE](qosRequest(this.target, count, global)).then(() => ({}));
  }

  /** Same as `qos` (amqplib alias). */
  prefetch(count: number, global?: boolean): Promise<Empty> {
    return this.qos(count, global);
  }

  /** basic.recover: every unacked message on this channel goes back to its queue, redelivered. Resolves `{}`. */
  recover(): Promise<Empty> {
    return this[RPC_PROMISE](recoverRequest(this.target)).then(() => ({}));
  }

  /** channel.close: resolves once the server confirmed; 'close' is emitted first. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.closeChannel(resolve);
      } catch (error) {
        reject(error);
      }
    });
  }

  // ───────────── exchanges and bindings ─────────────

  /** exchange.declare: resolves `{ exchange }` (the name given, as amqplib does). */
  assertExchange(exchange: string, type: string, options?: AssertExchangeOptions): Promise<{ exchange: string }> {
    return this[RPC_PROMISE](assertExchangeRequest(this.target, exchange, type, options)).then(() => ({ exchange }));
  }

  /** exchange.declare passive: resolves `{}`; a missing exchange rejects with 404 and closes the channel. */
  checkExchange(exchange: string): Promise<Empty> {
    return this[RPC_PROMISE](checkExchangeRequest(this.target, exchange));
  }

  /** exchange.delete: resolves `{}` (a missing exchange is fine); `ifUnused` refuses one that has bindings. */
  deleteExchange(exchange: string, options?: { ifUnused?: boolean }): Promise<Empty> {
    return this[RPC_PROMISE](deleteExchangeRequest(this.target, exchange, options));
  }

  /** queue.bind: resolves `{}`. `pattern` is the binding key (a topic pattern for topic exchanges). */
  bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Empty> {
    return this[RPC_PROMISE](bindQueueRequest(this.target, false, queue, source, pattern, args));
  }

  /** queue.unbind: resolves `{}`; unbinding what is not bound is fine. */
  unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Empty> {
    return this[RPC_PROMISE](bindQueueRequest(this.target, true, queue, source, pattern, args));
  }

  /**
   * exchange.bind (RabbitMQ's exchange-to-exchange binding): messages `source` routes with a key matching
   * `pattern` also go through `destination`. Resolves `{}`.
   */
  bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Empty> {
    return this[RPC_PROMISE](bindExchangeRequest(this.target, false, destination, source, pattern, args));
  }

  /** exchange.unbind: resolves `{}`; unbinding what is not bound (even a missing exchange) is fine. */
  unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Empty> {
    return this[RPC_PROMISE](bindExchangeRequest(this.target, true, destination, source, pattern, args));
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
    return this[WAIT_FOR_CONFIRMS]();
  }
}

/** A basic.get-ok as amqplib hands it over: fields with `messageCount`, a fresh copy of properties and body. */
export function getMessage(d: Delivery): Message {
  return {
    fields: {
      deliveryTag: d.deliveryTag, redelivered: d.redelivered, exchange: d.exchange, routingKey: d.routingKey,
      messageCount: d.messageCount ?? 0,
    },
    properties: copyProperties(d.properties),
    content: Buffer.from(d.content as Buffer),
  };
}
