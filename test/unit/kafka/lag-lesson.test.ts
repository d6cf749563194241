/**
 * Lesson 19's Try callouts, checked on its declaration's runs (`content/simulations/19-kafka-lag.ts`): the lag's
 * peak and the time it is 0 again, idle members past the partition count, and the numbers each callout names.
 */
import { describe, expect, it } from 'vitest';
import { lagScenario } from '../../../simulator/brokers/kafka/scenarios/lag-scenario.ts';
import { lagAt } from '../../../simulator/brokers/kafka/queries.ts';
import { createKafkaView } from '../../../simulator/brokers/kafka/view.ts';
import declaration from '../../../content/simulations/19-kafka-lag.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import type { KnobValues } from '../../../simulator/scenario.ts';

const resolved = resolveSimulation('19-kafka-lag', declaration, lagScenario);
const LESSON = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };

function facts(knobs: KnobValues = {}) {
  const r = lagScenario.run({ ...LESSON, ...knobs }, { seed: 1, untilMs: 150_000, latencyMs: 100, faults: [] });
  let peak = 0;
  let peakAt = 0;
  for (let t = 0; t <= 150_000; t += 1_000) {
    const l = lagAt(r.trace, 'analytics', t).total;
    if (l > peak) [peak, peakAt] = [l, t];
  }
  let zeroAt = -1;
  for (let t = peakAt; t <= 150_000; t += 500) if (lagAt(r.trace, 'analytics', t).total === 0) { zeroAt = t; break; }
  const view = createKafkaView(r.trace);
  const spokenAt = (atMs: number) => [...view.seek(atMs).nodes].filter(([id]) => id.startsWith('consumer:')).map(([, n]) => n.spoken);
  return { r, peak, peakAt, zeroAt, lag: (t: number) => lagAt(r.trace, 'analytics', t).total, handled: view.seek(150_000).counters.consumed, spokenAt };
}

describe('lesson 19 Try callouts', () => {
  it('defaults: peak 563 at 60 s, 0 from 92 s, members 5 and 6 idle', () => {
    const f = facts();
    expect([f.peak, f.peakAt, f.zeroAt]).toEqual([563, 60_000, 92_000]);
    expect(f.lag(25_000)).toBeGreaterThan(f.lag(10_000));
    expect(f.lag(55_000)).toBeLessThan(f.peak);
    const idle = f.spokenAt(100_000).filter((s) => s.endsWith('idle: no partition'));
    expect(idle.map((s) => s.split(' in group')[0])).toEqual(['consumer member 5', 'consumer member 6']);
  });

  it('Most members 1: peak 958, 655 at 100 s, 885 handled at 150 s', () => {
    const f = facts({ maxMembers: 1 });
    expect(f.peak).toBe(958);
    expect(f.lag(100_000)).toBe(655);
    expect(f.handled).toBe(885);
  });

  it('Partitions 1: only member 1 owns a partition, peak 921, 840 handled', () => {
    const f = facts({ partitions: 1 });
    expect(f.peak).toBe(921);
    expect(f.handled).toBe(840);
    expect(f.spokenAt(100_000).filter((s) => s.includes('owns'))).toHaveLength(1);
  });

  it('four members from the start: never past 129, 0 at 66 s', () => {
    const f = facts({ initialMembers: 4, maxMembers: 4 });
    expect([f.peak, f.zeroAt]).toEqual([129, 66_000]);
  });
});
