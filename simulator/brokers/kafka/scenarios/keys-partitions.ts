/**
 * Lesson 17 — partitions and keys. A producer sends `messageCount` records to topic `orders` (`partitions`
 * partitions) with keys `customer-0` … `customer-<keyCount - 1>` (keyCount 0: no keys, round robin), a share
 * `hotKeyShare` of them all with the hot key `customer-0`; kafkajs's DefaultPartitioner puts a key on
 * `murmur2(key) % partitions`, so each key's records stay in order in one partition, and a hot key makes a hot
 * partition. A group of `consumers` members reads them (`processingMs` each). At `addPartitionsAtMs` an admin grows
 * the topic to `newPartitionCount` partitions: from then on most keys land on other partitions than before (the
 * modulus changed), so a key's old and new records sit in different partitions and are no longer read in order.
 * The members notice the new partitions at their next metadata refresh (every 5 s here; kafkajs's
 * metadataMaxAge is 5 minutes) and rebalance.
 *
 * Replication (the partition-leader part of the lesson): the cluster has `brokers` brokers (ids 0 … brokers-1)
 * and the topic `replicationFactor` replicas of each partition, spread over the brokers round robin from a broker
 * the run's seed picks, as Kafka's CreateTopics does (`KafkaCluster.assignReplicas`). The first live replica is
 * the partition's leader, which alone takes the producer's writes and serves the consumers' fetches. The producer
 * waits for `acks` (kafkajs's `acks`: -1 = all in-sync replicas, 1 = the leader, 0 = no answer). `brokerEvents`
 * stop and start brokers: a stopped broker leaves every ISR, and a partition it led gets the first live in-sync
 * replica as its new leader; with no such replica (replication factor 1) the partition is offline until the
 * broker starts again, since an out-of-sync replica may not become leader (`model/replication.ts`; Kafka docs,
 * Design: Replication — unclean leader election off, `unclean.leader.election.enable=false`).
 * `min.insync.replicas` stays at its default, 1, so an acks=all write to a leader left alone in its ISR succeeds.
 * The producer retries a record whose partition has no leader, or whose leader failed (kafkajs's retrier: 5
 * retries, after 300 ms, then doubling — see `producer-driver.ts`), then gives it up.
 */
import { Prng } from '../../../core/prng.ts';
import { checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { MemberDriver } from './member-driver.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface KeysPartitionsKnobs {
  partitions: number;
  keyCount: number;
  hotKeyShare: number;
  messageCount: number;
  producerRatePerSec: number;
  consumers: number;
  processingMs: number;
  /** When the partition count grows (ms); -1: never. */
  addPartitionsAtMs: number;
  newPartitionCount: number;
  /** Brokers of the cluster (ids 0 … brokers-1). */
  brokers: number;
  /** Replicas of each partition (at most `brokers`). */
  replicationFactor: number;
  /** The producer's acks: -1 (all in-sync replicas), 1 (the leader) or 0 (no answer). */
  acks: number;
}

/** A broker stopping or starting at a simulated time. */
export interface BrokerEvent {
  atMs: number;
  action: 'stop' | 'start';
  broker: number;
}

/** Knob values when the lesson loads. */
export const KEYS_PARTITIONS_DEFAULTS: Readonly<KeysPartitionsKnobs> = Object.freeze({
  partitions: 3, keyCount: 6, hotKeyShare: 0, messageCount: 60, producerRatePerSec: 6, consumers: 3, processingMs: 100,
  addPartitionsAtMs: -1, newPartitionCount: 6, brokers: 1, replicationFactor: 1, acks: -1,
});

/** Allowed ranges (validation and sliders), with units and labels. */
export const KEYS_PARTITIONS_KNOB_RANGES: Readonly<Record<keyof KeysPartitionsKnobs, KnobRange>> = Object.freeze({
  partitions: range(1, 64, true, 'partitions', 'Partitions', 'Partitions of the topic.', { min: 1, max: 12, step: 1 }),
  keyCount: range(0, 100_000, true, 'keys', 'Distinct keys', 'How many different keys the records carry (0: no keys).', { min: 0, max: 20, step: 1 }),
  hotKeyShare: range(0, 1, false, 'share', 'Hot key share', 'Fraction of all records that carry the same hot key.', { min: 0, max: 1, step: 0.05 }),
  messageCount: range(0, 1_000_000, true, 'messages', 'Records', 'How many records the producer sends.', { min: 1, max: 300, step: 1 }),
  producerRatePerSec: range(0.1, 10_000, false, 'msg/s', 'Producer rate', 'Records sent per second.', { min: 1, max: 50, step: 1 }),
  consumers: range(0, 64, true, 'consumers', 'Consumers', 'Members of the reading group.', { min: 0, max: 12, step: 1 }),
  processingMs: range(0, 3_600_000, true, 'ms', 'Processing time', 'Time a consumer spends on one record.', { min: 0, max: 2000, step: 50 }),
  addPartitionsAtMs: range(-1, 86_400_000, true, 'ms', 'Add partitions at', 'When the topic grows (-1: never).', { min: -1, max: 60_000, step: 1_000 }),
  newPartitionCount: range(1, 64, true, 'partitions', 'New partition count', 'Partitions after the growth (more than before).', { min: 2, max: 12, step: 1 }),
  brokers: range(1, 3, true, 'brokers', 'Brokers', 'Brokers of the cluster.', { min: 1, max: 3, step: 1 }),
  replicationFactor: range(1, 3, true, 'replicas', 'Replication factor', 'Copies of each partition, on different brokers (at most the number of brokers).', { min: 1, max: 3, step: 1 }),
  acks: range(-1, 1, true, '', 'Acks', 'What the producer waits for: -1 all in-sync replicas, 1 the leader, 0 nothing.', { min: -1, max: 1, step: 1 }),
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateKeysPartitionsKnobs(knobs: Partial<KeysPartitionsKnobs>): KeysPartitionsKnobs {
  const k = checkKnobs('keys-partitions', knobs, { ...KEYS_PARTITIONS_DEFAULTS }, KEYS_PARTITIONS_KNOB_RANGES);
  if (k.addPartitionsAtMs >= 0 && k.newPartitionCount <= k.partitions) {
    throw new RangeError(`newPartitionCount must be greater than partitions (${k.partitions}) when addPartitionsAtMs is set, got ${k.newPartitionCount}`);
  }
  if (k.replicationFactor > k.brokers) {
    throw new RangeError(`replicationFactor must be at most brokers (${k.brokers}), got ${k.replicationFactor}`);
  }
  return k;
}

/** The key of record i (0-based) under the knobs, drawing the hot-key choice from `rng`. */
function keyFor(k: KeysPartitionsKnobs, rng: Prng, i: number): string | null {
  if (k.keyCount === 0) return null;
  if (k.hotKeyShare > 0 && rng.next() < k.hotKeyShare) return 'customer-0';
  return `customer-${i % k.keyCount}`;
}

/** Runs lesson 17's simulation (see the module doc). */
export function runKeysPartitions(knobs: Partial<KeysPartitionsKnobs>, options: ScenarioRunOptions,
  brokerEvents: readonly BrokerEvent[] = []): KafkaScenarioRun {
  const k = validateKeysPartitionsKnobs(knobs);
  checkRunOptions(options);
  for (const ev of brokerEvents) {
    if (!Number.isInteger(ev.broker) || ev.broker < 0 || ev.broker >= k.brokers) {
      throw new RangeError(`a broker event must name a broker from 0 to ${k.brokers - 1}, got ${String(ev.broker)}`);
    }
  }
  const { engine, cluster } = scenarioCluster(options, k.messageCount, { brokerCount: k.brokers });
  cluster.createTopic({ topic: 'orders', numPartitions: k.partitions, replicationFactor: k.replicationFactor });
  const rng = new Prng(Math.trunc(options.seed) ^ 0x5eed);
  const keys = Array.from({ length: k.messageCount }, (_, i) => keyFor(k, rng, i));
  const producer = new ProducerDriver(cluster, {
    topic: 'orders', label: 'producer', acks: k.acks as -1 | 0 | 1, lingerMs: 0, batchMaxRecords: 1, maxInFlight: 1, idempotent: false,
    retries: 5, retryBackoffMs: 300, retryBackoffFactor: 2, requestTimeoutMs: 30_000, key: (i) => keys[i], valueStem: 'order ',
  });
  for (let m = 1; m <= k.consumers; m++) {
    new MemberDriver(cluster, {
      groupId: 'shipping', topics: ['orders'], label: `consumer ${m}`, fromBeginning: true, assignor: 'roundrobin',
      sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000, maxWaitMs: 5_000,
      maxBytesPerPartition: 1_048_576, processingMs: k.processingMs, commit: 'auto', metadataMaxAgeMs: 5_000,
    }).start();
  }
  produceAtRate(cluster, producer, k.messageCount, k.producerRatePerSec, 3_500);
  if (k.addPartitionsAtMs >= 0) engine.schedule(k.addPartitionsAtMs, () => cluster.createPartitions('orders', k.newPartitionCount));
  for (const ev of brokerEvents) {
    engine.schedule(Math.max(0, ev.atMs), () => (ev.action === 'stop' ? cluster.stopBroker(ev.broker) : cluster.startBroker(ev.broker)));
  }
  return finishRun(engine, options.untilMs);
}
