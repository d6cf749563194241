import type { CloseReason } from '../../../trace.ts';
import type { BrokerMessage } from './message.ts';
import type { BrokerQueue, Consumer } from './queue.ts';
import type { BrokerConnection } from './connection.ts';
import type { AmqpMethodRef } from './errors.ts';
import { UnackedByTag } from './unacked-by-tag.ts';

/** What a client sees arrive on a channel (basic.deliver, or basic.get-ok when `consumerTag` is null). */
export interface Delivery {
  /** N of the message's trace id `mN`. */
  msgNum: number;
  /** null for basic.get. */
  consumerTag: string | null;
  deliveryTag: number;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
  content: unknown;
  properties: Record<string, unknown>;
  /** basic.get only: ready messages left in the queue after this one. */
  messageCount?: number;
}

/** basic.return: an unroutable message published with `mandatory` (reply 312 NO_ROUTE). */
export interface ReturnedMessage {
  replyCode: number;
  replyText: string;
  exchange: string;
  routingKey: string;
  content: unknown;
  properties: Record<string, unknown>;
}

/**
 * Callbacks for frames the broker sends to a channel's client; each is called `latencyMs` after the broker sent it.
 */
export interface ChannelListener {
  /** basic.deliver to one of the channel's consumers. */
  onDeliver?(delivery: Delivery): void;
  /** basic.return of a mandatory message no queue took. */
  onReturn?(returned: ReturnedMessage): void;
  /** basic.cancel from the server (the queue was deleted): https://www.rabbitmq.com/docs/consumer-cancel */
  onConsumerCancelled?(consumerTag: string): void;
  /** channel.close from the server after a channel error, with the method that failed (not called when the client
   * closed the channel). */
  onServerClose?(reason: CloseReason, method: AmqpMethodRef): void;
}

/** A delivery awaiting ack/nack/reject on its channel. */
export interface Unacked {
  message: BrokerMessage;
  queue: BrokerQueue;
  /** null for basic.get. */
  consumer: Consumer | null;
  deliveryTag: number;
}

/** Broker-side state of one channel. Delivery tags count from 1 per channel (AMQP 0-9-1 basic.deliver). */
export class BrokerChannel {
  readonly id: string;
  readonly number: number;
  readonly connection: BrokerConnection;
  readonly listener: ChannelListener;
  /** `TraceLog.intern` key of `id` (the hot trace paths store the key). */
  readonly traceKey: number;
  /** False once closed (by the client, a channel error or the connection). */
  open = true;
  /** basic.qos prefetch-count with global=false: the limit given to consumers created after it. */
  consumerPrefetch = 0;
  /** basic.qos prefetch-count with global=true: limit shared by all consumers on the channel (0 = none). */
  globalPrefetch = 0;
  /** Unacked deliveries to this channel's consumers (basic.get ones excluded). */
  consumerUnacked = 0;
  nextDeliveryTag = 1;
  /** Name of the queue this channel declared last ('' = none yet): what '' means in purge/delete/consume/get. */
  lastDeclaredQueue = '';
  /** In delivery-tag order (tags only grow; see UnackedByTag). */
  readonly unacked = new UnackedByTag();
  readonly consumers = new Map<string, Consumer>();
  /**
   * The channel's direct reply-to consumer (basic.consume of `amq.rabbitmq.reply-to`), or null: its tag and the
   * random key of the reply address it was given (reply-to.ts). Not one of `consumers`, as in RabbitMQ.
   */
  replyConsumer: { tag: string; key: string } | null = null;

  constructor(id: string, number: number, connection: BrokerConnection, listener: ChannelListener, traceKey: number) {
    this.traceKey = traceKey;
    this.id = id;
    this.number = number;
    this.connection = connection;
    this.listener = listener;
  }
}

/**
 * The unacked entries an ack/nack settles, or undefined for an unknown delivery tag. Mirrors RabbitMQ's
 * rabbit_channel:collect_acks: tag 0 with multiple = everything; multiple = all tags ≤ N but N itself must be
 * outstanding; single = exactly N.
 */
export function collectUnacked(channel: BrokerChannel, deliveryTag: number, multiple: boolean): Unacked[] | undefined {
  if (multiple && deliveryTag === 0) return [...channel.unacked.values()];
  const target = channel.unacked.get(deliveryTag);
  if (target === undefined) return undefined;
  if (!multiple) return [target];
  const out: Unacked[] = [];
  for (const [tag, u] of channel.unacked) {
    if (tag > deliveryTag) break;
    out.push(u);
  }
  return out;
}
