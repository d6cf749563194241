/**
 * Lesson 18 — consumer groups and committed offsets. `groups` groups (`group-1`, …) of `members` members each read
 * topic `tasks` (`partitions` partitions) that a producer fills with `messageCount` records at
 * `producerRatePerSec`; each record takes `processingMs`. Every group reads everything (pub/sub the Kafka way);
 * inside a group each partition has exactly one owner, and members beyond the partition count stay idle.
 * Timeline `events` act on group-1: a member `join`s (a new member starts), `leave`s (clean disconnect,
 * LeaveGroup) or `crash`es (no LeaveGroup: the coordinator notices after `sessionTimeoutMs`) — each starts a
 * rebalance. `commit` decides delivery: 'auto' (kafkajs's default, after each batch), 'after' (commit each record
 * after handling it: at-least-once — a crash before the commit means the record is handled again), 'before'
 * (commit before handling: at-most-once — a crash after it loses the record). A slow record (`slowHandlerMs` > 0:
 * the record at partition `slowPartition`, offset `slowOffset` hangs that long the first time it is handled)
 * shows kafkajs's heartbeats-only-between-messages rule: longer than the session timeout, its member is evicted,
 * another member handles the record again, and the slow member's commit is rejected.
 *
 * `SLOW_HANDLER_PRESET` is the acceptance run: 30 s session, a 600 s handler, a commit per message.
 */
import { checkEnum, checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { MemberDriver, type CommitMode } from './member-driver.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** A timeline event on group-1: member `member` (1-based; `join` adds member members + n) acts at `atMs`. */
export interface GroupEventKnob {
  atMs: number;
  action: 'join' | 'leave' | 'crash';
  member: number;
}

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface ConsumerGroupsKnobs {
  partitions: number;
  members: number;
  groups: number;
  messageCount: number;
  producerRatePerSec: number;
  processingMs: number;
  commit: CommitMode;
  assignor: 'roundrobin' | 'range';
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  slowHandlerMs: number;
  slowPartition: number;
  slowOffset: number;
  events: GroupEventKnob[];
}

/** Knob values when the lesson loads. */
export const CONSUMER_GROUPS_DEFAULTS: Readonly<ConsumerGroupsKnobs> = Object.freeze({
  partitions: 4, members: 2, groups: 1, messageCount: 40, producerRatePerSec: 4, processingMs: 300, commit: 'auto',
  assignor: 'roundrobin', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000, slowHandlerMs: 0, slowPartition: 0,
  slowOffset: 0, events: [] as GroupEventKnob[],
});

/** Most timeline events. */
export const CONSUMER_GROUPS_EVENTS_MAX = 20;

/** Allowed ranges (validation and sliders), with units and labels. */
export const CONSUMER_GROUPS_KNOB_RANGES: Readonly<Partial<Record<keyof ConsumerGroupsKnobs, KnobRange>>> = Object.freeze({
  partitions: range(1, 64, true, 'partitions', 'Partitions', 'Partitions of the topic.', { min: 1, max: 8, step: 1 }),
  members: range(0, 32, true, 'members', 'Members per group', 'Consumers in each group at the start.', { min: 0, max: 8, step: 1 }),
  groups: range(1, 8, true, 'groups', 'Groups', 'Consumer groups reading the same topic independently.', { min: 1, max: 3, step: 1 }),
  messageCount: range(0, 1_000_000, true, 'messages', 'Records', 'How many records the producer sends.', { min: 1, max: 200, step: 1 }),
  producerRatePerSec: range(0.1, 10_000, false, 'msg/s', 'Producer rate', 'Records sent per second.', { min: 1, max: 20, step: 1 }),
  processingMs: range(0, 3_600_000, true, 'ms', 'Processing time', 'Time a member spends on one record.', { min: 0, max: 2000, step: 50 }),
  sessionTimeoutMs: range(6_000, 1_800_000, true, 'ms', 'Session timeout', 'A member not heard from this long is removed (Kafka allows 6 s – 30 min).', { min: 6_000, max: 60_000, step: 1_000 }),
  heartbeatIntervalMs: range(1, 1_799_999, true, 'ms', 'Heartbeat interval', 'How often a member heartbeats (between records).', { min: 500, max: 10_000, step: 500 }),
  slowHandlerMs: range(0, 3_600_000, true, 'ms', 'Slow record', 'How long one record hangs the first time it is handled (0: none).', { min: 0, max: 600_000, step: 10_000 }),
  slowPartition: range(0, 63, true, 'partition', 'Slow record partition', 'Partition of the slow record.', { min: 0, max: 7, step: 1 }),
  slowOffset: range(0, 1_000_000, true, 'offset', 'Slow record offset', 'Offset of the slow record.', { min: 0, max: 50, step: 1 }),
});

/** The acceptance run: one record, two members, 30 s session, a 600 s handler, a commit per message. */
export const SLOW_HANDLER_PRESET: Readonly<Partial<ConsumerGroupsKnobs>> = Object.freeze({
  partitions: 2, members: 2, groups: 1, messageCount: 1, producerRatePerSec: 1, processingMs: 100, commit: 'after',
  sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3_000, slowHandlerMs: 600_000, slowPartition: 0, slowOffset: 0,
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateConsumerGroupsKnobs(knobs: Partial<ConsumerGroupsKnobs>): ConsumerGroupsKnobs {
  const k = checkKnobs<ConsumerGroupsKnobs>('consumer-groups', knobs, { ...CONSUMER_GROUPS_DEFAULTS, events: [] }, CONSUMER_GROUPS_KNOB_RANGES, {
    commit: (n, v) => checkEnum(n, v, ['auto', 'auto-per-message', 'after', 'before'] as const),
    assignor: (n, v) => checkEnum(n, v, ['roundrobin', 'range'] as const),
  });
  if (k.heartbeatIntervalMs >= k.sessionTimeoutMs) {
    throw new RangeError(`heartbeatIntervalMs must be lower than sessionTimeoutMs (${k.sessionTimeoutMs} ms), got ${k.heartbeatIntervalMs}`);
  }
  if (!Array.isArray(k.events) || k.events.length > CONSUMER_GROUPS_EVENTS_MAX) {
    throw new RangeError(`events must be an array of at most ${CONSUMER_GROUPS_EVENTS_MAX} entries`);
  }
  k.events.forEach((e, i) => {
    checkEnum(`events[${i}].action`, e?.action, ['join', 'leave', 'crash'] as const);
    checkKnobs(`events[${i}]`, { atMs: e.atMs, member: e.member }, { atMs: 0, member: 1 }, {
      atMs: range(0, 86_400_000, true, 'ms', 'At', 'When it happens.'),
      member: range(1, 64, true, 'member', 'Member', 'Which member of group-1 (1-based).'),
    });
  });
  return k;
}

/** Runs lesson 18's simulation (see the module doc). */
export function runConsumerGroups(knobs: Partial<ConsumerGroupsKnobs>, options: ScenarioRunOptions): KafkaScenarioRun {
  const k = validateConsumerGroupsKnobs(knobs);
  checkRunOptions(options);
  const { engine, cluster } = scenarioCluster(options, k.messageCount * k.groups, { brokerCount: 1 });
  cluster.createTopic({ topic: 'tasks', numPartitions: k.partitions });
  const producer = new ProducerDriver(cluster, {
    topic: 'tasks', label: 'producer', acks: -1, lingerMs: 0, batchMaxRecords: 1, maxInFlight: 1, idempotent: false,
    retries: 5, retryBackoffMs: 100, requestTimeoutMs: 30_000, key: () => null, valueStem: 'task ',
    // Records spread over the partitions in turn from partition 0 (kafkajs starts its round robin at a random one).
    partition: (i) => i % k.partitions,
  });
  const slowAttempts = new Set<string>();
  const newMember = (g: number, n: number) => new MemberDriver(cluster, {
    groupId: `group-${g}`, topics: ['tasks'], label: k.groups === 1 ? `member ${n}` : `g${g} member ${n}`, fromBeginning: true,
    assignor: k.assignor, sessionTimeoutMs: k.sessionTimeoutMs, rebalanceTimeoutMs: 60_000,
    heartbeatIntervalMs: k.heartbeatIntervalMs, maxWaitMs: 5_000, maxBytesPerPartition: 1_048_576,
    processingMs: k.processingMs, commit: k.commit,
    ...(k.slowHandlerMs > 0 && g === 1 ? {
      slow: { topic: 'tasks', partition: k.slowPartition, offset: k.slowOffset, durationMs: k.slowHandlerMs, firstAttemptOnly: true },
      // The record hangs the first time anyone in the group handles it (a stuck call), not once per member.
      slowAttempts,
    } : {}),
  });
  const group1: MemberDriver[] = [];
  for (let g = 1; g <= k.groups; g++) {
    for (let n = 1; n <= k.members; n++) {
      const m = newMember(g, n);
      if (g === 1) group1.push(m);
      m.start();
    }
  }
  for (const e of [...k.events].sort((a, b) => a.atMs - b.atMs)) {
    engine.schedule(e.atMs, () => {
      if (e.action === 'join') {
        const m = newMember(1, group1.length + 1);
        group1.push(m);
        m.start();
        return;
      }
      const m = group1[e.member - 1];
      if (m === undefined) return;
      if (e.action === 'leave') m.leave();
      else m.crash();
    });
  }
  produceAtRate(cluster, producer, k.messageCount, k.producerRatePerSec, 3_500);
  return finishRun(engine, options.untilMs);
}
