import type { BrokerMessage } from './message.ts';

/**
 * The ready messages of a queue, as the broker uses them: `ReadyList` for a plain queue (one FIFO),
 * `PriorityReadyList` (priority-ready-list.ts) for a queue declared with `x-max-priority` (one FIFO per priority,
 * highest first). "Head" is the message the next delivery takes.
 */
export interface ReadyMessages {
  readonly length: number;
  /** Appends a newly enqueued message (after every ready message of its priority). */
  push(message: BrokerMessage): void;
  /** Removes and returns the head, or undefined when empty. */
  shift(): BrokerMessage | undefined;
  /** The head without removing it. */
  peek(): BrokerMessage | undefined;
  /** Sum of `size(message)` over the ready messages. */
  sum(size: (message: BrokerMessage) => number): number;
  /** Puts a requeued message back at its original position (by `seq`). */
  insertBySeq(message: BrokerMessage): void;
  /** Puts many requeued messages (sorted by ascending `seq`) back at their original positions. */
  insertManyBySeq(sorted: readonly BrokerMessage[]): void;
  /** Empties the list and returns how many messages it held. */
  clear(): number;
  /** Message ids in delivery order (for tests and debugging). */
  ids(): string[];
}

/**
 * The ready messages of one queue, in queue order (ascending `seq`). O(1) push and shift (an array with a moving
 * head, compacted now and then; a gap kept before the head makes putting back an old message O(1)); requeue inserts a message back at its original position (binary search on `seq`),
 * which RabbitMQ does for classic queues: "When a message is requeued, it will be placed to its original position
 * in its queue, if possible" (https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue; verified against
 * RabbitMQ 3.10: get m1, m2, m3, reject m2 and m1 with requeue ⇒ queue order m1, m2, m4, m5).
 */
export class ReadyList implements ReadyMessages {
  /** Messages in `items[head, tail)`; slots outside it are undefined (kept, so a queue that empties and fills
   * again at every message, the common case, reuses its array instead of allocating one per message). */
  private items: (BrokerMessage | undefined)[] = [];
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(message: BrokerMessage): void {
    if (this.tail < this.items.length) this.items[this.tail] = message;
    else this.items.push(message);
    this.tail++;
  }

  /** Sum of `size(message)` over the ready messages, head first. */
  sum(size: (message: BrokerMessage) => number): number {
    let total = 0;
    for (let i = this.head; i < this.tail; i++) total += size(this.items[i] as BrokerMessage);
    return total;
  }

  /** The head without removing it. */
  peek(): BrokerMessage | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }

  /** Removes and returns the head of the queue, or undefined when empty. */
  shift(): BrokerMessage | undefined {
    if (this.head >= this.tail) return undefined;
    const message = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      if (this.items.length > 1024) this.items = [];
    } else if (this.head >= 1024 && this.head * 2 >= this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.head = 0;
      this.tail = this.items.length;
    }
    return message;
  }

  /** Inserts `message` before the first ready message with a larger `seq` (its original position). */
  insertBySeq(message: BrokerMessage): void {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as BrokerMessage).seq < message.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.head) {
      // Requeued messages are usually older than every ready one: keep a gap before the head so putting them back
      // costs O(1) amortized instead of shifting the whole array.
      if (this.head === 0) this.growFront();
      this.items[--this.head] = message;
    } else {
      this.items.length = this.tail;
      this.items.splice(lo, 0, message);
      this.tail++;
    }
  }

  /**
   * Inserts many messages (sorted by ascending `seq`) at their original positions: one at a time when few, else one
   * O(n + k) merge.
   */
  insertManyBySeq(sorted: readonly BrokerMessage[]): void {
    if (sorted.length <= 32) {
      for (let i = sorted.length - 1; i >= 0; i--) this.insertBySeq(sorted[i]);
      return;
    }
    const merged: (BrokerMessage | undefined)[] = [];
    let i = this.head;
    let j = 0;
    while (i < this.tail && j < sorted.length) {
      const ready = this.items[i] as BrokerMessage;
      if (sorted[j].seq < ready.seq) merged.push(sorted[j++]);
      else merged.push(this.items[i++]);
    }
    while (i < this.tail) merged.push(this.items[i++]);
    while (j < sorted.length) merged.push(sorted[j++]);
    this.items = merged;
    this.head = 0;
    this.tail = merged.length;
  }

  private growFront(): void {
    const gap = Math.max(16, this.length >> 1);
    const grown: (BrokerMessage | undefined)[] = new Array<BrokerMessage | undefined>(gap).fill(undefined);
    for (let i = this.head; i < this.tail; i++) grown.push(this.items[i]);
    this.items = grown;
    this.head = gap;
    this.tail = grown.length;
  }

  /** Empties the list and returns how many messages it held. */
  clear(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    this.tail = 0;
    return n;
  }

  /** Message ids in queue order (for tests and debugging). */
  ids(): string[] {
    const out: string[] = [];
    for (let i = this.head; i < this.tail; i++) out.push(`m${(this.items[i] as BrokerMessage).num}`);
    return out;
  }
}
