import type { Prng } from '../../../core/prng.ts';
import type { TraceEventInput } from '../../../trace.ts';
import type { BrokerChannel } from './channel.ts';
import { AmqpServerError, METHODS, noQueue } from './errors.ts';
import { serverName } from './names.ts';
import {
  newReplyKey, parseReplyAddress, replyChannelPart, replyConsumerAcks, replyConsumerAlreadySet, REPLY_TO_PREFIX,
  REPLY_TO_QUEUE,
} from './reply-to.ts';

/** What basic.consume of `amq.rabbitmq.reply-to` looks at. */
export interface ReplyConsumeOptions {
  noAck?: boolean;
  consumerTag?: string;
}

/**
 * The broker's direct reply-to bookkeeping (the rules are in reply-to.ts): each channel's reply consumer (kept on
 * the channel, `BrokerChannel.replyConsumer`), the `<channel>` part of its reply addresses, and which channel an
 * address names. Records `consumer-added` / `consumer-cancelled` for reply consumers (queue
 * `amq.rabbitmq.reply-to`, in the channel's vhost). Every method runs at the broker (inside an RPC or a frame).
 */
export class ReplyConsumers {
  /** Channels by the `<channel>` part of their reply addresses, open or closed (an old address must not crash). */
  private readonly channels = new Map<string, BrokerChannel>();
  /** The `<channel>` part of each channel that ever consumed `amq.rabbitmq.reply-to`. */
  private readonly parts = new Map<BrokerChannel, string>();
  private readonly rng: Prng;
  private readonly record: (event: TraceEventInput) => void;

  /** `rng`: the broker's PRNG (consumer tags, keys); `record`: appends a trace entry at the current time. */
  constructor(rng: Prng, record: (event: TraceEventInput) => void) {
    this.rng = rng;
    this.record = record;
  }

  /**
   * basic.consume of `amq.rabbitmq.reply-to`, checked in RabbitMQ 3.10's order: a tag one of the channel's
   * consumers has ⇒ 530 (connection); with acks ⇒ 406 "reply consumer cannot acknowledge"; a second one ⇒ 406
   * "reply consumer already set". Gives the channel a reply consumer with a new key. Other consume options
   * (exclusive, priority) are ignored, as RabbitMQ does.
   * @throws AmqpServerError as said.
   */
  consume(channel: BrokerChannel, options: ReplyConsumeOptions): { consumerTag: string } {
    if (options.consumerTag && channel.consumers.has(options.consumerTag)) {
      throw new AmqpServerError(530, `attempt to reuse consumer tag '${options.consumerTag}'`, METHODS.basicConsume, true);
    }
    if (options.noAck !== true) throw replyConsumerAcks();
    if (channel.replyConsumer !== null) throw replyConsumerAlreadySet();
    const tag = options.consumerTag ? options.consumerTag : serverName('amq.ctag-', this.rng);
    channel.replyConsumer = { tag, key: newReplyKey(this.rng) };
    if (!this.parts.has(channel)) {
      const part = replyChannelPart(this.parts.size + 1);
      this.parts.set(channel, part);
      this.channels.set(part, channel);
    }
    this.record({
      kind: 'consumer-added', queue: channel.connection.vhost.traceName(REPLY_TO_QUEUE), consumerTag: tag,
      channel: channel.id, noAck: true, prefetch: channel.consumerPrefetch,
    });
    return { consumerTag: tag };
  }

  /** Ends the channel's reply consumer, if it has one (basic.cancel of its tag, or the channel closing). */
  end(channel: BrokerChannel, reason: 'cancelled' | 'channel-closed'): void {
    const consumer = channel.replyConsumer;
    if (consumer === null) return;
    channel.replyConsumer = null;
    this.record({
      kind: 'consumer-cancelled', queue: channel.connection.vhost.traceName(REPLY_TO_QUEUE), consumerTag: consumer.tag,
      channel: channel.id, reason,
    });
  }

  /** The reply address requests of `channel` carry as replyTo, or null when it has no reply consumer. */
  addressOf(channel: BrokerChannel): string | null {
    const consumer = channel.replyConsumer;
    return consumer === null ? null : `${REPLY_TO_PREFIX}${this.parts.get(channel) as string}.${consumer.key}`;
  }

  /**
   * The channel whose live reply consumer a reply address names, null when it names none (malformed, unknown
   * channel, channel closed, consumer cancelled, old key), or 'undecodable' (reply-to.ts `parseReplyAddress`).
   */
  target(address: string): BrokerChannel | null | 'undecodable' {
    const parsed = parseReplyAddress(address);
    if (parsed === 'malformed') return null;
    if (parsed === 'undecodable') return parsed;
    const channel = this.channels.get(parsed.channel);
    if (channel === undefined || !channel.open || channel.replyConsumer?.key !== parsed.key) return null;
    return channel;
  }

  /**
   * queue.declare (active or passive) on `channel` of a name starting `amq.rabbitmq.reply-to`: the pseudo-queue
   * itself, or the reply address of a live reply consumer, answers messageCount 0 and consumerCount 1 and becomes
   * the channel's last declared queue.
   * @throws AmqpServerError 404 for any other such name; 541 (connection) for an address RabbitMQ cannot decode.
   */
  declare(channel: BrokerChannel, name: string): { queue: string; messageCount: number; consumerCount: number } {
    if (name !== REPLY_TO_QUEUE) {
      const target = name.startsWith(REPLY_TO_PREFIX) ? this.target(name) : null;
      if (target === 'undecodable') throw new AmqpServerError(541, '', METHODS.queueDeclare, true);
      if (target === null) throw noQueue(name, METHODS.queueDeclare, channel.connection.vhost.name);
    }
    channel.lastDeclaredQueue = name;
    return { queue: name, messageCount: 0, consumerCount: 1 };
  }
}
