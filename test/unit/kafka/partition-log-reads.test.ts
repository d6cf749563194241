/**
 * The partition log's fetch sizing (`readCount`, `sizeAt`, `lastReadBytes`, `bytesBetween`) against a plain array of record sizes,
 * over random appends (uniform or per-record sizes), retention deletions (with the lazy compaction of the columns)
 * and truncations (fast-check). The log keeps running byte totals and answers with a binary search; the reference
 * walks the records one by one as Kafka's fetch does (KIP-74: at least one record even when it is over the limit).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PartitionLog } from '../../../simulator/brokers/kafka/model/partition-log.ts';

type Op =
  | { kind: 'append'; sizes: number[]; uniform: boolean }
  | { kind: 'delete'; fraction: number }
  | { kind: 'truncate'; fraction: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), sizes: fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 3000 }), uniform: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
);

/** Kafka's rule, one record at a time: records below `end`, at most `maxRecords`, within `maxBytes`, at least one. */
function referenceRead(sizes: Map<number, number>, from: number, end: number, maxBytes: number, maxRecords: number) {
  let n = 0;
  let bytes = 0;
  for (let off = from; off < end && n < maxRecords; off++) {
    const s = sizes.get(off)!;
    if (n > 0 && bytes + s > maxBytes) break;
    bytes += s;
    n++;
  }
  return { n, bytes };
}

describe('partition log reads', () => {
  test('readCount and sizeAt agree with a record-by-record walk after appends, deletions and truncations', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 20 }), (ops, reads) => {
      const log = new PartitionLog();
      const sizes = new Map<number, number>();
      let msg = 0;
      for (const o of ops) {
        if (o.kind === 'append') {
          const recordSizes = o.uniform ? o.sizes.map(() => o.sizes[0]) : o.sizes;
          const base = log.logEndOffset;
          log.append({ msgs: recordSizes.map(() => msg++), timestamps: 0, sizes: o.uniform ? o.sizes[0] : recordSizes, producerId: -1, producerEpoch: 0, baseSequence: -1 }, 0, 1e12, 1e12, 0);
          recordSizes.forEach((s, i) => sizes.set(base + i, s));
        } else {
          const target = log.logStartOffset + Math.floor(o.fraction * (log.logEndOffset - log.logStartOffset));
          if (o.kind === 'delete') log.deleteBelow(target);
          else log.truncate(target);
        }
        const start = log.logStartOffset;
        const end = log.logEndOffset;
        for (let off = start; off < end; off += 997) expect(log.sizeAt(off)).toBe(sizes.get(off));
        for (const [a, b, maxBytes, maxRecords] of reads) {
          const span = end - start;
          const from = span === 0 ? start : start + (a % span);
          const upTo = span === 0 ? end : from + (b % (end - from + 1));
          const want = referenceRead(sizes, from, upTo, maxBytes, maxRecords);
          expect(log.readCount(from, upTo, maxBytes, maxRecords)).toBe(want.n);
          expect(log.lastReadBytes).toBe(want.bytes);
          let all = 0;
          for (let off = from; off < upTo; off++) all += sizes.get(off)!;
          expect(log.bytesBetween(from, upTo)).toBe(all);
        }
      }
    }), { numRuns: 60, seed: 20261203 });
  });

  test('a read below the log start or at the high watermark returns nothing', () => {
    const log = new PartitionLog();
    log.append({ msgs: [0, 1, 2, 3], timestamps: 0, sizes: 10, producerId: -1, producerEpoch: 0, baseSequence: -1 }, 0, 1e12, 1e12, 0);
    log.deleteBelow(2);
    expect(log.readCount(1, 4, 1000)).toBe(0);
    expect(log.readCount(3, 3, 1000)).toBe(0);
    expect(log.readCount(2, 4, 5)).toBe(1);
    expect(log.lastReadBytes).toBe(10);
  });
});
