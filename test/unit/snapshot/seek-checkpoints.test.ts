/**
 * The cursor's checkpoints (simulator/brokers/amqp/fold.ts): seeking forwards and backwards in any order gives the
 * same snapshot as a fresh fold from t = 0, on runs long enough to hold many checkpoints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSnapshotCursor, snapshotAt, CHECKPOINT_ENTRIES_MIN } from '../../../simulator/brokers/amqp/fold.ts';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';

const knobs = {
  producerRatePerSec: 400, messageCount: 3000, consumerCount: 4, prefetch: 5, processingMs: 9, processingJitterMs: 4,
  ackMode: 'manual' as const, crashes: [{ consumer: 2, atMs: 2500 }, { consumer: 3, atMs: 5100 }],
};

describe('snapshot cursor checkpoints', () => {
  const run = runWorkQueue(knobs, { seed: 4, untilMs: 3_600_000, latencyMs: 7 });
  const trace = run.trace.toArray();

  it('the run is long enough to need several checkpoints', () => {
    expect(trace.length).toBeGreaterThan(4 * CHECKPOINT_ENTRIES_MIN);
  });

  it('gives the same snapshot as a fresh fold for random forward and backward seeks', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -10, max: run.endedAtMs + 10 }), { minLength: 2, maxLength: 12 }),
      (times) => {
        const cursor = createSnapshotCursor(trace);
        for (const atMs of times) expect(cursor.seek(atMs)).toEqual(snapshotAt(trace, atMs));
      }), { numRuns: 25 });
  });

  it('lists at most readyHeadMax ready ids but counts them all', () => {
    const deep = runWorkQueue({ ...knobs, consumerCount: 0, messageCount: 500, crashes: [] }, { seed: 1, untilMs: 3_600_000 });
    const cursor = createSnapshotCursor(deep.trace, { readyHeadMax: 16 });
    const queue = cursor.seek(deep.endedAtMs).nodes.queues[0];
    expect(queue.ready).toHaveLength(16);
    expect(queue.readyCount).toBe(500);
    expect(queue.ready).toEqual(snapshotAt(deep.trace, deep.endedAtMs).nodes.queues[0].ready.slice(0, 16));
  });
});
