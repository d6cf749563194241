/**
 * Lesson 16 — a topic is an append-only log. One producer appends `messageCount` events at `producerRatePerSec`
 * to topic `events`; group `live` reads them as they come (each takes `processingMs`); records are never removed
 * when read — only retention removes them, whole segments at a time, once their newest record is older than
 * `retentionMs` (segments roll every `segmentMs`; the broker checks every second in this lesson, Kafka's default
 * is 5 minutes). At `replayAtMs` a second group, `replay`, subscribes from the beginning and reads every record
 * still retained — a replay a queue cannot do, because a queue deletes a message once it is acknowledged.
 *
 * `queueWorkloadOf(knobs)` gives the same workload for the RabbitMQ work-queue scenario
 * (`simulator/brokers/amqp/scenarios/work-queue.ts`), to run side by side.
 */
import { checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { MemberDriver } from './member-driver.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface LogVsQueueKnobs {
  producerRatePerSec: number;
  messageCount: number;
  partitions: number;
  processingMs: number;
  retentionMs: number;
  segmentMs: number;
  /** When the replaying group starts (ms); -1: no replay. */
  replayAtMs: number;
}

/** Knob values when the lesson loads. */
export const LOG_VS_QUEUE_DEFAULTS: Readonly<LogVsQueueKnobs> = Object.freeze({
  producerRatePerSec: 4, messageCount: 60, partitions: 1, processingMs: 150, retentionMs: 20_000, segmentMs: 5_000,
  replayAtMs: 40_000,
});

/** Allowed ranges (validation and sliders), with units and labels. */
export const LOG_VS_QUEUE_KNOB_RANGES: Readonly<Record<keyof LogVsQueueKnobs, KnobRange>> = Object.freeze({
  producerRatePerSec: range(0.1, 10_000, false, 'msg/s', 'Producer rate', 'Events the producer appends per second.', { min: 1, max: 20, step: 1 }),
  messageCount: range(0, 1_000_000, true, 'messages', 'Events', 'How many events the producer appends.', { min: 1, max: 200, step: 1 }),
  partitions: range(1, 64, true, 'partitions', 'Partitions', 'Partitions of the topic.', { min: 1, max: 6, step: 1 }),
  processingMs: range(0, 3_600_000, true, 'ms', 'Processing time', 'Time the live reader spends on one event.', { min: 0, max: 2000, step: 50 }),
  retentionMs: range(1_000, 604_800_000, true, 'ms', 'Retention', 'Records older than this are deleted (segment by segment).', { min: 5_000, max: 120_000, step: 5_000 }),
  segmentMs: range(100, 604_800_000, true, 'ms', 'Segment length', 'A new segment starts after this long; only whole segments are deleted.', { min: 1_000, max: 30_000, step: 1_000 }),
  replayAtMs: range(-1, 86_400_000, true, 'ms', 'Replay at', 'When a second group starts reading from the beginning (-1: never).', { min: -1, max: 120_000, step: 1_000 }),
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateLogVsQueueKnobs(knobs: Partial<LogVsQueueKnobs>): LogVsQueueKnobs {
  return checkKnobs('log-vs-queue', knobs, { ...LOG_VS_QUEUE_DEFAULTS }, LOG_VS_QUEUE_KNOB_RANGES);
}

/** What a run adds to the knobs: more groups that replay the log, started at given times (the lesson's fault). */
export interface LogVsQueueExtras {
  /**
   * Simulated ms at which one more group each subscribes from the beginning: groups `replay-2`, `replay-3`, … (in
   * time order; members "replay reader 2", …), joined as the knob's `replay` group is. Times past the run's end
   * add nothing.
   */
  replaysAtMs?: readonly number[];
}

/**
 * Runs lesson 16's simulation (see the module doc); `extras.replaysAtMs` adds replaying groups.
 * @throws RangeError for a knob or option out of range (naming it) or a replay time that is not a whole number ≥ 0.
 */
export function runLogVsQueue(knobs: Partial<LogVsQueueKnobs>, options: ScenarioRunOptions, extras: LogVsQueueExtras = {}): KafkaScenarioRun {
  const k = validateLogVsQueueKnobs(knobs);
  checkRunOptions(options);
  const { engine, cluster } = scenarioCluster(options, k.messageCount, { brokerCount: 1, retentionCheckIntervalMs: 1_000 });
  cluster.createTopic({
    topic: 'events', numPartitions: k.partitions,
    configEntries: [{ name: 'retention.ms', value: String(k.retentionMs) }, { name: 'segment.ms', value: String(k.segmentMs) }],
  });
  const producer = new ProducerDriver(cluster, {
    topic: 'events', label: 'producer', acks: -1, lingerMs: 0, batchMaxRecords: 1, maxInFlight: 5, idempotent: false,
    retries: 5, retryBackoffMs: 100, requestTimeoutMs: 30_000, key: () => null, keyless: true, valueStem: 'event ',
  });
  const member = (groupId: string, label: string, fromBeginning: boolean) => new MemberDriver(cluster, {
    groupId, topics: ['events'], label, fromBeginning, assignor: 'roundrobin', sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000, maxWaitMs: 5_000, maxBytesPerPartition: 1_048_576,
    processingMs: k.processingMs, commit: 'auto',
  });
  member('live', 'live reader', false).start();
  // The producer starts once the live reader has joined and asked for the log-end offset (its group's first
  // rebalance waits 3 s, then about eight one-way trips: join, sync, offset fetch, list offsets), so the live reader,
  // which starts at the log end, sees every record.
  produceAtRate(cluster, producer, k.messageCount, k.producerRatePerSec, Math.max(3_500, 3_000 + 10 * (options.latencyMs ?? 10)));
  // Each replaying client connects when its group starts, so its reader appears on the stage at that moment.
  if (k.replayAtMs >= 0) engine.schedule(k.replayAtMs, () => member('replay', 'replay reader', true).start());
  const extraTimes = [...(extras.replaysAtMs ?? [])];
  for (const atMs of extraTimes) {
    if (!Number.isInteger(atMs) || atMs < 0) throw new RangeError(`replaysAtMs must hold whole numbers ≥ 0 (ms), got ${String(atMs)}`);
  }
  extraTimes.sort((a, b) => a - b).forEach((atMs, i) => {
    if (atMs <= options.untilMs) engine.schedule(atMs, () => member(`replay-${i + 2}`, `replay reader ${i + 2}`, true).start());
  });
  return finishRun(engine, options.untilMs);
}

/** The same workload for the RabbitMQ work queue (one worker, manual acks, prefetch 1): a side-by-side run. */
export function queueWorkloadOf(knobs: Partial<LogVsQueueKnobs>): {
  producerRatePerSec: number; messageCount: number; consumerCount: number; prefetch: number; processingMs: number;
  ackMode: 'manual'; crashes: [];
} {
  const k = validateLogVsQueueKnobs(knobs);
  return {
    producerRatePerSec: k.producerRatePerSec, messageCount: k.messageCount, consumerCount: 1, prefetch: 1,
    processingMs: k.processingMs, ackMode: 'manual', crashes: [],
  };
}
