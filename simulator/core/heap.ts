/**
 * A binary min-heap of scheduled events ordered by `(atMs, seq)`.
 *
 * Events at the same simulated time leave the heap in the order they were pushed (FIFO), because `seq` is a
 * strictly increasing insertion counter; the order never depends on sort stability (see SimScript and RxJS's
 * VirtualTimeScheduler in ../shared/STYLE-EXAMPLES.md).
 */
export interface HeapEntry {
  /** Simulated time in ms at which the entry fires. */
  atMs: number;
  /** Insertion counter: ties on `atMs` are broken by the smaller `seq`. */
  seq: number;
}

/** Min-heap over `HeapEntry` (and subtypes). O(log n) push/pop, O(1) peek. */
export class EventHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right], items[left]) ? right : left;
      if (!before(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
