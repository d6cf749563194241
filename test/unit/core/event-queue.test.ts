import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventHeap } from '../../../simulator/core/heap.ts';
import { TimeBucketQueue } from '../../../simulator/core/event-queue.ts';

type Op = { push: number } | { pop: true } | { popAtOrBefore: number };

describe('TimeBucketQueue', () => {
  it('pops (and pops what is due) in the same (atMs, seq) order as the binary heap, with ring-slot collisions and far-future times', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ push: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 20_000 }), fc.constant(4096), fc.constant(8192)) }),
      fc.constant({ pop: true as const }),
      fc.record({ popAtOrBefore: fc.integer({ min: 0, max: 20_000 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
      const heap = new EventHeap<{ atMs: number; seq: number }>();
      const queue = new TimeBucketQueue<{ atMs: number; seq: number }>();
      let seq = 0;
      for (const o of ops) {
        if ('push' in o) {
          const entry = { atMs: o.push, seq: seq++ };
          heap.push(entry);
          queue.push(entry);
        } else if ('pop' in o) {
          expect(queue.peek()).toBe(heap.peek());
          expect(queue.pop()).toBe(heap.pop());
        } else {
          const due = heap.peek() !== undefined && (heap.peek() as { atMs: number }).atMs <= o.popAtOrBefore;
          expect(queue.popAtOrBefore(o.popAtOrBefore)).toBe(due ? heap.pop() : undefined);
        }
        expect(queue.size).toBe(heap.size);
      }
      for (let e = heap.pop(); e !== undefined; e = heap.pop()) expect(queue.pop()).toBe(e);
      expect(queue.pop()).toBeUndefined();
      expect(queue.peek()).toBeUndefined();
    }), { numRuns: 500 });
  });
});

describe('TimeBucketQueue edge times (review)', () => {
  it('matches the heap for fractional, negative, -0, huge and infinite times that share ring slots', () => {
    const time = fc.oneof(fc.integer({ min: -5, max: 40 }), fc.constantFrom(-0, 0.5, 4096.5, 1.25, -4096, 2 ** 31, 2 ** 32,
      2 ** 32 + 4096, 2 ** 53, Infinity, -Infinity), fc.integer({ min: 0, max: 4 }).map((k) => k * 4096 + 1));
    const op = fc.oneof(fc.record({ push: time }), fc.constant({ pop: true as const }),
      fc.record({ popAtOrBefore: time }));
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const heap = new EventHeap<{ atMs: number; seq: number }>();
      const queue = new TimeBucketQueue<{ atMs: number; seq: number }>();
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
          expect(queue.popAtOrBefore(o.popAtOrBefore)).toBe(top !== undefined && top.atMs <= o.popAtOrBefore ? heap.pop() : undefined);
        }
        expect(queue.peek()).toBe(heap.peek());
      }
      for (let e = heap.pop(); e !== undefined; e = heap.pop()) expect(queue.pop()).toBe(e);
    }), { numRuns: 500 });
  });
});
