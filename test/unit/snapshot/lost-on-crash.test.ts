/**
 * A noAck worker that crashes loses what it held: the scenario names those messages in `consumer-crashed.lostMsgIds`
 * and the snapshot counts them (and noAck deliveries sent to the dead client) as lost. With manual acks the same
 * crash loses nothing: the broker requeues the unacked messages.
 */
import { describe, expect, it } from 'vitest';
import { runWorkQueue, type WorkQueueKnobs } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';

const knobs: WorkQueueKnobs = {
  producerRatePerSec: 50, messageCount: 300, consumerCount: 4, prefetch: 0, processingMs: 200,
  processingJitterMs: 150, ackMode: 'auto', crashes: [{ consumer: 1, atMs: 1500 }],
};

describe('messages lost when a noAck worker crashes', () => {
  it('lists the messages the crashed worker held and counts them as lost, not as dropped', () => {
    const run = runWorkQueue(knobs, { seed: 1, untilMs: 600_000 });
    const crash = run.trace.toArray().find((e) => e.kind === 'consumer-crashed');
    expect(crash?.kind === 'consumer-crashed' && crash.lostMsgIds).toEqual(
      ['m33', 'm37', 'm41', 'm45', 'm49', 'm53', 'm57', 'm61', 'm65', 'm69', 'm73']);
    const before = snapshotAt(run.trace, 1499).counters;
    const after = snapshotAt(run.trace, run.endedAtMs).counters;
    expect(before.lost).toBe(0);
    expect(after.lost).toBe(11);
    expect(after.dropped).toBe(0);
    // Every published message was either processed by a live worker or lost: none was delivered twice.
    const delivered = run.trace.toArray().filter((e) => e.kind === 'delivered').map((e) => e.msgId);
    expect(new Set(delivered).size).toBe(300);
  });

  it('counts a noAck delivery the broker sends to a worker that already died as lost', () => {
    // Worker 1 dies at 1500 ms; the broker only notices one latency (10 ms) later and may still deliver to it.
    const run = runWorkQueue({ ...knobs, messageCount: 6000, producerRatePerSec: 2000, processingMs: 0, processingJitterMs: 0 },
      { seed: 3, untilMs: 600_000 });
    const crashAt = 1500;
    const crash = run.trace.toArray().find((e) => e.kind === 'consumer-crashed');
    if (crash?.kind !== 'consumer-crashed') throw new Error('no crash in the trace');
    const lateToDead = run.trace.toArray().filter((e) => e.kind === 'delivered' && e.channel === crash.channel && e.t >= crashAt);
    expect(lateToDead.length).toBeGreaterThan(0);
    const held = crash.lostMsgIds?.length ?? 0;
    expect(snapshotAt(run.trace, run.endedAtMs).counters.lost).toBe(held + lateToDead.length);
  });

  it('loses nothing with manual acks: no lostMsgIds and a lost count of 0', () => {
    const run = runWorkQueue({ ...knobs, ackMode: 'manual', prefetch: 2 }, { seed: 1, untilMs: 600_000 });
    const crash = run.trace.toArray().find((e) => e.kind === 'consumer-crashed');
    expect(crash).toBeDefined();
    expect(crash && 'lostMsgIds' in crash).toBe(false);
    expect(snapshotAt(run.trace, run.endedAtMs).counters.lost).toBe(0);
  });
});
