/**
 * The lessons' Kafka scenarios (16–19): each knob validated with a message naming it, and each scenario shows what
 * its lesson teaches, checked with the queries the exercises use.
 */
import { describe, expect, test } from 'vitest';
import {
  commits, duplicates, lagAt, partitionsOfKeys, processedBy, rebalances, recordsPerPartition, assignmentOf,
} from '../../../simulator/brokers/kafka/queries.ts';
import { queueWorkloadOf, runLogVsQueue } from '../../../simulator/brokers/kafka/scenarios/log-vs-queue.ts';
import { runKeysPartitions } from '../../../simulator/brokers/kafka/scenarios/keys-partitions.ts';
import { runConsumerGroups, SLOW_HANDLER_PRESET } from '../../../simulator/brokers/kafka/scenarios/consumer-groups.ts';
import { runLag } from '../../../simulator/brokers/kafka/scenarios/lag.ts';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';

const opts = (untilMs: number) => ({ seed: 7, untilMs });

describe('knob validation', () => {
  test('out-of-range and unknown knobs are refused, naming the knob', () => {
    expect(() => runLogVsQueue({ retentionMs: 5 }, opts(1000))).toThrow(/^retentionMs must be an integer in \[1000, 604800000\] \(ms\), got 5$/);
    expect(() => runKeysPartitions({ partitions: 0 }, opts(1000))).toThrow(/^partitions must be an integer in \[1, 64\]/);
    expect(() => runKeysPartitions({ hotKeyShare: 1.5 }, opts(1000))).toThrow(/^hotKeyShare must be a number in \[0, 1\] \(share\), got 1.5$/);
    expect(() => runKeysPartitions({ addPartitionsAtMs: 5000, partitions: 4, newPartitionCount: 3 }, opts(1000)))
      .toThrow(/^newPartitionCount must be greater than partitions \(4\)/);
    expect(() => runConsumerGroups({ commit: 'sometimes' as never }, opts(1000))).toThrow(/^commit must be one of 'auto', 'auto-per-message', 'after', 'before', got sometimes$/);
    expect(() => runConsumerGroups({ sessionTimeoutMs: 1000 }, opts(1000))).toThrow(/^sessionTimeoutMs must be an integer in \[6000, 1800000\]/);
    expect(() => runConsumerGroups({ heartbeatIntervalMs: 10_000, sessionTimeoutMs: 10_000 }, opts(1000))).toThrow(/^heartbeatIntervalMs must be lower than sessionTimeoutMs/);
    expect(() => runConsumerGroups({ events: [{ atMs: 1, action: 'explode' as never, member: 1 }] }, opts(1000))).toThrow(/^events\[0\]\.action must be one of/);
    expect(() => runLag({ maxMembers: 1, initialMembers: 3 }, opts(1000))).toThrow(/^maxMembers must be ≥ initialMembers \(3\)/);
    expect(() => runLag({ bogus: 1 } as never, opts(1000))).toThrow(/^lag: unknown knob 'bogus'/);
    expect(() => runLag({}, { seed: 1, untilMs: -5 })).toThrow(/^untilMs must be an integer/);
    expect(() => runLag({ processingMs: Number.NaN }, opts(1000))).toThrow(/^processingMs must be an integer/);
  });
});

describe('lesson 16: a log vs a queue', () => {
  test('records stay after being read; retention deletes whole segments; a new group replays what is left', () => {
    const run = runLogVsQueue({}, opts(60_000));
    const handled = processedBy(run.trace);
    expect(handled.get('live reader')?.length).toBe(60);
    const replayed = handled.get('replay reader') ?? [];
    // Retention removed the oldest segments before the replay began: it starts at the log start offset.
    const deleted = run.trace.toArray().filter((e) => e.kind === 'kafka-records-deleted');
    expect(deleted.length).toBeGreaterThan(0);
    const logStart = deleted.filter((e) => e.t < 40_000).reduce((m, e) => (e.kind === 'kafka-records-deleted' ? Math.max(m, e.logStartOffset) : m), 0);
    expect(logStart).toBeGreaterThan(0);
    expect(replayed[0].offset).toBe(logStart);
    expect(replayed.map((h) => h.offset)).toEqual(Array.from({ length: replayed.length }, (_, i) => logStart + i));
    // Reading deleted nothing: at 20 s every record is still in the log although the live reader handled them.
    expect(recordsPerPartition(run.trace, 20_000).get('events/0')?.length).toBe(60);
  });

  test('the same workload on a RabbitMQ work queue: each message is gone once acknowledged', () => {
    const q = runWorkQueue(queueWorkloadOf({}), { seed: 7, untilMs: 60_000 });
    const acked = q.trace.toArray().filter((e) => e.kind === 'acked').length;
    expect(acked).toBe(60);
  });
});

describe('lesson 17: keys and partitions', () => {
  test('each key stays in one partition; its records are handled in order', () => {
    const run = runKeysPartitions({ keyCount: 5 }, opts(60_000));
    for (const partitions of partitionsOfKeys(run.trace).values()) expect(partitions.size).toBe(1);
    for (const list of processedBy(run.trace).values()) {
      const byKey = new Map<string, number[]>();
      for (const h of list) if (h.key !== null) byKey.set(h.key, [...(byKey.get(h.key) ?? []), Number(h.msgId.slice(1))]);
      for (const msgs of byKey.values()) expect(msgs).toEqual([...msgs].sort((a, b) => a - b));
    }
  });

  test('a hot key makes a hot partition', () => {
    const run = runKeysPartitions({ keyCount: 8, hotKeyShare: 0.6, messageCount: 200, producerRatePerSec: 50 }, opts(60_000));
    const sizes = [...recordsPerPartition(run.trace).values()].map((l) => l.length).sort((a, b) => b - a);
    expect(sizes[0]).toBeGreaterThan(sizes.reduce((a, b) => a + b, 0) / 2);
  });

  test('growing the partition count moves keys to other partitions', () => {
    const run = runKeysPartitions({ keyCount: 12, messageCount: 120, producerRatePerSec: 6, addPartitionsAtMs: 12_000, newPartitionCount: 6 }, opts(60_000));
    const moved = [...partitionsOfKeys(run.trace).values()].filter((s) => s.size > 1).length;
    expect(moved).toBeGreaterThan(0);
    // The members noticed and rebalanced: the last assignment covers all 6 partitions.
    const owned = [...assignmentOf(run.trace, 'shipping').values()].flat();
    expect(new Set(owned).size).toBe(6);
  });
});

describe('lesson 18: consumer groups and committed offsets', () => {
  test('more members than partitions: some stay idle; each partition has one owner', () => {
    const run = runConsumerGroups({ partitions: 2, members: 3, messageCount: 10 }, opts(30_000));
    const assignment = assignmentOf(run.trace, 'group-1');
    const owners = [...assignment.values()];
    expect(owners.filter((p) => p.length === 0).length).toBe(1);
    expect(owners.flat().sort()).toEqual(['tasks/0', 'tasks/1']);
  });

  test('several groups read the same topic independently (each handles every record)', () => {
    const run = runConsumerGroups({ groups: 2, members: 2, messageCount: 20 }, opts(40_000));
    const byGroup = new Map<string, Set<string>>();
    for (const list of processedBy(run.trace).values()) {
      for (const h of list) byGroup.set(h.group as string, (byGroup.get(h.group as string) ?? new Set()).add(h.msgId));
    }
    expect(byGroup.get('group-1')?.size).toBe(20);
    expect(byGroup.get('group-2')?.size).toBe(20);
  });

  test('a crash with commits after handling (at-least-once): records handled again, none lost', () => {
    const run = runConsumerGroups({ partitions: 1, members: 2, messageCount: 20, processingMs: 400, commit: 'after',
      events: [{ atMs: 6_500, action: 'crash', member: 1 }, { atMs: 6_500, action: 'crash', member: 2 }, { atMs: 8_000, action: 'join', member: 3 }] }, opts(60_000));
    const handled = new Set([...processedBy(run.trace).values()].flat().map((h) => h.msgId));
    expect(handled.size).toBe(20);
  });

  test('a crash with commits before handling (at-most-once): the record being handled is lost', () => {
    const run = runConsumerGroups({ partitions: 1, members: 1, messageCount: 20, processingMs: 400, commit: 'before',
      events: [{ atMs: 6_500, action: 'crash', member: 1 }, { atMs: 8_000, action: 'join', member: 2 }] }, opts(90_000));
    const handled = new Set([...processedBy(run.trace).values()].flat().map((h) => h.msgId));
    expect(handled.size).toBe(19);
    expect(duplicates(run.trace, 'group-1')).toEqual([]);
  });

  test('acceptance 2: 30 s session, a 600 s handler, commit per message: evicted at ~30 s, processed again, commit rejected', () => {
    const run = runConsumerGroups(SLOW_HANDLER_PRESET, opts(700_000));
    const trace = run.trace.toArray();
    const slowStart = trace.find((e) => e.kind === 'kafka-processing');
    const left = trace.find((e) => e.kind === 'kafka-member-left');
    expect(left?.kind === 'kafka-member-left' && left.reason).toBe('session-timeout');
    expect((left?.t ?? 0) - (slowStart?.t ?? 0)).toBeGreaterThan(29_000);
    expect((left?.t ?? 0) - (slowStart?.t ?? 0)).toBeLessThanOrEqual(30_000);
    const cs = commits(run.trace, 'group-1');
    expect(cs.map((c) => c.error)).toEqual([null, 'UNKNOWN_MEMBER_ID']);
    expect(cs[1].atMs).toBeGreaterThan(600_000);
    const dups = duplicates(run.trace, 'group-1');
    expect(dups).toHaveLength(1);
    expect(dups[0].handledBy).toEqual(['member 2', 'member 1']);
    const rs = rebalances(run.trace, 'group-1');
    expect(rs.some((r) => r.removed.includes('member 1: session-timeout'))).toBe(true);
  });
});

describe('lesson 19: lag', () => {
  test('lag grows while the group is too slow, and shrinks as members are added up to the partition count', () => {
    const run = runLag({}, opts(240_000));
    const at = (t: number) => lagAt(run.trace, 'analytics', t).total;
    expect(at(20_000)).toBeGreaterThan(at(8_000));
    const peak = Math.max(...[20, 30, 40, 50, 60].map((s) => at(s * 1000)));
    expect(at(200_000)).toBeLessThan(peak);
    // Members beyond the 4 partitions get nothing.
    const assignment = assignmentOf(run.trace, 'analytics');
    expect([...assignment.values()].filter((p) => p.length > 0)).toHaveLength(4);
    expect([...processedBy(run.trace).keys()].sort()).toEqual(['member 1', 'member 2', 'member 3', 'member 4']);
  });
});
