/**
 * Properties of Kafka runs, over random scenario knobs (fast-check): per-partition order (offsets appended
 * strictly increasing with no gap; each member handles a partition's records in offset order between rebalances),
 * no partition owned twice in a Stable group, every committed offset ≤ the log-end offset when committed, and the
 * same seed ⇒ a byte-identical trace (scenarios and a kafkajs program).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TraceEvent, TraceReader } from '../../../simulator/trace.ts';
import { runConsumerGroups, type ConsumerGroupsKnobs } from '../../../simulator/brokers/kafka/scenarios/consumer-groups.ts';
import { runKeysPartitions } from '../../../simulator/brokers/kafka/scenarios/keys-partitions.ts';
import { runProducerRetries } from '../../../simulator/brokers/kafka/scenarios/producer-retries.ts';
import { runKafkaProgram } from './run-program.ts';

const groupKnobs: fc.Arbitrary<Partial<ConsumerGroupsKnobs>> = fc.record({
  partitions: fc.integer({ min: 1, max: 6 }),
  members: fc.integer({ min: 0, max: 5 }),
  groups: fc.integer({ min: 1, max: 2 }),
  messageCount: fc.integer({ min: 0, max: 50 }),
  producerRatePerSec: fc.integer({ min: 1, max: 40 }),
  processingMs: fc.integer({ min: 0, max: 400 }),
  commit: fc.constantFrom('auto', 'auto-per-message', 'after', 'before'),
  assignor: fc.constantFrom('roundrobin', 'range'),
  sessionTimeoutMs: fc.integer({ min: 6_000, max: 20_000 }),
  heartbeatIntervalMs: fc.integer({ min: 500, max: 3_000 }),
  slowHandlerMs: fc.constantFrom(0, 0, 25_000),
  events: fc.array(fc.record({
    atMs: fc.integer({ min: 0, max: 40_000 }),
    action: fc.constantFrom('join', 'leave', 'crash'),
    member: fc.integer({ min: 1, max: 6 }),
  }), { maxLength: 4 }),
}) as fc.Arbitrary<Partial<ConsumerGroupsKnobs>>;

/** Checks the invariants over one trace; returns how many facts were checked. */
function checkInvariants(trace: TraceReader): number {
  let checked = 0;
  const leo = new Map<string, number>();
  const lastHandled = new Map<string, number>();
  const lastHandledAt = new Map<string, number>();
  const rejoinedAt = new Map<string, number>();
  const clientOfMember = new Map<string, string>();
  for (const e of trace as Iterable<TraceEvent>) {
    switch (e.kind) {
      case 'kafka-appended': {
        const k = `${e.topic}/${e.partition}`;
        expect(e.baseOffset, `append contiguous on ${k}`).toBe(leo.get(k) ?? 0);
        expect(e.logEndOffset).toBe(e.baseOffset + e.count);
        expect(e.highWatermark).toBeLessThanOrEqual(e.logEndOffset);
        leo.set(k, e.logEndOffset);
        checked++;
        break;
      }
      case 'kafka-truncated':
        leo.set(`${e.topic}/${e.partition}`, e.logEndOffset);
        break;
      case 'kafka-member-joined':
        clientOfMember.set(e.member, e.client);
        rejoinedAt.set(e.client, e.t);
        break;
      case 'kafka-consumed': {
        if (e.count === 0) break;
        const k = `${e.client}|${e.topic}/${e.partition}`;
        const prev = lastHandled.get(k);
        // Order per partition: a member's handled offsets increase, except when it went back to the committed
        // offset after rejoining its group (a rebalance) since it last handled this partition.
        if (prev !== undefined && !(e.offset > prev)) {
          expect(rejoinedAt.get(e.client) ?? -1, `order on ${k}`).toBeGreaterThanOrEqual(lastHandledAt.get(k) ?? Infinity);
        }
        lastHandled.set(k, e.offset + e.count - 1);
        lastHandledAt.set(k, e.t);
        checked++;
        break;
      }
      case 'kafka-assignment': {
        const owned = e.assignment.flatMap((a) => a.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}/${p}`)));
        expect(new Set(owned).size, 'each partition has one owner in a Stable group').toBe(owned.length);
        checked++;
        break;
      }
      case 'kafka-commit':
        if (e.error !== undefined) break;
        for (const o of e.offsets) {
          expect(o.offset, `commit ≤ log end offset on ${o.topic}/${o.partition}`).toBeLessThanOrEqual(leo.get(`${o.topic}/${o.partition}`) ?? 0);
          checked++;
        }
        break;
      default:
        break;
    }
  }
  void clientOfMember;
  return checked;
}

describe('Kafka run invariants (fast-check)', () => {
  test('consumer-group scenarios: order, offsets, one owner per partition, commits ≤ log end; same seed ⇒ same trace', () => {
    let facts = 0;
    fc.assert(fc.property(groupKnobs, fc.integer({ min: 1, max: 1_000_000 }), (knobs, seed) => {
      const a = runConsumerGroups(knobs, { seed, untilMs: 60_000 });
      facts += checkInvariants(a.trace);
      const b = runConsumerGroups(knobs, { seed, untilMs: 60_000 });
      expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
      a.trace.release();
      b.trace.release();
    }), { numRuns: 40, seed: 20_261_130 });
    expect(facts).toBeGreaterThan(1000);
  });

  test('keys-partitions and producer-retries scenarios keep the log invariants', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: -1, max: 20_000 }), fc.integer({ min: 1, max: 100 }), (partitions, keyCount, hotKeyShare, addAt, seed) => {
        const run = runKeysPartitions({ partitions, keyCount, hotKeyShare, messageCount: 40, producerRatePerSec: 10,
          consumers: 2, addPartitionsAtMs: addAt, newPartitionCount: Math.min(64, partitions + 2) }, { seed, untilMs: 40_000 });
        checkInvariants(run.trace);
      }), { numRuns: 25, seed: 5 });
    fc.assert(fc.property(fc.boolean(), fc.integer({ min: 1, max: 5 }), fc.constantFrom('none', 'lost-request', 'lost-response'),
      fc.integer({ min: 1, max: 8 }), (idempotent, maxInFlight, failure, failedRecord) => {
        const run = runProducerRetries({ idempotent, maxInFlight, failure: failure as 'none', failedRecord }, { seed: 1, untilMs: 20_000 });
        checkInvariants(run.trace);
      }), { numRuns: 40, seed: 9 });
  });

  test('a kafkajs program: same seed ⇒ byte-identical trace; another seed changes member ids', async () => {
    const source = `const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'] });
const producer = kafka.producer();
await producer.connect();
await producer.send({ topic: 'orders', messages: Array.from({ length: 20 }, (_, i) => ({ value: 'v' + i })) });
const consumer = kafka.consumer({ groupId: 'g' });
await consumer.connect();
await consumer.subscribe({ topic: 'orders', fromBeginning: true });
let n = 0;
await consumer.run({ eachMessage: async () => { if (++n === 20) setTimeout(() => consumer.disconnect().then(() => producer.disconnect()), 0); } });
`;
    const a = await runKafkaProgram(source, { seed: 11 });
    const b = await runKafkaProgram(source, { seed: 11 });
    const c = await runKafkaProgram(source, { seed: 12 });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(JSON.stringify(c.trace)).not.toBe(JSON.stringify(a.trace));
    expect(checkInvariants(a.trace)).toBeGreaterThan(0);
  });
});
