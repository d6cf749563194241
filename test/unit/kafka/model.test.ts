/**
 * The cluster model on its own: replication (high watermark below the log end offset until followers catch up;
 * consumers read only below it), acks=all with min.insync.replicas (NOT_ENOUGH_REPLICAS), broker stop and restart
 * (leadership moves to an in-sync replica; unreplicated records are truncated; a partition with no live in-sync
 * replica is offline until one returns), retention by size, idempotent sequence checks, the group state machine,
 * and the producer-retries scenario (non-idempotent retries reorder and duplicate; idempotent ones do not).
 */
import { describe, expect, test } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';
import { KafkaCluster, type ClientHandle } from '../../../simulator/brokers/kafka/model/cluster.ts';
import { kafkaErrorCode } from '../../../simulator/brokers/kafka/model/errors.ts';
import { PartitionLog } from '../../../simulator/brokers/kafka/model/partition-log.ts';
import { canTransition, initialGroupSnapshot, nextGroupSnapshot } from '../../../simulator/brokers/kafka/model/group-machine.ts';
import type { ProducePartitionResult } from '../../../simulator/brokers/kafka/model/produce.ts';
import type { FetchPartitionResult } from '../../../simulator/brokers/kafka/model/fetch.ts';
import { runProducerRetries } from '../../../simulator/brokers/kafka/scenarios/producer-retries.ts';
import { recordsPerPartition } from '../../../simulator/brokers/kafka/queries.ts';

function setup(brokers = 3, replicationDelayMs = 50) {
  const engine = new Engine({ seed: 3 });
  const cluster = new KafkaCluster(engine, { brokerCount: brokers, latencyMs: 5, replicationDelayMs }, kafkaErrorCode);
  const client = cluster.connectClient('producer', 'p', 'p');
  return { engine, cluster, client };
}

function produce(cluster: KafkaCluster, client: ClientHandle, acks: number, msgs: number[], partition = 0): { result?: ProducePartitionResult; refused?: boolean } {
  const out: { result?: ProducePartitionResult; refused?: boolean } = {};
  const leader = cluster.partitionOf('t', partition)?.leader ?? 0;
  cluster.produce(client, Math.max(leader, 0), {
    acks, timeoutMs: 30_000, producerId: -1, producerEpoch: 0, attempt: 1,
    batches: [{ topic: 't', partition, msgs, timestamps: cluster.nowEpochMs(), sizes: 10, baseSequence: -1 }],
  }, (reply) => {
    if (reply.ok) out.result = reply.value[0];
    else out.refused = true;
  });
  return out;
}

function fetch(cluster: KafkaCluster, client: ClientHandle, offset: number): { results?: FetchPartitionResult[] } {
  const out: { results?: FetchPartitionResult[] } = {};
  const leader = cluster.partitionOf('t', 0)?.leader ?? 0;
  cluster.fetch(client, leader, { maxWaitMs: 0, minBytes: 1, maxBytes: 1e6, materialize: true, partitions: [{ topic: 't', partition: 0, fetchOffset: offset, maxBytes: 1e6 }] },
    (reply) => { if (reply.ok) out.results = reply.value; });
  return out;
}

describe('replication and the high watermark', () => {
  test('followers lag: the high watermark trails the log end offset; consumers read only below it', () => {
    const { engine, cluster, client } = setup();
    expect(cluster.createTopic({ topic: 't', numPartitions: 1, replicationFactor: 3 })).toBeUndefined();
    const p = cluster.partitionOf('t', 0)!;
    const sent = produce(cluster, client, 1, [1, 2]);
    engine.runUntil(6);
    expect([p.log.logEndOffset, p.highWatermark]).toEqual([2, 0]);
    const early = fetch(cluster, client, 0);
    engine.runUntil(20);
    expect(early.results?.[0].count).toBe(0);
    expect(sent.result?.baseOffset).toBe(0);
    engine.runUntil(100);
    expect(p.highWatermark).toBe(2);
    const later = fetch(cluster, client, 0);
    engine.runUntil(200);
    expect(later.results?.[0].records?.map((r) => r.msgNum)).toEqual([1, 2]);
  });

  test('acks=all with min.insync.replicas=2: NOT_ENOUGH_REPLICAS once only one replica is in sync', () => {
    const { engine, cluster, client } = setup();
    cluster.createTopic({ topic: 't', numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] });
    const ok = produce(cluster, client, -1, [1]);
    engine.runUntil(500);
    expect(ok.result).toMatchObject({ baseOffset: 0 });
    const p = cluster.partitionOf('t', 0)!;
    const followers = p.replicas.filter((r) => r !== p.leader);
    for (const f of followers) cluster.stopBroker(f);
    expect(p.isr).toEqual([p.leader]);
    const refused = produce(cluster, client, -1, [2]);
    const acks1 = produce(cluster, client, 1, [3]);
    engine.runUntil(1_000);
    expect(refused.result?.error).toBe('NOT_ENOUGH_REPLICAS');
    expect(acks1.result).toMatchObject({ baseOffset: 1 });
    expect(p.log.logEndOffset).toBe(2);
  });

  test('a stopped leader: leadership moves to an in-sync replica (new epoch); records it alone had are lost', () => {
    const { engine, cluster, client } = setup(3, 1_000);
    cluster.createTopic({ topic: 't', numPartitions: 1, replicationFactor: 2 });
    const p = cluster.partitionOf('t', 0)!;
    const oldLeader = p.leader;
    produce(cluster, client, 1, [1]);
    engine.runUntil(2_000);
    expect(p.highWatermark).toBe(1);
    produce(cluster, client, 1, [2]);
    engine.runUntil(engine.nowMs + 20);
    expect(p.log.logEndOffset).toBe(2);
    cluster.stopBroker(oldLeader);
    expect(p.leader).not.toBe(oldLeader);
    expect(p.leaderEpoch).toBe(1);
    expect(p.log.logEndOffset).toBe(1);
    const trace = engine.trace.toArray();
    expect(trace.find((e) => e.kind === 'kafka-truncated')).toMatchObject({ logEndOffset: 1, lostMsgs: [2] });
    // A produce addressed to the old leader is refused by the broker that is now gone.
    const stale = { refused: false };
    cluster.produce(client, oldLeader, { acks: 1, timeoutMs: 1000, producerId: -1, producerEpoch: 0, attempt: 1,
      batches: [{ topic: 't', partition: 0, msgs: [9], timestamps: 0, sizes: 10, baseSequence: -1 }] }, (r) => { stale.refused = !r.ok; });
    engine.runUntil(engine.nowMs + 1_000);
    expect(stale.refused).toBe(true);
  });

  test('no in-sync replica alive: the partition is offline until one starts again', () => {
    const { engine, cluster, client } = setup(2, 10);
    cluster.createTopic({ topic: 't', numPartitions: 1, replicationFactor: 1 });
    const p = cluster.partitionOf('t', 0)!;
    const only = p.leader;
    produce(cluster, client, 1, [1]);
    engine.runUntil(100);
    cluster.stopBroker(only);
    expect(p.leader).toBe(-1);
    const md = cluster.metadataNow(['t'], false);
    expect(md.topicMetadata[0].partitionMetadata[0].partitionErrorCode).toBe(5);
    cluster.startBroker(only);
    expect(p.leader).toBe(only);
    expect(p.log.logEndOffset).toBe(1);
  });
});

describe('partition log', () => {
  test('retention by size deletes whole old segments, never the active one', () => {
    const log = new PartitionLog();
    for (let i = 0; i < 10; i++) log.append({ msgs: [i], timestamps: 0, sizes: 100, producerId: -1, producerEpoch: 0, baseSequence: 0 }, i * 1000, 200, 1e9, 0);
    expect(log.segmentCount).toBeGreaterThan(3);
    const r = log.applyRetention(0, -1, 500, log.logEndOffset);
    expect(r?.reason).toBe('retention.bytes');
    expect(log.sizeBytes).toBeGreaterThanOrEqual(500);
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.msgNumAt(log.logStartOffset)).toBe(log.logStartOffset);
  });

  test('idempotent sequences: duplicates answered with the first offset, gaps refused, old epochs fenced', () => {
    const log = new PartitionLog();
    const batch = (seq: number, n: number, epoch = 0) => ({ msgs: Array.from({ length: n }, (_, i) => seq + i), timestamps: 0, sizes: 1, producerId: 7, producerEpoch: epoch, baseSequence: seq });
    expect(log.checkSequence(7, 0, 3, 1)).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.checkSequence(7, 0, 0, 2)).toEqual({ kind: 'append' });
    log.append(batch(0, 2), 0, 1e9, 1e9, 0);
    expect(log.checkSequence(7, 0, 0, 2)).toEqual({ kind: 'duplicate', baseOffset: 0 });
    expect(log.checkSequence(7, 0, 3, 1)).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.checkSequence(7, 0, 2, 1)).toEqual({ kind: 'append' });
    log.append(batch(0, 1, 1), 0, 1e9, 1e9, 0);
    expect(log.checkSequence(7, 0, 1, 1)).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });
});

describe('group state machine', () => {
  test('only Kafka\'s transitions exist', () => {
    expect(canTransition('Empty', 'PREPARE_REBALANCE')).toBe(true);
    expect(canTransition('Empty', 'SYNC_COMPLETE')).toBe(false);
    expect(canTransition('Stable', 'JOIN_COMPLETE')).toBe(false);
    expect(canTransition('CompletingRebalance', 'SYNC_COMPLETE')).toBe(true);
    expect(canTransition('Dead', 'PREPARE_REBALANCE')).toBe(false);
    expect(() => nextGroupSnapshot(initialGroupSnapshot(), 'SYNC_COMPLETE')).toThrow(/no transition SYNC_COMPLETE from Empty/);
  });
});

describe('producer retries: order and duplicates', () => {
  const log = (knobs: Parameters<typeof runProducerRetries>[0]) =>
    recordsPerPartition(runProducerRetries(knobs, { seed: 1, untilMs: 30_000 }).trace).get('payments/0')?.map((r) => r.msgId);
  const inOrder = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];

  test('without idempotence and 5 in flight, a lost request\'s retry lands after later records', () => {
    const l = log({ idempotent: false, maxInFlight: 5, failure: 'lost-request' }) ?? [];
    expect(l).not.toEqual(inOrder);
    expect([...l].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(inOrder);
  });

  test('without idempotence, a lost response\'s retry writes the record twice', () => {
    expect(log({ idempotent: false, maxInFlight: 1, failure: 'lost-response' })).toEqual(['m1', 'm2', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
  });

  test('one in flight keeps order; idempotence keeps order and drops duplicates with up to 5 in flight', () => {
    expect(log({ idempotent: false, maxInFlight: 1, failure: 'lost-request' })).toEqual(inOrder);
    for (const failure of ['lost-request', 'lost-response'] as const) {
      for (const maxInFlight of [1, 3, 5]) expect(log({ idempotent: true, maxInFlight, failure })).toEqual(inOrder);
    }
  });
});
