/**
 * kafkajs 2's DefaultPartitioner (the Java client's pre-2.4 default): which partition a record goes to.
 * Source: node_modules/kafkajs/src/producer/partitioners/legacy/partitioner.js (shared by the default and legacy
 * partitioners, with the Java-compatible murmur2 for the default one), and the Java client's DefaultPartitioner
 * (Kafka 0.10.2 … 2.3, `org.apache.kafka.clients.producer.internals.DefaultPartitioner`).
 *
 * Rules, in order:
 * 1. an explicit `partition` wins and is returned as given (not range-checked: kafkajs then silently sends no
 *    record for a partition the topic does not have, see the producer);
 * 2. a key (not null / undefined) goes to `toPositive(murmur2(key)) % numPartitions` — over ALL partitions, so a
 *    key keeps its partition while a leader is down, and moves when the partition count changes;
 * 3. no key: round robin over the partitions that have a leader (`leader >= 0`), from a per-topic counter that
 *    starts at a random 32-bit value (kafkajs: `randomBytes(32).readUInt32BE(0)`; here drawn from the run's seeded
 *    PRNG, so runs stay deterministic); with no available partition, round robin over all of them.
 */
import { murmur2, toPositive } from './murmur2.ts';

/** What the partitioner sees of one partition (kafkajs's `partitionMetadata` entries). */
export interface PartitionMetadataLike {
  partitionId: number;
  /** Leader broker id; -1 while the partition has no leader. */
  leader: number;
}

/** What the partitioner sees of a record. */
export interface PartitionerMessage {
  key?: unknown;
  partition?: unknown;
}

/** A partitioner instance (one per producer, as in kafkajs): `(topic, partitions, message) => partition`. */
export type Partitioner = (args: {
  topic: string;
  partitionMetadata: readonly PartitionMetadataLike[];
  message: PartitionerMessage;
}) => unknown;

/**
 * The DefaultPartitioner's state (per-topic round-robin counters) with an allocation-free `partition` method, for
 * hot paths (a scenario producer calls it once per record). `createDefaultPartitioner` wraps it in kafkajs's
 * calling convention.
 */
export class DefaultPartitionerState {
  private readonly counters = new Map<string, number>();
  private readonly nextRandomUint32: () => number;
  /** The topic of the last call and its counter (a producer usually writes one topic: no map lookups). */
  private lastTopic: string | undefined = undefined;
  private lastCounter = 0;

  constructor(nextRandomUint32: () => number) {
    this.nextRandomUint32 = nextRandomUint32;
  }

  /** The partition for a record with `key` / explicit `partition` (null or undefined: none); see the module doc. */
  partition(topic: string, partitionMetadata: readonly PartitionMetadataLike[], key: unknown, partition: unknown): unknown {
    if (topic !== this.lastTopic) {
      if (this.lastTopic !== undefined) this.counters.set(this.lastTopic, this.lastCounter);
      let counter = this.counters.get(topic);
      if (counter === undefined) {
        counter = this.nextRandomUint32();
        this.counters.set(topic, counter);
      }
      this.lastTopic = topic;
      this.lastCounter = counter;
    }
    if (partition !== null && partition !== undefined) return partition;
    const numPartitions = partitionMetadata.length;
    if (key !== null && key !== undefined) return toPositive(murmur2(key as string)) % numPartitions;
    const counter = ++this.lastCounter;
    let available = 0;
    for (let j = 0; j < numPartitions; j++) if (partitionMetadata[j].leader >= 0) available++;
    if (available > 0) {
      let i = toPositive(counter) % available;
      for (let j = 0; j < numPartitions; j++) {
        const p = partitionMetadata[j];
        if (p.leader < 0) continue;
        if (i === 0) return p.partitionId;
        i--;
      }
    }
    return toPositive(counter) % numPartitions;
  }
}

/**
 * Creates a DefaultPartitioner. `nextRandomUint32` gives the start of each topic's round-robin counter (the
 * seeded PRNG's `nextUint32`).
 */
export function createDefaultPartitioner(nextRandomUint32: () => number): Partitioner {
  const state = new DefaultPartitionerState(nextRandomUint32);
  return ({ topic, partitionMetadata, message }) => state.partition(topic, partitionMetadata, message.key, message.partition);
}

/** The partition of a keyed record among `numPartitions` (rule 2 above), for scenarios and checks. */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}
