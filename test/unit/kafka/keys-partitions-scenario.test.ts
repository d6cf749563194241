/**
 * Lesson 17's scenario as a generic `Scenario` (`keys-partitions-scenario.ts`): deterministic, knobs checked with
 * the shared wording, "Partitions added at" 0 meaning no growth, the growth given as partitions added, and lesson
 * 17's declaration resolving against it. The numbers are the ones the lesson's Try callouts promise, also those of
 * the section on leaders and replicas (a stopped broker, acks, an offline partition), with what the view shows.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKafkaView } from '../../../simulator/brokers/kafka/view.ts';
import type { Fault } from '../../../simulator/scenario.ts';
import { keysPartitionsScenario } from '../../../simulator/brokers/kafka/scenarios/keys-partitions-scenario.ts';
import { partitionsOfKeys, processedBy, recordsPerPartition } from '../../../simulator/brokers/kafka/queries.ts';
import declaration from '../../../content/simulations/17-kafka-partitions.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import type { KnobValues } from '../../../simulator/scenario.ts';

const resolved = resolveSimulation('17-kafka-partitions', declaration, keysPartitionsScenario);
const LESSON = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };

function run(knobs: KnobValues = {}, faults: readonly Fault[] = []) {
  return keysPartitionsScenario.run({ ...LESSON, ...knobs }, { seed: 1, untilMs: 40_000, latencyMs: 100, faults });
}

const stop = (broker: number, atMs: number): Fault => ({ id: 'stop-broker', target: String(broker), atMs });
const start = (broker: number, atMs: number): Fault => ({ id: 'start-broker', target: String(broker), atMs });

const sizes = (r: ReturnType<typeof run>) => Object.fromEntries([...recordsPerPartition(r.trace)].map(([k, l]) => [k, l.length]));

describe('lesson 17 scenario (kafka/keys-partitions)', () => {
  it('is deterministic', () => {
    expect(JSON.stringify([...run({ hotKeyShare: 0.3 }).trace])).toBe(JSON.stringify([...run({ hotKeyShare: 0.3 }).trace]));
  });

  it('with the lesson\'s defaults each customer stays in one partition, and the partitions are uneven (12, 18, 6)', () => {
    const r = run();
    expect(sizes(r)).toEqual({ 'orders/0': 12, 'orders/1': 18, 'orders/2': 6 });
    for (const parts of partitionsOfKeys(r.trace).values()) expect(parts.size).toBe(1);
    // Each customer's orders are handled in the order they were sent.
    const handled = [...processedBy(r.trace).values()].flat().sort((a, b) => a.atMs - b.atMs);
    for (const key of new Set(handled.map((h) => h.key))) {
      const msgs = handled.filter((h) => h.key === key).map((h) => Number(h.msgId.slice(1)));
      expect(msgs).toEqual([...msgs].sort((a, b) => a - b));
    }
  });

  it('without keys the orders are spread in turn: 12 per partition', () => {
    expect(sizes(run({ keyCount: 0 }))).toEqual({ 'orders/0': 12, 'orders/1': 12, 'orders/2': 12 });
  });

  it('a busy customer (half the orders) makes one partition hot: p1 gets 30 of 36', () => {
    expect(sizes(run({ hotKeyShare: 0.5 }))['orders/1']).toBe(30);
  });

  it('adding 3 partitions at 8 s moves customer-1 and customer-3 to new partitions', () => {
    const keys = partitionsOfKeys(run({ addPartitionsAtMs: 8_000 }).trace);
    expect([...keys.get('customer-1')!].sort()).toEqual(['orders/0', 'orders/3']);
    expect([...keys.get('customer-3')!].sort()).toEqual(['orders/1', 'orders/4']);
    expect([...keys.get('customer-2')!]).toEqual(['orders/2']);
  });

  it('"Partitions added at" 0 means the topic never grows', () => {
    expect(Object.keys(sizes(run({ addPartitionsAtMs: 0, addPartitions: 3 })))).toHaveLength(3);
  });

  it('refuses knobs out of range with the shared wording, and resolves against lesson 17\'s declaration', () => {
    expect(() => run({ partitions: 0 })).toThrow(/^Partitions must be a whole number from 1 to 64 partitions, got "0"$/);
    expect(() => run({ addPartitions: 0 })).toThrow(/^Partitions added must be a whole number from 1 to 32 partitions/);
    expect(resolved.knobs.map((k) => k.name)).toEqual(['partitions', 'keyCount', 'hotKeyShare', 'consumers', 'messageCount',
      'producerRatePerSec', 'processingMs', 'addPartitionsAtMs', 'addPartitions', 'brokers', 'replicationFactor', 'acks']);
    expect(() => run({ brokers: 4 })).toThrow(/^Brokers must be a whole number from 1 to 3 brokers, got "4"$/);
    expect(() => run({ acks: '2' })).toThrow(/^Producer acks must be one of "all", "1", "0", got "2"$/);
  });
});

/** The run's counters at the end, as the view shows them. */
function countersAtEnd(r: ReturnType<typeof run>) {
  return createKafkaView(r.trace).seek(40_000).counters;
}

/** Each partition's lane note at `atMs` ("leader 1 · ISR 1,0"). */
function notes(r: ReturnType<typeof run>, atMs: number): string[] {
  return createKafkaView(r.trace).seek(atMs).logs[0].partitions.map((p) => p.note ?? '');
}

describe('lesson 17: leaders, replicas and a stopped broker', () => {
  it('the defaults (1 broker, replication factor 1, acks all) leave the run byte-identical to the one before brokers were knobs', () => {
    const trace = JSON.stringify([...run().trace]);
    expect(createHash('sha256').update(trace).digest('hex').slice(0, 16)).toBe('5b6ac521e5b2f3cb');
    expect(JSON.stringify([...run({ brokers: 1, replicationFactor: 1, acks: 'all' }).trace])).toBe(trace);
    // One broker: the lanes carry no note (there is nothing to compare), the topic no badge.
    expect(notes(run(), 10_000)).toEqual(['', '', '']);
  });

  it('a replication factor above the brokers counts as one replica per broker', () => {
    expect(JSON.stringify([...run({ brokers: 2, replicationFactor: 3 }).trace]))
      .toBe(JSON.stringify([...run({ brokers: 2, replicationFactor: 2 }).trace]));
  });

  it('is deterministic with faults, and ignores a fault naming a broker the knobs do not have', () => {
    const faults = [stop(1, 8_000), start(1, 12_000)];
    const a = JSON.stringify([...run({ brokers: 3, replicationFactor: 2 }, faults).trace]);
    expect(JSON.stringify([...run({ brokers: 3, replicationFactor: 2 }, faults).trace])).toBe(a);
    expect(JSON.stringify([...run({}, [stop(2, 8_000)]).trace])).toBe(JSON.stringify([...run().trace]));
  });

  it('Try: 3 brokers, replication factor 2: the lanes name leader and ISR; stopping broker 1 at 8 s moves p0 to broker 0, the cut order is sent again, 36 handled', () => {
    const knobs = { brokers: 3, replicationFactor: 2 };
    expect(notes(run(knobs), 7_000)).toEqual(['leader 1 · ISR 1,0', 'leader 2 · ISR 2,1', 'leader 0 · ISR 0,2']);
    const r = run(knobs, [stop(1, 8_000)]);
    expect(notes(r, 8_000)).toEqual(['leader 0 · ISR 0', 'leader 2 · ISR 2', 'leader 0 · ISR 0,2']);
    const view = createKafkaView(r.trace);
    const topic = view.seek(8_000).nodes.get('topic:orders')!;
    expect(topic.badge).toBe('✕ broker 1 stopped');
    expect(topic.spoken).toContain('p0 led by broker 0, in-sync replicas 0');
    // At 8 s p0's newest order was on broker 1 only (hollow: above the high watermark).
    const before = createKafkaView(run(knobs).trace).seek(8_000).logs[0].partitions[0];
    expect(before.highWatermark).toBeLessThan(before.endOffset);
    const c = countersAtEnd(r);
    expect([c.truncated, c.consumed, c.givenUp]).toEqual([1, 36, 0]);
  });

  it('Try: the same with acks 1 loses that order: 1 cut from the log, 35 handled', () => {
    const c = countersAtEnd(run({ brokers: 3, replicationFactor: 2, acks: '1' }, [stop(1, 8_000)]));
    expect([c.truncated, c.consumed, c.givenUp]).toEqual([1, 35, 0]);
    // Any time while the order is hollow (7.9 s to 8.05 s) gives the same; later, nothing is cut.
    for (const at of [7_900, 8_050]) expect(countersAtEnd(run({ brokers: 3, replicationFactor: 2, acks: '1' }, [stop(1, at)])).consumed).toBe(35);
    expect(countersAtEnd(run({ brokers: 3, replicationFactor: 2, acks: '1' }, [stop(1, 8_200)])).consumed).toBe(36);
  });

  it('Try: replication factor 1: p0 goes offline, the producer retries and gives up 6 orders, 29 handled; started again at 12 s, all 36 are handled', () => {
    const knobs = { brokers: 3, replicationFactor: 1 };
    const r = run(knobs, [stop(1, 8_000)]);
    const view = createKafkaView(r.trace);
    const frame = view.seek(10_000);
    const p0 = frame.logs[0].partitions[0];
    expect([p0.note, p0.unavailable]).toEqual(['offline · replicas on 1', true]);
    expect(frame.nodes.get('topic:orders')!.badge).toBe('✕ broker 1 stopped · 1 offline');
    const producer = (f: typeof frame) => [...f.nodes].find(([id]) => id.startsWith('producer:'))![1];
    expect(producer(frame).status).toBe('24 sent · 3 retrying');
    expect(producer(frame).spoken).toBe('producer producer: 24 records sent · 3 retrying (their partition had no leader)');
    // The orders of p0 sent after 8 s never leave the producer: nobody leads p0.
    const end = view.seek(40_000);
    expect(producer(end).status).toBe('30 sent · 6 given up');
    expect(end.counters.produced).toBe(30);
    expect([end.counters.givenUp, end.counters.consumed, end.counters.truncated]).toEqual([6, 29, 0]);
    // Each order: a try when it is due, five retries after 0.3, 0.6, 1.2, 2.4 and 4.8 s, then given up (by 22 s).
    const entries = [...r.trace].filter((e) => e.kind === 'kafka-client-error');
    const first = entries[0].kind === 'kafka-client-error' ? entries[0].msgs![0] : -1;
    const times = entries.filter((e) => e.kind === 'kafka-client-error' && e.msgs?.includes(first)).map((e) => e.t);
    expect(times.slice(1).map((t, i) => t - times[i])).toEqual([300, 600, 1_200, 2_400, 4_800]);
    expect(Math.max(...entries.map((e) => e.t))).toBeLessThanOrEqual(22_000);
    const back = countersAtEnd(run(knobs, [stop(1, 8_000), start(1, 12_000)]));
    expect([back.givenUp, back.consumed]).toEqual([0, 36]);
    expect(notes(run(knobs, [stop(1, 8_000), start(1, 12_000)]), 12_000)[0]).toBe('leader 1 · ISR 1');
  });
});
