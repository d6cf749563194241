/**
 * kafkajs's `Partitioners` export (node_modules/kafkajs/src/producer/partitioners/): `DefaultPartitioner` (the
 * Java-compatible murmur2, kafkajs 2's default), `LegacyPartitioner` (kafkajs 1.x's default, whose murmur2
 * multiplies with floating-point numbers and so differs from Java's — "100:48069" goes to partition 6 of 12 with
 * it, 9 with the default), and `JavaCompatiblePartitioner` (an alias of the default). Each is a factory: calling it
 * gives a partitioner `({ topic, partitionMetadata, message }) => partition`. Round-robin counters start from the
 * run's seeded PRNG (kafkajs: crypto random bytes).
 */
import { createDefaultPartitioner, type Partitioner } from '../model/partitioner.ts';
import { toBytes } from './messages.ts';

/**
 * kafkajs 1.x's murmur2 (producer/partitioners/legacy/murmur2.js): the same steps as Java's, but `*=` on JS
 * numbers (not 32-bit multiplication), so products above 2^53 lose bits before the bit operations truncate them.
 * Kept bit for bit so `LegacyPartitioner` places keys where kafkajs 1.x did.
 */
export function legacyMurmur2(key: unknown): number {
  const data = toBytes(key) as Uint8Array;
  const length = data.length;
  const M = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const length4 = length / 4;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
    k *= M;
    k ^= k >>> 24;
    k *= M;
    h *= M;
    h ^= k;
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h ^= (data[tail + 2] & 0xff) << 16;
    // falls through
    case 2:
      h ^= (data[tail + 1] & 0xff) << 8;
    // falls through
    case 1:
      h ^= data[tail] & 0xff;
      h *= M;
  }
  h ^= h >>> 13;
  h *= M;
  h ^= h >>> 15;
  return h;
}

/** The partitioner rules of `model/partitioner.ts` with another hash (for the legacy partitioner). */
function createPartitioner(random: () => number, hash: ((key: unknown) => number) | undefined): Partitioner {
  if (hash === undefined) return createDefaultPartitioner(random);
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    let counter = counters.get(topic) ?? random();
    const numPartitions = partitionMetadata.length;
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (message.partition !== null && message.partition !== undefined) {
      counters.set(topic, counter);
      return message.partition;
    }
    if (message.key !== null && message.key !== undefined) {
      counters.set(topic, counter);
      return (hash(message.key) & 0x7fffffff) % numPartitions;
    }
    counter++;
    counters.set(topic, counter);
    if (available.length > 0) return available[(counter & 0x7fffffff) % available.length].partitionId;
    return (counter & 0x7fffffff) % numPartitions;
  };
}

/** The `Partitioners` export of one kafkajs module (bound to the run's PRNG). */
export function createPartitioners(random: () => number): {
  DefaultPartitioner: () => Partitioner;
  LegacyPartitioner: () => Partitioner;
  JavaCompatiblePartitioner: () => Partitioner;
} {
  // kafkajs hashes a non-Buffer key as String(key); a Buffer as its bytes (a plain Uint8Array is not a Buffer).
  const defaultFactory = () => {
    const inner = createDefaultPartitioner(random);
    return ((args) => inner({ ...args, message: { ...args.message, key: keyForHash(args.message.key) } })) as Partitioner;
  };
  return {
    DefaultPartitioner: defaultFactory,
    LegacyPartitioner: () => createPartitioner(random, legacyMurmur2),
    JavaCompatiblePartitioner: defaultFactory,
  };
}

function keyForHash(key: unknown): unknown {
  if (key === null || key === undefined) return key;
  return toBytes(key);
}
