/**
 * What a broker restart destroys counts as lost in the view (`restart-losses.ts`), in the snapshot's counter and in
 * the `lost` series alike: the transient messages of a durable queue (their own `dropped` entries), every message of
 * a non-durable queue the restart deleted, and a message that was on its way to the broker when it stopped. With a
 * durable queue and persistent messages only the message in flight is lost, and every other message is acknowledged.
 */
import { describe, expect, it } from 'vitest';
import { runWorkQueue, type WorkQueueKnobs } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';
import { amqpSeries } from '../../../simulator/brokers/amqp/view-metrics.ts';
import { restartLosses } from '../../../simulator/brokers/amqp/restart-losses.ts';

const knobs: WorkQueueKnobs = {
  producerRatePerSec: 10, messageCount: 30, consumerCount: 2, prefetch: 1, processingMs: 1000, ackMode: 'manual',
  crashes: [], durable: true, persistent: true,
};

/** Runs with one broker restart at `atMs`; returns the counters at the end and the `lost` series' last value. */
function restartAt(atMs: number, change: Partial<WorkQueueKnobs> = {}) {
  const run = runWorkQueue({ ...knobs, ...change, brokerRestarts: [atMs] }, { seed: 1, untilMs: 600_000, latencyMs: 100 });
  const counters = snapshotAt(run.trace, run.endedAtMs).counters;
  const lostSeries = amqpSeries(run.trace, run.endedAtMs).get('lost')!.points.at(-1)![1];
  const before = snapshotAt(run.trace, atMs - 1).counters.lost;
  return { run, counters, lostSeries, before };
}

describe('messages lost when the broker restarts', () => {
  it('durable queue, persistent messages, no publish in flight: nothing is lost', () => {
    const { counters, lostSeries } = restartAt(5000);
    expect(counters.lost).toBe(0);
    expect(lostSeries).toBe(0);
    expect(counters.acked).toBe(30);
  });

  it('counts the message on its way at the stop, and one sent before the producer learnt of it, as lost', () => {
    // A message leaves the producer every 100 ms and takes 100 ms to arrive. Message 11 left at 1.2 s and would have
    // arrived at 1.3 s; message 12 left at 1.3 s, before the close (sent at 1.25 s) reached the producer at 1.35 s.
    const { run, counters, lostSeries, before } = restartAt(1250);
    expect(restartLosses(run.trace)).toEqual({ atStop: new Map([[1250, 1]]), publishedWhileDown: new Set(['m12']) });
    expect(before).toBe(0);
    expect(snapshotAt(run.trace, 1250).counters.lost).toBe(1);
    expect(snapshotAt(run.trace, 1300).counters.lost).toBe(2);
    expect(counters.lost).toBe(2);
    expect(lostSeries).toBe(2);
    expect(counters.acked).toBe(28);
  });

  it('counts the transient messages of a durable queue (dropped) as lost', () => {
    const { counters, lostSeries } = restartAt(5000, { persistent: false });
    expect(counters.dropped).toBe(counters.lost);
    expect(counters.lost).toBeGreaterThan(10);
    expect(lostSeries).toBe(counters.lost);
    expect(counters.acked + counters.lost).toBe(30);
  });

  it('counts every message of a non-durable queue the restart deleted as lost', () => {
    const { run, counters, lostSeries } = restartAt(5000, { durable: false });
    const deleted = run.trace.toArray().find((e) => e.kind === 'queue-deleted');
    expect(deleted?.kind === 'queue-deleted' && deleted.messageCount).toBe(counters.lost);
    expect(counters.dropped).toBe(0);
    expect(lostSeries).toBe(counters.lost);
    expect(counters.acked + counters.lost).toBe(30);
  });

  it('a queue a program deletes while the broker runs is not a restart loss', () => {
    const run = runWorkQueue({ ...knobs, brokerRestarts: [] }, { seed: 1, untilMs: 600_000, latencyMs: 100 });
    expect(restartLosses(run.trace)).toEqual({ atStop: new Map(), publishedWhileDown: new Set() });
  });
});
