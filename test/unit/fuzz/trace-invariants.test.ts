/**
 * The invariant checker itself must catch broken traces (otherwise the fuzz tests could not fail): each test takes a
 * real trace, breaks one invariant, and expects the matching violation.
 */
import { describe, expect, it } from 'vitest';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import { traceViolations } from './trace-invariants.ts';

const knobs = {
  producerRatePerSec: 20, messageCount: 12, consumerCount: 2, prefetch: 2, processingMs: 100,
  ackMode: 'manual' as const, crashes: [{ consumer: 1, atMs: 400 }],
};
const base = (): TraceEvent[] => runWorkQueue(knobs, { seed: 5, untilMs: 86_400_000 }).trace.toArray().map((e) => ({ ...e }));
const indexOf = (trace: TraceEvent[], pred: (e: TraceEvent) => boolean) => trace.findIndex(pred);

describe('traceViolations', () => {
  it('finds nothing wrong in a real run with a crash and manual acks', () => {
    expect(traceViolations(base(), { manualAcks: true })).toEqual([]);
  });

  it('reports a second delivery of a message that is still unacked elsewhere', () => {
    const trace = base();
    const i = indexOf(trace, (e) => e.kind === 'delivered');
    const dup = { ...trace[i], channel: 'c9.ch1', deliveryTag: 1 } as TraceEvent;
    trace.splice(i + 1, 0, dup);
    expect(traceViolations(trace).join('\n')).toMatch(/delivered on c9\.ch1 while still unacked on/);
  });

  it('reports a negative queue depth and a recorded depth that disagrees with the fold', () => {
    const trace = base();
    const i = indexOf(trace, (e) => e.kind === 'enqueued');
    trace.splice(i, 1);
    const text = traceViolations(trace).join('\n');
    expect(text).toMatch(/depth went negative/);
    expect(text).toMatch(/enqueued with depth \d+, fold says/);
  });

  it('reports a gap in the delivery tags of a channel', () => {
    const trace = base();
    const i = indexOf(trace, (e) => e.kind === 'delivered' && e.deliveryTag === 2);
    (trace[i] as { deliveryTag: number }).deliveryTag = 3;
    expect(traceViolations(trace).join('\n')).toMatch(/delivery tag 3 on c\d\.ch1, expected 2/);
  });

  it('reports a published message that was never enqueued or dropped on an open channel', () => {
    const trace = base();
    const i = indexOf(trace, (e) => e.kind === 'published');
    const msgId = (trace[i] as { msgId: string }).msgId;
    const kept = trace.filter((e) => !('msgId' in e) || e.msgId !== msgId || e.kind === 'published');
    expect(traceViolations(kept).join('\n')).toMatch(new RegExp(`${msgId} was published on .* but never enqueued`));
  });

  it('reports a message lost with manual acks (unacked on a channel that closed without requeueing it)', () => {
    const full = base();
    const closed = indexOf(full, (e) => e.kind === 'channel-closed');
    const trace = full.slice(0, closed + 1).filter((e) => e.kind !== 'requeued');
    expect(traceViolations(full.slice(0, closed + 1), { manualAcks: true })).toEqual([]);
    expect(traceViolations(trace, { manualAcks: true }).join('\n')).toMatch(/which closed without requeueing it/);
  });
});
