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
  private slots: (Unacked | undefined)[] = [];
  /** Tag of `slots[0]`. */
  private base = 0;
  /** Index of the first outstanding entry (every slot before it is a hole), or slots.length when empty. */
  private head = 0;
  /** Outstanding entries. */
  size = 0;

  get(tag: number): Unacked | undefined {
    const i = tag - this.base;
    return i >= this.head && i < this.slots.length ? this.slots[i] : undefined;
  }

  set(tag: number, unacked: Unacked): void {
    if (this.size === 0) {
      this.slots.length = 0;
      this.base = tag;
      this.head = 0;
    }
    const i = tag - this.base;
    if (!Number.isInteger(tag) || i < this.slots.length) {
      throw new RangeError(`delivery tag ${tag} is not above the channel's outstanding tags`);
    }
    while (this.slots.length < i) this.slots.push(undefined);
    this.slots.push(unacked);
    this.size++;
  }

  /** Removes the entry of `tag`; returns whether there was one. */
  delete(tag: number): boolean {
    const i = tag - this.base;
    if (i < this.head || i >= this.slots.length || this.slots[i] === undefined) return false;
    this.slots[i] = undefined;
    this.size--;
    if (this.size === 0) {
      this.slots.length = 0;
      this.head = 0;
      return true;
    }
    if (i === this.head) {
      let h = this.head + 1;
      while (this.slots[h] === undefined) h++;
      this.head = h;
      if (h >= COMPACT_AFTER_SLOTS && h * 2 >= this.slots.length) {
        this.slots = this.slots.slice(h);
        this.base += h;
        this.head = 0;
      }
    }
    return true;
  }

  /** Outstanding entries in tag order. */
  *values(): IterableIterator<Unacked> {
    for (let i = this.head; i < this.slots.length; i++) {
      const u = this.slots[i];
      if (u !== undefined) yield u;
    }
  }

  /** `[tag, entry]` pairs in tag order. */
  *entries(): IterableIterator<[number, Unacked]> {
    for (let i = this.head; i < this.slots.length; i++) {
      const u = this.slots[i];
      if (u !== undefined) yield [this.base + i, u];
    }
  }

  [Symbol.iterator](): IterableIterator<[number, Unacked]> {
    return this.entries();
  }
}
