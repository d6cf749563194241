/**
 * A consumer group under load (the benchmark's workload, also usable by a lesson): one producer writes `records`
 * keyless records at `producerRatePerSec`, batching them for `lingerMs` (linger.ms) per partition, to topic
 * `load` (`partitions` partitions); one group of `members` members reads them, each record taking `processingMs`
 * (0: handled as soon as it is fetched, kafkajs's batch loop with no work in it). Kafka moves records in batches
 * — a produce request carries many, a fetch returns many — so the engine handles a few events per batch, not per
 * record, when records take no time. The run ends when only idle polls are left (every record handled).
 */
import { checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { MemberDriver } from './member-driver.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface ThroughputKnobs {
  records: number;
  partitions: number;
  members: number;
  producerRatePerSec: number;
  lingerMs: number;
  processingMs: number;
}

/** Knob values when the lesson loads. */
export const THROUGHPUT_DEFAULTS: Readonly<ThroughputKnobs> = Object.freeze({
  records: 10_000, partitions: 3, members: 3, producerRatePerSec: 100_000, lingerMs: 5, processingMs: 0,
});

/** Allowed ranges (validation and sliders), with units and labels. */
export const THROUGHPUT_KNOB_RANGES: Readonly<Record<keyof ThroughputKnobs, KnobRange>> = Object.freeze({
  records: range(0, 10_000_000, true, 'records', 'Records', 'How many records the producer writes.'),
  partitions: range(1, 64, true, 'partitions', 'Partitions', 'Partitions of the topic.'),
  members: range(0, 64, true, 'members', 'Members', 'Members of the group.'),
  producerRatePerSec: range(0.1, 10_000_000, false, 'msg/s', 'Producer rate', 'Records written per second.'),
  lingerMs: range(0, 60_000, true, 'ms', 'Linger', 'How long the producer waits to fill a batch (linger.ms).'),
  processingMs: range(0, 3_600_000, true, 'ms', 'Processing time', 'Time a member spends on one record.'),
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateThroughputKnobs(knobs: Partial<ThroughputKnobs>): ThroughputKnobs {
  return checkKnobs('throughput', knobs, { ...THROUGHPUT_DEFAULTS }, THROUGHPUT_KNOB_RANGES);
}

/** The run and the number of records the group handled (`delivered`). */
export interface ThroughputRun extends KafkaScenarioRun {
  delivered: number;
}

/** Runs the workload (see the module doc). */
export function runGroupThroughput(knobs: Partial<ThroughputKnobs>, options: ScenarioRunOptions): ThroughputRun {
  const k = validateThroughputKnobs(knobs);
  checkRunOptions(options);
  const { engine, cluster } = scenarioCluster(options, k.records / 50, { brokerCount: 1 });
  cluster.createTopic({ topic: 'load', numPartitions: k.partitions });
  const producer = new ProducerDriver(cluster, {
    topic: 'load', label: 'producer', acks: 1, lingerMs: k.lingerMs, batchMaxRecords: 16_384, maxInFlight: 5,
    idempotent: false, retries: 5, retryBackoffMs: 100, requestTimeoutMs: 30_000, key: () => null, keyless: true, valueStem: 'r',
  });
  const members: MemberDriver[] = [];
  for (let m = 1; m <= k.members; m++) {
    const member = new MemberDriver(cluster, {
      groupId: 'load-group', topics: ['load'], label: `member ${m}`, fromBeginning: true, assignor: 'roundrobin',
      sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000, maxWaitMs: 5_000,
      maxBytesPerPartition: 1_048_576, processingMs: k.processingMs, commit: 'auto', traceEachRecord: false,
    });
    members.push(member);
    member.start();
  }
  produceAtRate(cluster, producer, k.records, k.producerRatePerSec, 3_500);
  const run = finishRun(engine, options.untilMs, true);
  return { ...run, delivered: members.reduce((sum, m) => sum + m.stats.processed, 0) };
}
