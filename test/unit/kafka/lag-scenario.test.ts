/**
 * Lesson 19's lag scenario as a generic `Scenario` (`lag-scenario.ts`): deterministic (same seed, knobs and faults ⇒
 * the same trace, byte for byte), knobs checked with the shared wording, "Most members" below "Members at start"
 * adding nobody, the `add-member` fault adding a member at its time, and the shape lesson 19 is about: lag grows
 * while the group is slower than the producer, shrinks as members join, and members beyond the partition count
 * get no partition.
 */
import { describe, expect, it } from 'vitest';
import { lagScenario } from '../../../simulator/brokers/kafka/scenarios/lag-scenario.ts';
import { assignmentOf, lagAt, rebalances } from '../../../simulator/brokers/kafka/queries.ts';
import type { Fault, KnobValues } from '../../../simulator/scenario.ts';

function run(knobs: KnobValues = {}, faults: Fault[] = [], untilMs = 150_000) {
  return lagScenario.run(knobs, { seed: 1, untilMs, latencyMs: 100, faults });
}

const lag = (r: ReturnType<typeof run>, atMs: number) => lagAt(r.trace, 'analytics', atMs).total;

describe('lesson 19 scenario (kafka/lag)', () => {
  it('is deterministic', () => {
    const a = JSON.stringify([...run({ messageCount: 300 }, [{ id: 'add-member', target: 'analytics', atMs: 5_000 }]).trace]);
    expect(JSON.stringify([...run({ messageCount: 300 }, [{ id: 'add-member', target: 'analytics', atMs: 5_000 }]).trace])).toBe(a);
  });

  it('with the defaults lag climbs while the group is too slow, then falls to 0 as members join; members 5 and 6 own nothing', () => {
    const r = run();
    expect(lag(r, 10_000)).toBeGreaterThan(50);
    expect(lag(r, 25_000)).toBeGreaterThan(lag(r, 10_000));
    expect(lag(r, 100_000)).toBe(0);
    expect(rebalances(r.trace, 'analytics')).toHaveLength(6);
    const owners = assignmentOf(r.trace, 'analytics');
    expect([...owners.values()].filter((p) => p.length === 0)).toHaveLength(2);
  });

  it('one member only: the lag is still there at the end of the run', () => {
    expect(lag(run({ maxMembers: 1 }), 150_000)).toBeGreaterThan(100);
  });

  it('"Most members" below "Members at start" adds nobody; Add now adds one member', () => {
    expect(rebalances(run({ initialMembers: 2, maxMembers: 1, messageCount: 100 }, [], 30_000).trace, 'analytics')).toHaveLength(1);
    const r = run({ maxMembers: 1, messageCount: 100 }, [{ id: 'add-member', target: 'analytics', atMs: 8_000 }], 30_000);
    expect(assignmentOf(r.trace, 'analytics').size).toBe(2);
  });

  it('refuses knobs out of range with the shared wording', () => {
    expect(() => run({ partitions: 0 })).toThrow(/^Partitions must be a whole number from 1 to 64 partitions, got "0"$/);
    expect(lagScenario.faults.map((f) => f.id)).toEqual(['add-member']);
  });
});
