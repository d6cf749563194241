/**
 * The simulator's DefaultPartitioner against kafkajs 2's own (its code, loaded from node_modules, is the oracle):
 * Kafka's known murmur2 vectors, and 100,000 random keys (ASCII and Unicode strings, lone surrogates, Buffers,
 * numbers) at every partition count 1–64 — 6,400,000 (key, count) pairs compared with kafkajs's murmur2 and
 * partition formula, 200,000 of them through kafkajs's partitioner function itself.
 */
import { createRequire } from 'node:module';
import { Buffer } from 'buffer';
import { describe, expect, test } from 'vitest';
import { Prng } from '../../../simulator/core/prng.ts';
import { murmur2, toPositive } from '../../../simulator/brokers/kafka/model/murmur2.ts';
import { createDefaultPartitioner, partitionForKey } from '../../../simulator/brokers/kafka/model/partitioner.ts';
import { createPartitioners, legacyMurmur2 } from '../../../simulator/brokers/kafka/kafkajs/partitioners.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: unknown) => number;
const KafkajsDefault = require('kafkajs/src/producer/partitioners/default/index.js') as () => (a: unknown) => number;
const KafkajsLegacy = require('kafkajs/src/producer/partitioners/legacy/index.js') as () => (a: unknown) => number;
const kafkajsLegacyMurmur2 = require('kafkajs/src/producer/partitioners/legacy/murmur2.js') as (key: unknown) => number;

const metadata = (n: number) => Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: i % 3 }));
const METADATA = Array.from({ length: 65 }, (_, n) => metadata(n));

/** A random key: mostly strings of several alphabets, some Buffers and numbers. */
function randomKey(rng: Prng): string | Buffer | number {
  const kind = rng.int(0, 9);
  if (kind === 0) return Buffer.from(Array.from({ length: rng.int(0, 40) }, () => rng.int(0, 255)));
  if (kind === 1) return rng.int(-1_000_000, 1_000_000);
  const length = rng.int(0, 24);
  let s = '';
  for (let i = 0; i < length; i++) {
    const pick = rng.int(0, 9);
    if (pick < 6) s += String.fromCharCode(rng.int(32, 126));
    else if (pick < 8) s += String.fromCharCode(rng.int(0xa0, 0xd7ff));
    else if (pick === 8) s += String.fromCodePoint(rng.int(0x10000, 0x10ffff));
    else s += String.fromCharCode(rng.int(0xd800, 0xdfff));
  }
  return s;
}

describe('murmur2 (Java-compatible) and DefaultPartitioner', () => {
  test('Kafka\'s known vectors', () => {
    expect(murmur2('0')).toBe(971027396);
    expect(murmur2('100:48069')).toBe(1009543857);
    expect(partitionForKey('100:48069', 12)).toBe(9);
    expect(kafkajsMurmur2('100:48069')).toBe(1009543857);
    // kafkajs 1.x's legacy murmur2 put it elsewhere (the reason kafkajs 2 changed its default).
    expect((legacyMurmur2('100:48069') & 0x7fffffff) % 12).toBe(6);
  });

  test('100,000 random keys x partition counts 1-64 match kafkajs', () => {
    const rng = new Prng(20_240_610);
    const kafkajsPartitioner = KafkajsDefault();
    const ours = createPartitioners(() => 0).DefaultPartitioner();
    let compared = 0;
    let direct = 0;
    for (let i = 0; i < 100_000; i++) {
      const key = randomKey(rng);
      const theirs = kafkajsMurmur2(key);
      const mine = murmur2(Buffer.isBuffer(key) ? key : String(key));
      if (mine !== theirs) expect({ key, mine }).toEqual({ key, mine: theirs });
      for (let n = 1; n <= 64; n++) {
        if (toPositive(mine) % n !== (theirs & 0x7fffffff) % n) expect({ key, n }).toBe('equal partitions');
        compared++;
      }
      for (const n of [(i % 64) + 1, 64 - (i % 64)]) {
        const message = { key };
        const a = kafkajsPartitioner({ topic: 't', partitionMetadata: METADATA[n], message });
        const b = ours({ topic: 't', partitionMetadata: METADATA[n], message });
        if (a !== b) expect({ key, n, b }).toEqual({ key, n, b: a });
        direct++;
      }
    }
    expect(compared).toBe(6_400_000);
    expect(direct).toBe(200_000);
  });

  test('the legacy partitioner matches kafkajs 1.x\'s murmur2 too', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 20_000; i++) {
      const key = randomKey(rng);
      expect(legacyMurmur2(key)).toBe(kafkajsLegacyMurmur2(key));
    }
    const theirs = KafkajsLegacy();
    const ours = createPartitioners(() => 0).LegacyPartitioner();
    for (let n = 1; n <= 64; n++) {
      const message = { key: `k${n}` };
      expect(ours({ topic: 't', partitionMetadata: METADATA[n], message })).toBe(theirs({ topic: 't', partitionMetadata: METADATA[n], message }));
    }
  });

  test('explicit partition wins as given; keyless is round robin over partitions with a leader', () => {
    let seed = 41;
    const p = createDefaultPartitioner(() => seed);
    expect(p({ topic: 't', partitionMetadata: metadata(3), message: { key: 'x', partition: 7 } })).toBe(7);
    const withOffline = [{ partitionId: 0, leader: 1 }, { partitionId: 1, leader: -1 }, { partitionId: 2, leader: 2 }];
    const seen = Array.from({ length: 6 }, () => p({ topic: 'rr', partitionMetadata: withOffline, message: {} }));
    // kafkajs: counter starts at the random value, pre-incremented; i = toPositive(counter) % available.
    const theirsCounter = { value: seed };
    const expected = Array.from({ length: 6 }, () => [0, 2][toPositive(++theirsCounter.value) % 2]);
    expect(seen).toEqual(expected);
    seed = 0;
  });

  test('keyless round robin follows kafkajs given the same starting counter', () => {
    // kafkajs seeds its per-topic counter from crypto random bytes; with the counter fixed, sequences agree.
    const kafkajs = KafkajsDefault();
    const md = metadata(5);
    const first = kafkajs({ topic: 'x', partitionMetadata: md, message: {} }) as number;
    // Find the counter value that gives kafkajs's first pick, then compare the next 100 picks.
    const start = first - 1;
    const ours = createDefaultPartitioner(() => start);
    expect(ours({ topic: 'x', partitionMetadata: md, message: {} })).toBe(first);
    for (let i = 0; i < 100; i++) {
      expect(ours({ topic: 'x', partitionMetadata: md, message: {} })).toBe(kafkajs({ topic: 'x', partitionMetadata: md, message: {} }));
    }
  });
});
