/**
 * Assignors: kafkajs's RoundRobinAssigner (its code from node_modules is the oracle) against the simulator's, for
 * random groups (fast-check: 1–12 members, 1–5 topics of 1–20 partitions); the facade's assigner (what programs get
 * as `PartitionAssigners.roundRobin`) encodes the same bytes as kafkajs's; and Kafka's javadoc examples for the
 * Range and RoundRobin assignors (two consumers, two topics of 3 partitions).
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  javaRoundRobinAssign, rangeAssign, roundRobinAssign, type GroupAssignment,
} from '../../../simulator/brokers/kafka/model/assignors.ts';
import { roundRobinAssigner } from '../../../simulator/brokers/kafka/kafkajs/group-client.ts';
import { decodeAssignment, encodeMemberMetadata } from '../../../simulator/brokers/kafka/model/consumer-protocol.ts';

const require = createRequire(import.meta.url);
const kafkajsRoundRobin = require('kafkajs/src/consumer/assigners/roundRobinAssigner/index.js') as
  (o: { cluster: unknown }) => { assign(g: { members: Array<{ memberId: string }>; topics: string[] }): Promise<Array<{ memberId: string; memberAssignment: Buffer }>>;
    protocol(s: { topics: string[] }): { name: string; metadata: Buffer } };
const { MemberAssignment } = require('kafkajs/src/consumer/assignerProtocol.js') as {
  MemberAssignment: { decode(b: Buffer): { assignment: Record<string, number[]> } | null };
};

const plain = (a: GroupAssignment) => Object.fromEntries([...a].map(([m, t]) => [m, Object.fromEntries(t)]));

const groupArb = fc.record({
  // Member ids are `<clientId>-<uuid>` in Kafka; names of Object.prototype's properties are left out because
  // kafkajs keeps its assignment in a plain object (a member id "toString" would get nothing there).
  memberIds: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !(s in {})), { minLength: 1, maxLength: 12 }),
  topics: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 1, maxLength: 5 }),
  partitionCounts: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 5, maxLength: 5 }),
});

describe('assignors', () => {
  test('RoundRobin equals kafkajs\'s RoundRobinAssigner for random groups', async () => {
    let compared = 0;
    await fc.assert(fc.asyncProperty(groupArb, async ({ memberIds, topics, partitionCounts }) => {
      const counts = new Map(topics.map((t, i) => [t, partitionCounts[i]]));
      const cluster = {
        findTopicPartitionMetadata: (t: string) => Array.from({ length: counts.get(t) ?? 0 }, (_, p) => ({ partitionId: p, leader: 0 })),
      };
      const theirs = await kafkajsRoundRobin({ cluster }).assign({ members: memberIds.map((memberId) => ({ memberId })), topics });
      const expected = Object.fromEntries(theirs.map((a) => [a.memberId, MemberAssignment.decode(a.memberAssignment)?.assignment ?? {}]));
      const mine = roundRobinAssign(memberIds.map((memberId) => ({ memberId, topics })), topics,
        (t) => Array.from({ length: counts.get(t) ?? 0 }, (_, p) => p));
      expect(plain(mine)).toEqual(expected);
      // The facade's assigner (PartitionAssigners.roundRobin) sends the very bytes kafkajs would.
      const facade = await roundRobinAssigner({ cluster }).assign({
        members: memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })), topics,
      });
      expect(facade.map((a) => [a.memberId, Buffer.from(a.memberAssignment).toString('hex')]))
        .toEqual(theirs.map((a) => [a.memberId, a.memberAssignment.toString('hex')]));
      compared++;
    }), { numRuns: 3000, seed: 42 });
    expect(compared).toBe(3000);
  });

  test('member metadata bytes equal kafkajs\'s protocol()', () => {
    const theirs = kafkajsRoundRobin({ cluster: {} }).protocol({ topics: ['a', 'b-topic', 'ü'] });
    const mine = roundRobinAssigner({ cluster: { findTopicPartitionMetadata: () => [] } }).protocol({ topics: ['a', 'b-topic', 'ü'] });
    expect(mine.name).toBe(theirs.name);
    expect(Buffer.from(mine.metadata).toString('hex')).toBe(theirs.metadata.toString('hex'));
    expect(Buffer.from(encodeMemberMetadata({ version: 0, topics: ['a', 'b-topic', 'ü'] })).toString('hex')).toBe(theirs.metadata.toString('hex'));
    expect(decodeAssignment(new Uint8Array(0))).toBeNull();
  });

  // Kafka's javadoc (RangeAssignor / RoundRobinAssignor): consumers C0, C1 subscribed to t0 and t1, 3 partitions each.
  const javadocMembers = [{ memberId: 'C0', topics: ['t0', 't1'] }, { memberId: 'C1', topics: ['t0', 't1'] }];
  const three = () => [0, 1, 2];

  test('RangeAssignor javadoc example', () => {
    expect(plain(rangeAssign(javadocMembers, three))).toEqual({
      C0: { t0: [0, 1], t1: [0, 1] },
      C1: { t0: [2], t1: [2] },
    });
  });

  test('RoundRobinAssignor javadoc example (Java\'s and kafkajs\'s agree on it)', () => {
    const expected = { C0: { t0: [0, 2], t1: [1] }, C1: { t0: [1], t1: [0, 2] } };
    expect(plain(javaRoundRobinAssign(javadocMembers, three))).toEqual(expected);
    expect(plain(roundRobinAssign(javadocMembers, ['t0', 't1'], three))).toEqual(expected);
  });

  test('every partition has exactly one owner; extra members stay idle', () => {
    fc.assert(fc.property(groupArb, ({ memberIds, topics, partitionCounts }) => {
      const members = memberIds.map((memberId) => ({ memberId, topics }));
      for (const assign of [
        (ms: typeof members) => roundRobinAssign(ms, topics, (t) => Array.from({ length: partitionCounts[topics.indexOf(t)] }, (_, p) => p)),
        (ms: typeof members) => rangeAssign(ms, (t) => Array.from({ length: partitionCounts[topics.indexOf(t)] }, (_, p) => p)),
      ]) {
        const result = assign(members);
        const owned = new Map<string, number>();
        for (const [, byTopic] of result) for (const [t, ps] of byTopic) for (const p of ps) owned.set(`${t}/${p}`, (owned.get(`${t}/${p}`) ?? 0) + 1);
        const total = topics.reduce((n, t, i) => n + partitionCounts[i], 0);
        expect(owned.size).toBe(total);
        expect([...owned.values()].every((n) => n === 1)).toBe(true);
        const withWork = [...result.values()].filter((b) => [...b.values()].some((ps) => ps.length > 0)).length;
        expect(withWork).toBeLessThanOrEqual(Math.min(members.length, total));
      }
    }), { numRuns: 500, seed: 7 });
  });
});
