/**
 * Lesson 19 — consumer lag. A producer writes `messageCount` records at `producerRatePerSec` to topic `clicks`
 * (`partitions` partitions, keyless: spread evenly); group `analytics` starts with `initialMembers` members, each
 * handling one record per `processingMs`, and gains one member every `addMemberEveryMs` up to `maxMembers`.
 * While the group's capacity (members × 1000 / processingMs records/s) is below the producer's rate, lag —
 * log-end offset minus committed offset, per partition — grows; as members are added it shrinks, until members
 * reach the partition count: a member beyond it gets no partition and the lag stops improving.
 */
import { checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { MemberDriver } from './member-driver.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface LagKnobs {
  partitions: number;
  producerRatePerSec: number;
  messageCount: number;
  processingMs: number;
  initialMembers: number;
  maxMembers: number;
  /** A member joins every this many ms (0: never). */
  addMemberEveryMs: number;
}

/** Knob values when the lesson loads. */
export const LAG_DEFAULTS: Readonly<LagKnobs> = Object.freeze({
  partitions: 4, producerRatePerSec: 20, messageCount: 1_200, processingMs: 150, initialMembers: 1, maxMembers: 6,
  addMemberEveryMs: 15_000,
});

/** Allowed ranges (validation and sliders), with units and labels. */
export const LAG_KNOB_RANGES: Readonly<Record<keyof LagKnobs, KnobRange>> = Object.freeze({
  partitions: range(1, 64, true, 'partitions', 'Partitions', 'Partitions of the topic: the most members that can share the work.', { min: 1, max: 12, step: 1 }),
  producerRatePerSec: range(0.1, 100_000, false, 'msg/s', 'Producer rate', 'Records written per second.', { min: 1, max: 100, step: 1 }),
  messageCount: range(0, 1_000_000, true, 'messages', 'Records', 'How many records the producer writes.', { min: 100, max: 5_000, step: 100 }),
  processingMs: range(0, 3_600_000, true, 'ms', 'Processing time', 'Time a member spends on one record.', { min: 10, max: 1_000, step: 10 }),
  initialMembers: range(0, 64, true, 'members', 'Members at start', 'Members of the group at the start.', { min: 0, max: 12, step: 1 }),
  maxMembers: range(0, 64, true, 'members', 'Most members', 'Members are added up to this many.', { min: 1, max: 12, step: 1 }),
  addMemberEveryMs: range(0, 86_400_000, true, 'ms', 'Add a member every', 'A new member joins this often (0: never).', { min: 0, max: 60_000, step: 1_000 }),
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateLagKnobs(knobs: Partial<LagKnobs>): LagKnobs {
  const k = checkKnobs('lag', knobs, { ...LAG_DEFAULTS }, LAG_KNOB_RANGES);
  if (k.maxMembers < k.initialMembers) throw new RangeError(`maxMembers must be ≥ initialMembers (${k.initialMembers}), got ${k.maxMembers}`);
  return k;
}

/** Extra members the learner adds during a run (simulated ms of each join), on top of the knobs' schedule. */
export interface LagExtras {
  addMembersAtMs?: readonly number[];
}

/** Runs lesson 19's simulation (see the module doc). */
export function runLag(knobs: Partial<LagKnobs>, options: ScenarioRunOptions, extras: LagExtras = {}): KafkaScenarioRun {
  const k = validateLagKnobs(knobs);
  checkRunOptions(options);
  const { engine, cluster } = scenarioCluster(options, k.messageCount, { brokerCount: 1 });
  cluster.createTopic({ topic: 'clicks', numPartitions: k.partitions });
  const producer = new ProducerDriver(cluster, {
    topic: 'clicks', label: 'producer', acks: 1, lingerMs: 0, batchMaxRecords: 1, maxInFlight: 5, idempotent: false,
    retries: 5, retryBackoffMs: 100, requestTimeoutMs: 30_000, key: () => null, keyless: true, valueStem: 'click ',
  });
  let count = 0;
  const addMember = () => {
    count++;
    new MemberDriver(cluster, {
      groupId: 'analytics', topics: ['clicks'], label: `member ${count}`, fromBeginning: true, assignor: 'roundrobin',
      sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000, maxWaitMs: 5_000,
      maxBytesPerPartition: 1_048_576, processingMs: k.processingMs, commit: 'auto',
    }).start();
  };
  for (let i = 0; i < k.initialMembers; i++) addMember();
  if (k.addMemberEveryMs > 0) {
    for (let n = k.initialMembers + 1, at = k.addMemberEveryMs; n <= k.maxMembers; n++, at += k.addMemberEveryMs) {
      engine.schedule(at, addMember);
    }
  }
  for (const at of extras.addMembersAtMs ?? []) engine.schedule(at, addMember);
  produceAtRate(cluster, producer, k.messageCount, k.producerRatePerSec, 3_500);
  return finishRun(engine, options.untilMs);
}
