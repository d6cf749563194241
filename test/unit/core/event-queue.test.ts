import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventHeap } from '../../../simulator/core/heap.ts';
import { TimeBucketQueue } from '../../../simulator/core/event-queue.ts';

type Op = { push: number } | { pop: true } | { popAtOrBefore: number };
type Entry = { atMs: number; seq: number };

/**
 * Applies `ops` to the binary heap (the reference) and to the bucket queue, pushing entries with increasing `seq`
 * as the engine does, and expects the same entry from both at every pop, the same head and size after every
 * operation, and the same order when both are drained at the end.
 */
function replay(ops: readonly Op[]): void {
  const heap = new EventHeap<Entry>();
  const queue = new TimeBucketQueue<Entry>();
  let seq = 0;
  for (const o of ops) {
    if ('push' in o) {
      const entry = { atMs: o.push, seq: seq++ };
      heap.push(entry);
      queue.push(entry);
    } else if ('pop' in o) {
      expect(queue.pop()).toBe(heap.pop());
    } else {
      const top = heap.peek();
      const due = top !== undefined && top.atMs <= o.popAtOrBefore;
      expect(queue.popAtOrBefore(o.popAtOrBefore)).toBe(due ? heap.pop() : undefined);
    }
    expect(queue.peek()).toBe(heap.peek());
    expect(queue.size).toBe(heap.size);
  }
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) expect(queue.pop()).toBe(e);
  expect(queue.pop()).toBeUndefined();
  expect(queue.peek()).toBeUndefined();
}

const ops = (time: fc.Arbitrary<number>, maxLength: number): fc.Arbitrary<Op[]> => fc.array(fc.oneof(
  fc.record({ push: time }),
  fc.constant({ pop: true as const }),
  fc.record({ popAtOrBefore: time }),
) as fc.Arbitrary<Op>, { maxLength });

describe('TimeBucketQueue', () => {
  it('pops (and pops what is due) in the same (atMs, seq) order as the binary heap, with ring-slot collisions and far-future times', () => {
    const time = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20_000 }), fc.constant(4096),
      fc.constant(8192));
    fc.assert(fc.property(ops(time, 500), replay), { numRuns: 500 });
  });

  it('matches the heap for fractional, negative, -0, huge and infinite times that share ring slots', () => {
    const time = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.constantFrom(-0, 0.5, 4096.5, 1.25, -4096, 2 ** 31, 2 ** 32,
      2 ** 32 + 4096, 2 ** 53, Infinity, -Infinity), fc.integer({ min: 0, max: 4 }).map((k) => k * 4096 + 1));
    fc.assert(fc.property(ops(time, 400), replay), { numRuns: 500 });
  });
});
