/**
 * Lesson 18's scenario as a generic `Scenario` (`consumer-groups-scenario.ts`): deterministic (same seed, knobs and
 * faults ⇒ the same trace, byte for byte), knobs checked with the shared wording, the join / leave / crash faults
 * acting on group-1 at their time, and lesson 18's declaration resolving against it. The numbers are the ones the
 * lesson's Try callouts promise, read from the view the page shows (counters, the members' spoken status).
 */
import { describe, expect, it } from 'vitest';
import { consumerGroupsScenario } from '../../../simulator/brokers/kafka/scenarios/consumer-groups-scenario.ts';
import { commits, duplicates, rebalances } from '../../../simulator/brokers/kafka/queries.ts';
import { createKafkaView } from '../../../simulator/brokers/kafka/view.ts';
import declaration from '../../../content/simulations/18-kafka-consumer-groups.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import type { Fault, KnobValues } from '../../../simulator/scenario.ts';

const resolved = resolveSimulation('18-kafka-consumer-groups', declaration, consumerGroupsScenario);
const LESSON = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };

function run(knobs: KnobValues = {}, faults: Fault[] = []) {
  return consumerGroupsScenario.run({ ...LESSON, ...knobs }, { seed: 1, untilMs: 60_000, latencyMs: 100, faults });
}

/** The counters and each consumer's spoken status at `atMs`, as the page shows them. */
function frameAt(r: ReturnType<typeof run>, atMs: number) {
  const frame = createKafkaView(r.trace).seek(atMs);
  const spoken = Object.fromEntries([...frame.nodes].filter(([id]) => id.startsWith('consumer:'))
    .map(([, n]) => [n.spoken.slice('consumer '.length, n.spoken.indexOf(' in group')), n.spoken]));
  return { counters: frame.counters, spoken, frame };
}

const crash = (atMs: number, member = '2'): Fault => ({ id: 'crash-member', target: member, atMs });

describe('lesson 18 scenario (kafka/consumer-groups)', () => {
  it('is deterministic: the same seed, knobs and faults give the same trace', () => {
    const a = JSON.stringify([...run({ commit: 'after' }, [crash(9_000)]).trace]);
    expect(JSON.stringify([...run({ commit: 'after' }, [crash(9_000)]).trace])).toBe(a);
  });

  it('Try 1: with the defaults member 1 owns p0 and p2, member 2 p1 and p3; by 20 s all 40 handled once, one rebalance', () => {
    const { counters, spoken } = frameAt(run(), 20_000);
    expect(spoken['member 1']).toMatch(/owns p0, p2 · lag 0$/);
    expect(spoken['member 2']).toMatch(/owns p1, p3 · lag 0$/);
    expect(counters).toMatchObject({ produced: 40, consumed: 40, duplicates: 0, rebalances: 1 });
  });

  it('Try 2: five members for four partitions leave member 5 idle', () => {
    const { spoken } = frameAt(run({ members: 5 }), 15_000);
    for (let m = 1; m <= 4; m++) expect(spoken[`member ${m}`]).toMatch(new RegExp(`owns p${m - 1} · lag \\d+$`));
    expect(spoken['member 5']).toMatch(/idle: no partition$/);
  });

  it('Try 3: Join now at 9 s: by 11 s member 1 owns p0 and p3, member 2 p1, member 3 p2', () => {
    const { spoken } = frameAt(run({}, [{ id: 'add-member', target: 'group-1', atMs: 9_000 }]), 11_000);
    expect(spoken['member 1']).toMatch(/owns p0, p3 · lag \d+$/);
    expect(spoken['member 2']).toMatch(/owns p1 · lag \d+$/);
    expect(spoken['member 3']).toMatch(/owns p2 · lag \d+$/);
  });

  it('Try 4: member 2 leaving at 9 s: a rebalance within about a second, member 1 owns all four from 10.5 s', () => {
    const r = run({}, [{ id: 'leave-member', target: '2', atMs: 9_000 }]);
    const rb = rebalances(r.trace, 'group-1')[1];
    expect(rb.startedAtMs).toBeLessThan(9_500);
    expect(rb.stableAtMs).toBe(10_500);
    expect(frameAt(r, 10_500).spoken['member 1']).toMatch(/owns p0, p1, p2, p3 · lag \d+$/);
  });

  it('Try 5: member 2 crashing at 9 s is removed at 18.5 s (heartbeat at 8.5 s + 10 s), member 1 owns all four by 21.3 s, one task handled again', () => {
    const r = run({}, [crash(9_000)]);
    const rb = rebalances(r.trace, 'group-1')[1];
    expect(rb.startedAtMs).toBe(18_500);
    expect(rb.removed).toEqual(['member 2: session-timeout']);
    expect(rb.stableAtMs).toBe(21_300);
    // Until then p1 and p3 have no reader: their lag climbs.
    const lag = (atMs: number) => frameAt(r, atMs).spoken['member 2'].match(/lag (\d+)/)?.[1];
    expect(Number(lag(18_000))).toBeGreaterThan(Number(lag(10_000)));
    expect(frameAt(r, 21_300).spoken['member 1']).toMatch(/owns p0, p1, p2, p3/);
    expect(frameAt(r, 60_000).counters).toMatchObject({ consumed: 41, duplicates: 1 });
  });

  it('Try 6: a 30 s slow record with commits after each record: started at 11.6 s, member 1 evicted at 21.3 s, member 2 owns all from 23.9 s, the commit rejected at 41.7 s, offset 4 handled twice, 3 rebalances', () => {
    const r = run({ commit: 'after', slowHandlerMs: 30_000 });
    const rbs = rebalances(r.trace, 'group-1');
    expect(rbs).toHaveLength(3);
    expect(rbs[1].removed).toEqual(['member 1: session-timeout']);
    expect(rbs[1].startedAtMs).toBe(21_300);
    expect(rbs[1].stableAtMs).toBe(23_900);
    const started = [...r.trace].find((e) => e.kind === 'kafka-processing' && e.partition === 0 && e.offset === 4);
    expect(started!.t).toBe(11_600);
    expect(frameAt(r, 25_000).spoken['member 1']).toMatch(/evicted$/);
    expect(frameAt(r, 25_000).spoken['member 2']).toMatch(/owns p0, p1, p2, p3/);
    const rejected = commits(r.trace, 'group-1').filter((c) => c.error !== null);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].atMs).toBe(41_700);
    expect(duplicates(r.trace, 'group-1').map((d) => [d.partition, d.offset])).toEqual([[0, 4]]);
    expect(frameAt(r, 60_000).counters).toMatchObject({ rejectedCommits: 1, duplicates: 1, rebalances: 3 });
  });

  it('Try 7: commit before each record and a crash at 9 s while member 2 is busy: 39 of 40 handled, none twice; commit after: all 40', () => {
    const before = run({ commit: 'before' }, [crash(9_000)]);
    const view = createKafkaView(run({ commit: 'before' }).trace);
    const member2 = view.topology.nodes.find((n) => n.label === 'member 2')!.id;
    expect(view.seek(9_000).workers.find((w) => w.node === member2)?.processing).not.toBeNull();
    expect(frameAt(before, 60_000).counters).toMatchObject({ produced: 40, consumed: 39, duplicates: 0 });
    expect(frameAt(run({ commit: 'after' }, [crash(9_000)]), 60_000).counters).toMatchObject({ consumed: 40 });
  });

  it('Try 8: two groups each handle every task: Handled 80', () => {
    const { counters, spoken } = frameAt(run({ groups: 2 }), 30_000);
    expect(counters.consumed).toBe(80);
    expect(spoken['g2 member 1']).toMatch(/owns p0, p2 · lag 0$/);
  });

  it('refuses knobs out of range with the shared wording, and resolves against lesson 18\'s declaration', () => {
    expect(() => run({ partitions: 0 })).toThrow(/^Partitions must be a whole number from 1 to 64 partitions, got "0"$/);
    expect(() => run({ commit: 'never' })).toThrow(/^Commit must be one of "auto", "after", "before", got "never"$/);
    expect(() => run({ sessionTimeoutMs: 5_000 })).toThrow(/^Session timeout must be a whole number from 6000 to 120000 ms/);
    expect(resolved.knobs.map((k) => k.name)).toEqual(['partitions', 'members', 'commit', 'sessionTimeoutMs', 'slowHandlerMs',
      'groups', 'processingMs']);
    expect(consumerGroupsScenario.faults.map((f) => f.id)).toEqual(['add-member', 'leave-member', 'crash-member']);
    expect(consumerGroupsScenario.faults[2].targets({ members: 3 }).map((t) => t.label)).toEqual(['member 1', 'member 2', 'member 3']);
  });
});
