/**
 * Lesson 17's scenario as a generic `Scenario` (`keys-partitions-scenario.ts`): deterministic, knobs checked with
 * the shared wording, "Partitions added at" 0 meaning no growth, the growth given as partitions added, and lesson
 * 17's declaration resolving against it. The numbers are the ones the lesson's Try callouts promise.
 */
import { describe, expect, it } from 'vitest';
import { keysPartitionsScenario } from '../../../simulator/brokers/kafka/scenarios/keys-partitions-scenario.ts';
import { partitionsOfKeys, processedBy, recordsPerPartition } from '../../../simulator/brokers/kafka/queries.ts';
import declaration from '../../../content/simulations/17-kafka-partitions.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import type { KnobValues } from '../../../simulator/scenario.ts';

const resolved = resolveSimulation('17-kafka-partitions', declaration, keysPartitionsScenario);
const LESSON = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };

function run(knobs: KnobValues = {}) {
  return keysPartitionsScenario.run({ ...LESSON, ...knobs }, { seed: 1, untilMs: 40_000, latencyMs: 100, faults: [] });
}

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
      'producerRatePerSec', 'processingMs', 'addPartitionsAtMs', 'addPartitions']);
  });
});
