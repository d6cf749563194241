import type { Unacked } from './channel.ts';

/** Slots before the first outstanding delivery that trigger a compaction (and only when they are half the array). */
const COMPACT_AFTER_SLOTS = 1024;

/**
 * A channel's unacknowledged deliveries by delivery tag, in tag order: a `Map<number, Unacked>` subset (`get`,
 * `set`, `delete`, `size`, `values()`, `entries()` / iteration) built on an array indexed by `tag - base`.
 * Delivery tags on a channel only grow (AMQP 0-9-1 basic.deliver: they count up from 1 per channel), so a new
 * entry always goes at the end, lookups are an index, and a settled entry leaves a hole that is skipped. This
 * replaces a Map because a Map that takes one entry and loses one per message keeps rehashing (allocating a new
 * table every few messages), which was a large share of a million-message run's garbage.
 *
 * Memory: one slot per tag between the oldest outstanding delivery and the newest (holes included), so at most
 * one slot per delivery the channel ever made; the leading holes are dropped once they are half of the array.
 * @throws RangeError from `set` when `tag` is not above every tag already held (a broker bug, not a client error).
 */
export class UnackedByTag {
  /** Slots `[0, end)` are in use; the array itself is kept when the channel drains (no reallocation per drain). */
  private slots: (Unacked | undefined)[] = [];
  /** Tag of `slots[0]`. */
  private base = 0;
  /** Index of the first outstanding entry (every slot before it is a hole), or `end` when empty. */
  private head = 0;
  /** One past the last slot in use. */
  private end = 0;
  /** Outstanding entries. */
  size = 0;

  get(tag: number): Unacked | undefined {
    const i = tag - this.base;
    return i >= this.head && i < this.end ? this.slots[i] : undefined;
  }

  set(tag: number, unacked: Unacked): void {
    if (this.size === 0) {
      this.base = tag;
      this.head = 0;
      this.end = 0;
    }
    const i = tag - this.base;
    if (!Number.isInteger(tag) || i < this.end) {
      throw new RangeError(`delivery tag ${tag} is not above the channel's outstanding tags`);
    }
    const slots = this.slots;
    while (this.end <= i) {
      const value = this.end === i ? unacked : undefined;
      if (this.end < slots.length) slots[this.end] = value;
      else slots.push(value);
      this.end++;
    }
    this.size++;
  }

  delete(tag: number): boolean {
    const i = tag - this.base;
    const slots = this.slots;
    if (i < this.head || i >= this.end || slots[i] === undefined) return false;
    slots[i] = undefined;
    this.size--;
    if (this.size === 0) {
      // Every slot in [head, end) is a hole now; keep the array unless it grew large.
      this.head = 0;
      this.end = 0;
      if (slots.length > COMPACT_AFTER_SLOTS) this.slots = [];
      return true;
    }
    if (i === this.head) {
      let h = this.head + 1;
      while (slots[h] === undefined) h++;
      this.head = h;
      if (h >= COMPACT_AFTER_SLOTS && h * 2 >= this.end) {
        // Move the outstanding slots to the front in place (no new array) and clear what they left behind.
        const kept = this.end - h;
        slots.copyWithin(0, h, this.end);
        slots.fill(undefined, kept, this.end);
        this.base += h;
        this.end = kept;
        this.head = 0;
      }
    }
    return true;
  }

  /** Outstanding entries in tag order. */
  *values(): IterableIterator<Unacked> {
    for (let i = this.head; i < this.end; i++) {
      const u = this.slots[i];
      if (u !== undefined) yield u;
    }
  }

  /** `[tag, entry]` pairs in tag order. */
  *entries(): IterableIterator<[number, Unacked]> {
    for (let i = this.head; i < this.end; i++) {
      const u = this.slots[i];
      if (u !== undefined) yield [this.base + i, u];
    }
  }

  [Symbol.iterator](): IterableIterator<[number, Unacked]> {
    return this.entries();
  }
}
