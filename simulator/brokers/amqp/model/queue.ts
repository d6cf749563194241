import { PriorityReadyList } from './priority-ready-list.ts';
import { ReadyList, type ReadyMessages } from './ready-list.ts';
import type { OverflowMode } from './arguments.ts';
import type { BrokerChannel } from './channel.ts';
import { queueTypeOf, type QueueType } from './queue-type.ts';
import type { VirtualHost } from './vhost.ts';

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
  /** The virtual host it lives in. */
  readonly vhost: VirtualHost;
  /** Its name in the trace (`VirtualHost.traceName`: the name itself in the default vhost). */
  readonly traceName: string;
  readonly properties: QueueProperties;
  /** `x-queue-type` (classic when absent); see queue-type.ts. */
  readonly type: QueueType;
  /**
   * Quorum queues' `x-delivery-limit`: a message returned to the queue more than this many times is dead-lettered
   * (reason `delivery_limit`) instead of requeued; undefined = no limit.
   */
  readonly deliveryLimit: number | undefined;
  /**
   * Quorum queues with an `x-delivery-limit` (of any value): a returned message goes back to the head, behind the
   * ones returned before it; without one it goes to the back of the queue (RabbitMQ 3.10 rabbit_fifo; conformance
   * program 43).
   */
  readonly returnsFirst: boolean;
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
  /**
   * Consumers that may be served, in service order: priority descending, then the order in which they joined or
   * rejoined (see `nextConsumerWithCapacity`).
   */
  private readonly active: Consumer[] = [];
  /** Consumers found full when their turn came, in that order; they rejoin `active` once they have capacity. */
  private readonly blocked: Consumer[] = [];
  /** `x-single-active-consumer`: only `activeConsumer` gets messages (see `addConsumer` / `removeConsumer`). */
  readonly singleActiveConsumer: boolean;
  /** With `singleActiveConsumer`: the consumer that gets every message, while it lasts. */
  private activeConsumer: Consumer | undefined;

  /** `TraceLog.intern` key of `name` (the hot trace paths store the key). */
  readonly traceKey: number;

  /**
   * Position numbers of messages returned to a quorum queue with `returnsFirst`: in the order they came back, all
   * below those of never-delivered messages.
   */
  private nextReturnSeq = -(2 ** 52);

  constructor(name: string, vhost: VirtualHost, properties: QueueProperties, owner: string | null, traceKey: number) {
    this.traceKey = traceKey;
    this.vhost = vhost;
    this.traceName = vhost.traceName(name);
    this.type = queueTypeOf(properties.arguments);
    const limit = properties.arguments['x-delivery-limit'];
    // RabbitMQ 3.10 takes the value as it is (no validation): a message goes once its count exceeds any number
    // (-1: on its first return), and a string compares above every count (Erlang term order), so it never goes.
    this.deliveryLimit = this.type === 'quorum' && typeof limit === 'number' && Number.isFinite(limit) ? limit : undefined;
    this.returnsFirst = this.type === 'quorum' && limit !== undefined && limit !== null;
    const ttl = properties.arguments['x-message-ttl'];
    this.messageTtlMs = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0 ? ttl : undefined;
    this.singleActiveConsumer = properties.arguments['x-single-active-consumer'] === true;
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

  /**
   * Position number for a message returned to a quorum queue: at the head behind earlier returns with
   * `returnsFirst`, else at the back.
   */
  takeReturnSeq(): number {
    return this.returnsFirst ? this.nextReturnSeq++ : this.nextSeq++;
  }

  /**
   * Subscribes `consumer`. With `x-single-active-consumer` the first consumer becomes the active one and a later one,
   * whatever its priority, waits (https://www.rabbitmq.com/docs/consumers#single-active-consumer).
   */
  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.hadConsumer = true;
    this.joinActive(consumer);
    if (this.singleActiveConsumer && this.activeConsumer === undefined) this.activeConsumer = consumer;
  }

  /**
   * Unsubscribes `consumer`. If it was the single active consumer, the waiting consumer with the highest priority,
   * the earliest subscribed among equals, takes over (RabbitMQ 3.10 classic queues; conformance program 37).
   */
  removeConsumer(consumer: Consumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    for (const list of [this.active, this.blocked]) {
      const at = list.indexOf(consumer);
      if (at >= 0) list.splice(at, 1);
    }
    if (this.activeConsumer === consumer) {
      let next: Consumer | undefined;
      for (const c of this.consumers) if (next === undefined || c.priority > next.priority) next = c;
      this.activeConsumer = next;
    }
  }

  /**
   * The consumer that gets the next message, or undefined if none can take one now; it counts as served (it moves
   * to the end of its priority). Consumers are served in turn: noAck consumers can always take a message, others
   * while below their prefetch and below their channel's global prefetch. With consumer priorities, lower ones get
   * messages only while every higher one is full. With a single active consumer, only that one.
   *
   * The turn order is RabbitMQ's (rabbit_queue_consumers, 3.10): a consumer found full when its turn comes leaves
   * the line ("blocked"); when an ack gives it room again it rejoins at the END of its priority, behind consumers
   * that were served meanwhile. So after m1 → A, m2 → B, both full with m3 waiting, B acks (gets m3) then A acks:
   * the next message goes to B, not A. Sources: https://www.rabbitmq.com/docs/consumers,
   * /docs/consumer-prefetch, /docs/consumer-priority; verified against RabbitMQ 3.10 (conformance programs 04, 05,
   * 33 and 38).
   */
  nextConsumerWithCapacity(): Consumer | undefined {
    if (this.singleActiveConsumer) {
      const active = this.activeConsumer;
      return active !== undefined && hasCapacity(active) ? active : undefined;
    }
    this.resumeConsumers();
    const active = this.active;
    while (active.length > 0) {
      const head = active.shift() as Consumer;
      if (hasCapacity(head)) {
        this.joinActive(head);
        return head;
      }
      this.blocked.push(head);
    }
    return undefined;
  }

  /**
   * Blocked consumers that have room again rejoin the line, in the order they were blocked. The broker calls it
   * whenever a consumer may have got room (every dispatch: after acks, prefetch changes), also when no message is
   * waiting, so the line keeps the order in which consumers got room (RabbitMQ unblocks on the ack).
   */
  resumeConsumers(): void {
    const blocked = this.blocked;
    for (let i = 0; i < blocked.length;) {
      if (hasCapacity(blocked[i])) this.joinActive(blocked.splice(i, 1)[0]);
      else i++;
    }
  }

  /** Puts `consumer` at the end of its priority in the line. */
  private joinActive(consumer: Consumer): void {
    const active = this.active;
    let i = active.length;
    while (i > 0 && active[i - 1].priority < consumer.priority) i--;
    if (i === active.length) active.push(consumer);
    else active.splice(i, 0, consumer);
  }
}

function hasCapacity(c: Consumer): boolean {
  if (!c.channel.open) return false;
  if (c.noAck) return true;
  if (c.prefetch > 0 && c.unacked >= c.prefetch) return false;
  const ch = c.channel;
  return ch.globalPrefetch === 0 || ch.consumerUnacked < ch.globalPrefetch;
}
