import { PriorityReadyList } from './priority-ready-list.ts';
import { ReadyList, type ReadyMessages } from './ready-list.ts';
import type { OverflowMode } from './arguments.ts';
import type { BrokerChannel } from './channel.ts';

/**
 * Queue properties fixed at declaration (https://www.rabbitmq.com/docs/queues#properties). Redeclaring an existing
 * queue with different `durable` / `autoDelete` / `arguments` is a 406 PRECONDITION_FAILED, with a different
 * `exclusive` a 405 RESOURCE_LOCKED (verified against RabbitMQ 3.10).
 */
export interface QueueProperties {
  durable: boolean;
  /** Used by only one connection and deleted when that connection closes. */
  exclusive: boolean;
  /** Deleted when its last consumer is cancelled (if it ever had one). */
  autoDelete: boolean;
  /** Optional queue arguments (`x-message-ttl`, …), compared on redeclaration. */
  arguments: Record<string, unknown>;
}

/**
 * A subscription (basic.consume) of a channel to a queue.
 * `prefetch` is the per-consumer limit of unacknowledged deliveries captured from the channel's basic.qos
 * (global=false) when the consumer was created; 0 = unlimited. RabbitMQ ignores prefetch for noAck consumers
 * (https://www.rabbitmq.com/docs/consumer-prefetch).
 */
export interface Consumer {
  tag: string;
  queue: BrokerQueue;
  channel: BrokerChannel;
  noAck: boolean;
  exclusive: boolean;
  prefetch: number;
  /** Deliveries to this consumer not yet acknowledged. */
  unacked: number;
  /** `TraceLog.intern` key of `tag`. */
  tagKey: number;
  /** Consumer priority (`x-priority` of basic.consume, an integer; 0 when absent). */
  priority: number;
}

/** A queue: ready messages in order, its consumers (round-robin) and counts. */
export class BrokerQueue {
  readonly name: string;
  readonly properties: QueueProperties;
  /** Connection id that owns an exclusive queue, else null. */
  readonly owner: string | null;
  /** Ready messages in delivery order: one FIFO, or one per priority with `x-max-priority` ≥ 1 (see ReadyMessages). */
  readonly ready: ReadyMessages;
  readonly consumers: Consumer[] = [];
  /** Deliveries from this queue not yet acknowledged (across all channels). */
  unackedCount = 0;
  /** `x-message-ttl` in ms, if the queue has one (validated at declare, see ttl.ts). */
  readonly messageTtlMs: number | undefined;
  /** `x-max-length`: most READY messages (unacked ones do not count), if the queue has a limit. */
  readonly maxLength: number | undefined;
  /** `x-max-length-bytes`: most body bytes of READY messages, if the queue has that limit. */
  readonly maxLengthBytes: number | undefined;
  /** What happens past `maxLength` (`x-overflow`, default drop-head). */
  readonly overflow: OverflowMode;
  /** `x-expires`: the queue is deleted once unused for this many ms (no consumers, no declare, no basic.get). */
  readonly expiresMs: number | undefined;
  /** When the queue was last used (declared, read with basic.get, or left by its last consumer), simulated ms. */
  lastUsedAtMs = 0;
  /** Time of the pending queue-expiry check (Infinity: none). */
  expiryCheckAtMs = Infinity;
  /** True once a message with a finite expiry entered: only such queues pay for expiry checks. */
  mayExpire = false;
  /** Earliest pending expiry timer of this queue (Infinity: none). */
  ttlTimerAtMs = Infinity;
  deleted = false;
  /** True once a consumer subscribed (an auto-delete queue is deleted only after that). */
  hadConsumer = false;
  private nextSeq = 1;
  /** Index in `consumers` where the round-robin search starts. */
  private rrIndex = 0;
  /** True while some consumer has a priority other than 0 (then `nextByPriority` picks). */
  private consumerPriorities = false;

  /** `TraceLog.intern` key of `name` (the hot trace paths store the key). */
  readonly traceKey: number;

  constructor(name: string, properties: QueueProperties, owner: string | null, traceKey: number) {
    this.traceKey = traceKey;
    const ttl = properties.arguments['x-message-ttl'];
    this.messageTtlMs = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0 ? ttl : undefined;
    const expires = properties.arguments['x-expires'];
    this.expiresMs = typeof expires === 'number' && Number.isInteger(expires) && expires > 0 ? expires : undefined;
    const max = properties.arguments['x-max-length'];
    this.maxLength = typeof max === 'number' && Number.isInteger(max) && max >= 0 ? max : undefined;
    const maxBytes = properties.arguments['x-max-length-bytes'];
    this.maxLengthBytes = typeof maxBytes === 'number' && Number.isInteger(maxBytes) && maxBytes >= 0 ? maxBytes : undefined;
    const overflow = properties.arguments['x-overflow'];
    this.overflow = overflow === 'reject-publish' || overflow === 'reject-publish-dlx' ? overflow : 'drop-head';
    // x-max-priority 0 gives one priority: a plain FIFO.
    const maxPriority = properties.arguments['x-max-priority'];
    this.ready = typeof maxPriority === 'number' && Number.isInteger(maxPriority) && maxPriority >= 1
      ? new PriorityReadyList(maxPriority) : new ReadyList();
    this.name = name;
    this.properties = properties;
    this.owner = owner;
  }

  /** Next position number for a newly enqueued message. */
  takeSeq(): number {
    return this.nextSeq++;
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.hadConsumer = true;
    if (consumer.priority !== 0) this.consumerPriorities = true;
  }

  removeConsumer(consumer: Consumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    if (i < this.rrIndex) this.rrIndex--;
    if (this.rrIndex >= this.consumers.length) this.rrIndex = 0;
    this.consumerPriorities = this.consumers.some((c) => c.priority !== 0);
  }

  /**
   * The next consumer, round-robin, that may receive a delivery now: noAck consumers always can; others while
   * below their prefetch and below their channel's global prefetch. Returns undefined if none can.
   * With consumer priorities, the highest-priority consumers that can take a message get it, round-robin among
   * themselves; lower ones only while every higher one is blocked (see `nextByPriority`).
   * Source: https://www.rabbitmq.com/docs/consumers (round-robin among consumers), /docs/consumer-prefetch.
   */
  nextConsumerWithCapacity(): Consumer | undefined {
    if (this.consumerPriorities) return this.nextByPriority();
    const consumers = this.consumers;
    const n = consumers.length;
    let i = this.rrIndex;
    for (let k = 0; k < n; k++) {
      const c = consumers[i];
      if (++i === n) i = 0;
      if (hasCapacity(c)) {
        this.rrIndex = i;
        return c;
      }
    }
    return undefined;
  }

  /**
   * Consumer priorities (https://www.rabbitmq.com/docs/consumer-priority): the first consumer, in rotation order,
   * of the highest priority among those that can take a message now; it then moves to the end of the rotation
   * (RabbitMQ keeps consumers in a priority queue and puts the one served back at the end of its priority).
   * Verified against RabbitMQ 3.10 by test/conformance/amqp/33-priority-queues.mjs: consumers low (0, prefetch 2),
   * high (10, prefetch 2), mid (5, prefetch 1), none (no priority, prefetch 1) and 6 messages ⇒ high m1 m2, mid m3,
   * low m4, none m5, low m6.
   */
  private nextByPriority(): Consumer | undefined {
    const consumers = this.consumers;
    let best = -1;
    for (let i = 0; i < consumers.length; i++) {
      const c = consumers[i];
      if (hasCapacity(c) && (best < 0 || c.priority > consumers[best].priority)) best = i;
    }
    if (best < 0) return undefined;
    const chosen = consumers[best];
    consumers.splice(best, 1);
    consumers.push(chosen);
    return chosen;
  }
}

function hasCapacity(c: Consumer): boolean {
  if (!c.channel.open) return false;
  if (c.noAck) return true;
  if (c.prefetch > 0 && c.unacked >= c.prefetch) return false;
  const ch = c.channel;
  return ch.globalPrefetch === 0 || ch.consumerUnacked < ch.globalPrefetch;
}
