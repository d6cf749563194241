import type { BrokerMessage } from './message.ts';
import { ReadyList, type ReadyMessages } from './ready-list.ts';

/** Highest `x-max-priority` RabbitMQ accepts (rabbit_amqqueue:check_max_priority_arg, ?MAX_SUPPORTED_PRIORITY). */
export const MAX_SUPPORTED_PRIORITY = 255;

/**
 * The ready messages of a priority queue (declared with `x-max-priority` = `maxPriority` ≥ 1): one FIFO
 * (`ReadyList`) per priority 0..maxPriority; the head is the oldest message of the highest non-empty priority.
 *
 * Rules (https://www.rabbitmq.com/docs/priority; each verified against RabbitMQ 3.10 by
 * test/conformance/amqp/33-priority-queues.mjs):
 * - a message's priority is its `priority` property; without one it counts as 0, above `maxPriority` as
 *   `maxPriority` (the property itself is delivered unchanged): with max 5, priorities 9, 5, 200 share one FIFO;
 * - a requeued message goes back to its original position within its priority;
 * - drop-head over a length limit drops the head, i.e. the oldest message of the highest priority, which can be
 *   the one just published;
 * - message TTL expires a message only when it is the head of the whole queue, as in a plain queue
 *   (rabbit_priority_queue:dropwhile/2 looks at the highest non-empty priority only): a short-lived low-priority
 *   message behind a higher one still counts in the queue's length after its expiry time, and is dropped (or
 *   dead-lettered) once it reaches the head.
 */
export class PriorityReadyList implements ReadyMessages {
  /** One FIFO per priority, created on first use. */
  private readonly levels: (ReadyList | undefined)[];
  private count = 0;
  /** No priority above this one holds a message (may point at an empty one until the next `top()`). */
  private highest = -1;

  /** The queue's `x-max-priority`. */
  readonly maxPriority: number;

  /** @param maxPriority the queue's `x-max-priority`, an integer 1..255 (validated at declare). */
  constructor(maxPriority: number) {
    this.maxPriority = maxPriority;
    this.levels = new Array<ReadyList | undefined>(maxPriority + 1);
  }

  /** The FIFO a message belongs to: its `priority` property, 0 when absent, capped at `maxPriority`. */
  priorityOf(message: BrokerMessage): number {
    const p = message.properties.priority;
    if (typeof p !== 'number' || !(p > 0)) return 0;
    return Math.min(Math.trunc(p), this.maxPriority);
  }

  get length(): number {
    return this.count;
  }

  push(message: BrokerMessage): void {
    this.levelFor(message).push(message);
    this.count++;
  }

  shift(): BrokerMessage | undefined {
    const level = this.top();
    if (level === undefined) return undefined;
    this.count--;
    return level.shift();
  }

  peek(): BrokerMessage | undefined {
    return this.top()?.peek();
  }

  sum(size: (message: BrokerMessage) => number): number {
    let total = 0;
    for (const level of this.levels) if (level !== undefined) total += level.sum(size);
    return total;
  }

  insertBySeq(message: BrokerMessage): void {
    this.levelFor(message).insertBySeq(message);
    this.count++;
  }

  insertManyBySeq(sorted: readonly BrokerMessage[]): void {
    const byLevel = new Map<number, BrokerMessage[]>();
    for (const message of sorted) {
      const p = this.priorityOf(message);
      const group = byLevel.get(p);
      if (group) group.push(message);
      else byLevel.set(p, [message]);
    }
    for (const group of byLevel.values()) {
      this.levelFor(group[0]).insertManyBySeq(group);
      this.count += group.length;
    }
  }

  clear(): number {
    const n = this.count;
    this.levels.fill(undefined);
    this.count = 0;
    this.highest = -1;
    return n;
  }

  ids(): string[] {
    const out: string[] = [];
    for (let p = this.maxPriority; p >= 0; p--) out.push(...(this.levels[p]?.ids() ?? []));
    return out;
  }

  private levelFor(message: BrokerMessage): ReadyList {
    const p = this.priorityOf(message);
    if (p > this.highest) this.highest = p;
    let level = this.levels[p];
    if (level === undefined) {
      level = new ReadyList();
      this.levels[p] = level;
    }
    return level;
  }

  /** The highest non-empty FIFO, or undefined when the queue is empty. */
  private top(): ReadyList | undefined {
    while (this.highest >= 0) {
      const level = this.levels[this.highest];
      if (level !== undefined && level.length > 0) return level;
      this.highest--;
    }
    return undefined;
  }
}
