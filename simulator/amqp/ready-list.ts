import type { BrokerMessage } from './message.ts';

/**
 * The ready messages of one queue, in queue order (ascending `seq`). O(1) push and shift (an array with a moving
 * head, compacted now and then); requeue inserts a message back at its original position (binary search on `seq`),
 * which RabbitMQ does for classic queues: "When a message is requeued, it will be placed to its original position
 * in its queue, if possible" (https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue; verified against
 * RabbitMQ 3.10: get m1, m2, m3, reject m2 and m1 with requeue ⇒ queue order m1, m2, m4, m5).
 */
export class ReadyList {
  private items: (BrokerMessage | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(message: BrokerMessage): void {
    this.items.push(message);
  }

  /** Removes and returns the head of the queue, or undefined when empty. */
  shift(): BrokerMessage | undefined {
    if (this.head >= this.items.length) return undefined;
    const message = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return message;
  }

  /** Inserts `message` before the first ready message with a larger `seq` (its original position). */
  insertBySeq(message: BrokerMessage): void {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as BrokerMessage).seq < message.seq) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.head && this.head > 0) {
      this.items[--this.head] = message;
    } else {
      this.items.splice(lo, 0, message);
    }
  }

  /** Empties the list and returns how many messages it held. */
  clear(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    return n;
  }

  /** Message ids in queue order (for tests and debugging). */
  ids(): string[] {
    const out: string[] = [];
    for (let i = this.head; i < this.items.length; i++) out.push((this.items[i] as BrokerMessage).id);
    return out;
  }
}
