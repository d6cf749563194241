import type { HeapEntry } from './heap.ts';

/**
 * The engine's pending events: pops entries in `(atMs, seq)` order, exactly like `EventHeap` (heap.ts), but keyed by
 * time buckets, because a busy run has many events per simulated millisecond (a million-message work queue: ~20).
 *
 * - One FIFO bucket per distinct pending `atMs`, and a binary min-heap of those distinct times. A bucket is found
 *   by its time in a ring of RING_SIZE slots (`atMs` mod RING_SIZE: the near future never collides), else in a Map
 *   (a far-future time whose slot is taken).
 * - `push` appends to its time's bucket; since the engine pushes entries with a strictly increasing `seq`, every
 *   bucket stays sorted by `seq`, so FIFO within a bucket is `(atMs, seq)` order without comparing `seq` at all.
 * - `pop` takes the head of the earliest bucket; the heap of times moves only when a bucket empties or a new time
 *   appears — about once per twenty events instead of twice per event.
 * Requirement (held by `Engine`): entries are pushed in increasing `seq` order. Emptied buckets are reused.
 * The order equals `EventHeap`'s on any such sequence (test/unit/core/event-queue.test.ts checks it with fast-check).
 */
export class TimeBucketQueue<T extends HeapEntry> {
  private count = 0;
  /** Distinct pending times: a binary min-heap. */
  private readonly times: number[] = [];
  private readonly ring: (Bucket<T> | undefined)[] = new Array<Bucket<T> | undefined>(RING_SIZE).fill(undefined);
  /** Buckets whose ring slot was taken by another time when they were made. */
  private readonly overflow = new Map<number, Bucket<T>>();
  /** Bucket of the earliest time (`times[0]`), or undefined when empty. */
  private head: Bucket<T> | undefined = undefined;
  /** The bucket the last push went to: consecutive pushes often share a time. */
  private lastPushed: Bucket<T> | undefined = undefined;
  private readonly spare: Bucket<T>[] = [];

  /** Number of pending entries. */
  get size(): number {
    return this.count;
  }

  /** The entry `pop` would return, or undefined. */
  peek(): T | undefined {
    const head = this.head;
    return head === undefined ? undefined : head.items[head.first];
  }

  /** Calls `fn` on every pending entry (in no particular order). For rare scans, not the hot path. */
  forEach(fn: (item: T) => void): void {
    for (const atMs of this.times) {
      const bucket = this.find(atMs);
      if (bucket === undefined) continue;
      for (let i = bucket.first; i < bucket.end; i++) fn(bucket.items[i]);
    }
  }

  /** Adds an entry (its `seq` must be larger than every `seq` pushed before). */
  push(item: T): void {
    const atMs = item.atMs;
    let bucket = this.lastPushed;
    if (bucket === undefined || bucket.atMs !== atMs || bucket.first < 0) {
      bucket = this.find(atMs);
      if (bucket === undefined) bucket = this.addBucket(atMs);
      this.lastPushed = bucket;
    }
    const items = bucket.items;
    if (bucket.end < items.length) items[bucket.end] = item;
    else items.push(item);
    bucket.end++;
    this.count++;
  }

  /** Removes and returns the earliest entry, or undefined when empty. */
  pop(): T | undefined {
    return this.popAtOrBefore(Infinity);
  }

  /** `pop()` if the earliest entry is due at or before `atMs`, else undefined (nothing removed). */
  popAtOrBefore(atMs: number): T | undefined {
    const head = this.head;
    if (head === undefined || head.atMs > atMs) return undefined;
    const items = head.items;
    const item = items[head.first];
    items[head.first++] = undefined as unknown as T;
    this.count--;
    if (head.first === head.end) this.dropHead(head);
    return item;
  }

  private find(atMs: number): Bucket<T> | undefined {
    const bucket = this.ring[atMs & RING_MASK];
    if (bucket !== undefined && bucket.atMs === atMs) return bucket;
    return this.overflow.size === 0 ? undefined : this.overflow.get(atMs);
  }

  private addBucket(atMs: number): Bucket<T> {
    let bucket = this.spare.pop();
    if (bucket === undefined) bucket = { atMs, first: 0, end: 0, items: [] };
    else {
      bucket.atMs = atMs;
      bucket.first = 0;
      bucket.end = 0;
    }
    const slot = atMs & RING_MASK;
    if (this.ring[slot] === undefined) this.ring[slot] = bucket;
    else this.overflow.set(atMs, bucket);
    pushTime(this.times, atMs);
    if (this.head === undefined || atMs < this.head.atMs) this.head = bucket;
    return bucket;
  }

  /** The head bucket is empty: forget its time and move to the next one. */
  private dropHead(bucket: Bucket<T>): void {
    const slot = bucket.atMs & RING_MASK;
    if (this.ring[slot] === bucket) this.ring[slot] = undefined;
    else this.overflow.delete(bucket.atMs);
    popTime(this.times);
    // Its slots were cleared as they were popped; the array is kept for the bucket's next use (no reallocation).
    if (bucket.items.length > BUCKET_ITEMS_KEPT_MAX) bucket.items = [];
    bucket.first = -1; // marks it free, so `lastPushed` never appends to it
    if (this.lastPushed === bucket) this.lastPushed = undefined;
    if (this.spare.length < SPARE_BUCKETS_MAX) this.spare.push(bucket);
    const times = this.times;
    this.head = times.length === 0 ? undefined : this.find(times[0]);
  }
}

interface Bucket<T> {
  atMs: number;
  /** Index of the first pending item; -1 while the bucket is free. */
  first: number;
  /** One past the last pending item: `items[first, end)` are pending, the rest are cleared slots. */
  end: number;
  items: T[];
}

/** Longest items array a freed bucket keeps for reuse. */
const BUCKET_ITEMS_KEPT_MAX = 4096;

const SPARE_BUCKETS_MAX = 256;
/** Slots of the ring of buckets (a power of two). */
const RING_SIZE = 4096;
const RING_MASK = RING_SIZE - 1;

function pushTime(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (p <= value) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = value;
}

function popTime(heap: number[]): void {
  const last = heap.pop() as number;
  const n = heap.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right] < heap[left] ? right : left;
    if (heap[child] >= last) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = last;
}
