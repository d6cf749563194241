import { describe, expect, it } from 'vitest';
import {
  runWorkQueue, WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES, type WorkQueueKnobs,
} from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import type { TraceEvent, TraceEventOf } from '../../../simulator/trace.ts';
import {
  consumerMachine, initialConsumerSnapshot, nextConsumerSnapshot, consumerState,
} from '../../../simulator/brokers/amqp/scenarios/consumer-machine.ts';

const base: WorkQueueKnobs = {
  producerRatePerSec: 10, messageCount: 10, consumerCount: 2, prefetch: 1, processingMs: 300,
  ackMode: 'manual', crashes: [],
};

function ofKind<K extends TraceEvent['kind']>(trace: Iterable<TraceEvent>, kind: K): TraceEventOf<K>[] {
  return [...trace].filter((e) => e.kind === kind) as TraceEventOf<K>[];
}

describe('runWorkQueue', () => {
  it('gives a byte-identical trace for the same seed and knobs', () => {
    const knobs = { ...base, processingJitterMs: 200, crashes: [{ consumer: 1, atMs: 700 }] };
    const a = runWorkQueue(knobs, { seed: 42, untilMs: 60_000 });
    const b = runWorkQueue(knobs, { seed: 42, untilMs: 60_000 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('draws processing jitter from the seed: another seed gives another trace', () => {
    const knobs = { ...base, processingJitterMs: 200 };
    const a = runWorkQueue(knobs, { seed: 1, untilMs: 60_000 });
    const b = runWorkQueue(knobs, { seed: 2, untilMs: 60_000 });
    expect(JSON.stringify(a.trace)).not.toBe(JSON.stringify(b.trace));
  });

  it('labels the connections producer and worker 1..N', () => {
    const { trace } = runWorkQueue({ ...base, consumerCount: 3 }, { seed: 1, untilMs: 1000 });
    expect(ofKind(trace, 'connection-opened').map((e) => e.label)).toEqual(['producer', 'worker 1', 'worker 2', 'worker 3']);
  });

  it('acks every message exactly once with manual acks and no crash', () => {
    const { trace, endedAtMs } = runWorkQueue(base, { seed: 1, untilMs: 60_000 });
    const acked = ofKind(trace, 'acked').map((e) => e.msgId).sort();
    expect(acked).toHaveLength(10);
    expect(new Set(acked).size).toBe(10);
    expect(endedAtMs).toBe(trace.at(-1)?.t);
  });

  it('spreads messages round-robin between equal workers', () => {
    const { trace } = runWorkQueue({ ...base, producerRatePerSec: 1000, prefetch: 0 }, { seed: 1, untilMs: 60_000 });
    const byChannel = new Map<string, number>();
    for (const d of ofKind(trace, 'delivered')) byChannel.set(d.channel, (byChannel.get(d.channel) ?? 0) + 1);
    expect([...byChannel.values()]).toEqual([5, 5]);
  });

  it('never lets a worker hold more unacked messages than prefetch', () => {
    const { trace } = runWorkQueue({ ...base, producerRatePerSec: 1000, messageCount: 40, prefetch: 3 },
      { seed: 1, untilMs: 60_000 });
    const held = new Map<string, number>();
    let max = 0;
    for (const e of trace) {
      if (e.kind === 'delivered') held.set(e.channel, (held.get(e.channel) ?? 0) + 1);
      if (e.kind === 'acked') held.set(e.channel, (held.get(e.channel) ?? 0) - 1);
      for (const v of held.values()) max = Math.max(max, v);
    }
    expect(max).toBe(3);
  });

  it('redelivers a crashed worker\'s unacked messages to another worker (manual ack)', () => {
    const { trace } = runWorkQueue({ ...base, crashes: [{ consumer: 1, atMs: 500 }] }, { seed: 1, untilMs: 60_000 });
    expect(ofKind(trace, 'consumer-crashed')).toHaveLength(1);
    const redelivered = ofKind(trace, 'delivered').filter((d) => d.redelivered);
    expect(redelivered.length).toBeGreaterThan(0);
    expect(redelivered.every((d) => d.channel !== 'c2.ch1')).toBe(true);
    expect(new Set(ofKind(trace, 'acked').map((e) => e.msgId)).size).toBe(10);
  });

  it('loses the messages a crashed worker held with auto ack', () => {
    const { trace } = runWorkQueue({ ...base, ackMode: 'auto', producerRatePerSec: 100, crashes: [{ consumer: 1, atMs: 400 }] },
      { seed: 1, untilMs: 60_000 });
    expect(ofKind(trace, 'acked')).toHaveLength(0);
    expect(ofKind(trace, 'requeued')).toHaveLength(0);
    expect(ofKind(trace, 'consumer-added').every((c) => c.noAck)).toBe(true);
  });

  it('stops at untilMs and reports it when work is still pending', () => {
    const run = runWorkQueue({ ...base, messageCount: 100 }, { seed: 1, untilMs: 2000 });
    expect(run.endedAtMs).toBe(2000);
    expect(run.trace.toArray().every((e) => e.t <= 2000)).toBe(true);
  });

  it.each([
    ['prefetch', { prefetch: 1e9 }, /prefetch must be an integer in \[0, 10000\]/],
    ['producerRatePerSec', { producerRatePerSec: -1 }, /producerRatePerSec must be a number in \[0.1, 100000\]/],
    ['processingMs', { processingMs: Number.NaN }, /processingMs must be an integer/],
    ['consumerCount', { consumerCount: 2.5 }, /consumerCount must be an integer in \[0, 100\]/],
    ['crash consumer', { crashes: [{ consumer: 3, atMs: 10 }] }, /crashes\[0\]\.consumer must be an integer in \[1, 2\]/],
    ['ackMode', { ackMode: 'sometimes' as 'auto' }, /ackMode must be 'manual' or 'auto'/],
  ])('rejects an absurd %s with a RangeError naming it', (_name, patch, message) => {
    expect(() => runWorkQueue({ ...base, ...patch }, { seed: 1, untilMs: 1000 })).toThrow(RangeError);
    expect(() => runWorkQueue({ ...base, ...patch }, { seed: 1, untilMs: 1000 })).toThrow(message);
  });

  it('exports defaults that lie inside the exported ranges', () => {
    for (const [key, range] of Object.entries(WORK_QUEUE_KNOB_RANGES)) {
      const value = (WORK_QUEUE_DEFAULTS as unknown as Record<string, unknown>)[key];
      if (typeof value === 'number') {
        expect(value).toBeGreaterThanOrEqual(range.slider.min);
        expect(value).toBeLessThanOrEqual(range.slider.max);
      }
    }
    expect(() => runWorkQueue(WORK_QUEUE_DEFAULTS, { seed: 1, untilMs: 10_000 })).not.toThrow();
  });

  it('pushes 100k messages through, each acked exactly once (speed is measured by npm run bench)', () => {
    const { trace } = runWorkQueue({ ...base, producerRatePerSec: 10_000, messageCount: 100_000, consumerCount: 8,
      prefetch: 10, processingMs: 1 }, { seed: 1, untilMs: 86_400_000 });
    const acked = ofKind(trace, 'acked');
    expect(acked).toHaveLength(100_000);
    expect(new Set(acked.map((e) => e.msgId)).size).toBe(100_000);
  });
});

describe('consumer lifecycle machine', () => {
  it('goes idle → processing → idle and ends crashed', () => {
    let s = initialConsumerSnapshot();
    expect(consumerState(s)).toBe('idle');
    s = nextConsumerSnapshot(s, { type: 'START' });
    expect(consumerState(s)).toBe('processing');
    s = nextConsumerSnapshot(s, { type: 'DONE' });
    expect(consumerState(s)).toBe('idle');
    s = nextConsumerSnapshot(s, { type: 'CRASH' });
    expect(consumerState(s)).toBe('crashed');
    expect(consumerState(nextConsumerSnapshot(s, { type: 'START' }))).toBe('crashed');
    expect(consumerMachine.id).toBe('consumer');
  });
});

describe('consumer lifecycle memo', () => {
  it('returns the very same snapshot for the same state and event (no xstate work per message)', () => {
    const idle = initialConsumerSnapshot();
    const p1 = nextConsumerSnapshot(idle, { type: 'START' });
    const i1 = nextConsumerSnapshot(p1, { type: 'DONE' });
    expect(nextConsumerSnapshot(i1, { type: 'START' })).toBe(p1);
  });
});

describe('work-queue scenario: a broker restart', () => {
  const base = {
    producerRatePerSec: 10, messageCount: 30, consumerCount: 1, prefetch: 1, processingMs: 400, ackMode: 'manual' as const,
    crashes: [], brokerRestarts: [2000], brokerDownMs: 3000,
  };
  const outcome = (knobs: Partial<typeof base> & { durable?: boolean; persistent?: boolean }) => {
    const run = runWorkQueue({ ...base, ...knobs }, { seed: 1, untilMs: 600_000, latencyMs: 10 });
    const trace = run.trace.toArray();
    const acked = new Set(trace.filter((e) => e.kind === 'acked').map((e) => e.kind === 'acked' && e.msgId));
    const published = new Set(trace.filter((e) => e.kind === 'published').map((e) => e.kind === 'published' && e.msgId));
    return { trace, acked, published };
  };

  it('keeps every persistent message of a durable queue: the clients reconnect and all 30 tasks are done', () => {
    const { trace, acked, published } = outcome({ durable: true, persistent: true });
    expect(trace.some((e) => e.kind === 'broker-stopped')).toBe(true);
    expect(published.size).toBe(30);
    expect(acked.size).toBe(30);
  });

  it('loses the transient messages waiting in a durable queue', () => {
    const { trace, acked } = outcome({ durable: true, persistent: false });
    const transient = trace.filter((e) => e.kind === 'dropped' && e.reason === 'transient');
    expect(transient.length).toBeGreaterThan(0);
    expect(acked.size).toBe(30 - transient.length);
  });

  it('loses a non-durable queue with everything in it; the clients declare a new one and go on', () => {
    const { trace, acked } = outcome({ durable: false, persistent: true });
    expect(trace.some((e) => e.kind === 'queue-deleted')).toBe(true);
    expect(acked.size).toBeLessThan(30);
    expect(acked.size).toBeGreaterThan(10);
  });
});
