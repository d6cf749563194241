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
 * Creates a DefaultPartitioner. `nextRandomUint32` gives the start of each topic's round-robin counter (the
 * seeded PRNG's `nextUint32`).
 */
export function createDefaultPartitioner(nextRandomUint32: () => number): Partitioner {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    let counter = counters.get(topic);
    if (counter === undefined) counter = nextRandomUint32();
    const numPartitions = partitionMetadata.length;
    if (message.partition !== null && message.partition !== undefined) {
      counters.set(topic, counter);
      return message.partition;
    }
    if (message.key !== null && message.key !== undefined) {
      counters.set(topic, counter);
      return toPositive(murmur2(message.key as string)) % numPartitions;
    }
    counter++;
    counters.set(topic, counter);
    let available = 0;
    for (const p of partitionMetadata) if (p.leader >= 0) available++;
    if (available > 0) {
      let i = toPositive(counter) % available;
      for (const p of partitionMetadata) {
        if (p.leader < 0) continue;
        if (i === 0) return p.partitionId;
        i--;
      }
    }
    return toPositive(counter) % numPartitions;
  };
}

/** The partition of a keyed record among `numPartitions` (rule 2 above), for scenarios and checks. */
export function partitionForKey(key: Uint8Array | string, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}
