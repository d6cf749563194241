import { describe, expect, it } from 'vitest';
import { createSnapshotCursor, nodeKey, snapshotAt, topologyOf } from '../../../simulator/brokers/amqp/fold.ts';
import { AUTO_ACK_FIXTURE, WORK_QUEUE_FIXTURE } from './fixture-trace.ts';

const trace = WORK_QUEUE_FIXTURE;
const consumer = (atMs: number, tag: string) => snapshotAt(trace, atMs).nodes.consumers.find((c) => c.consumerTag === tag)!;

describe('topologyOf', () => {
  it('finds the publishing connection, the default exchange, the queue and both consumers with their labels', () => {
    const topology = topologyOf(trace);
    expect(topology.producers).toEqual([{ connection: 'c1', label: 'producer', published: 0 }]);
    expect(topology.exchanges).toEqual([{ name: '', label: '(default exchange)', type: 'direct' }]);
    expect(topology.queues).toEqual(['tasks']);
    expect(topology.consumers.map((c) => [c.consumerTag, c.label, c.queue])).toEqual([
      ['ctag1', 'worker 1', 'tasks'],
      ['ctag2', 'worker 2', 'tasks'],
    ]);
    expect(topology.routes).toEqual([{ exchange: '', queue: 'tasks' }]);
    expect(topology.depthMax).toBe(2);
  });
});

describe('snapshotAt', () => {
  it('places a published message between producer and exchange by its send and arrival times', () => {
    const snap = snapshotAt(trace, 105);
    expect(snap.inFlight).toEqual([
      expect.objectContaining({
        msgId: 'm1', kind: 'publish', progress: 0.5,
        from: { kind: 'producer', id: 'c1' }, to: { kind: 'exchange', id: '' },
      }),
    ]);
    expect(snap.counters.published).toBe(1);
    expect(snap.nodes.queues[0].ready).toEqual([]);
  });

  it('moves a delivery from the queue to the consumer and counts it unacked at the broker', () => {
    const snap = snapshotAt(trace, 115);
    expect(snap.inFlight).toEqual([
      expect.objectContaining({ msgId: 'm1', kind: 'deliver', progress: 0.5, to: { kind: 'consumer', id: 'ctag1' } }),
    ]);
    expect(snap.nodes.queues[0]).toEqual({ name: 'tasks', ready: [], readyCount: 0, unacked: 1, deleted: false });
    expect(consumer(115, 'ctag1').unacked).toEqual(['m1']);
    expect(consumer(115, 'ctag1').holding).toEqual([]);
  });

  it('keeps a message ready while every consumer is at its prefetch limit', () => {
    const snap = snapshotAt(trace, 315);
    expect(snap.nodes.queues[0].ready).toEqual(['m3']);
    expect(snap.nodes.queues[0].unacked).toBe(2);
    expect(snap.counters).toMatchObject({ published: 3, delivered: 2, acked: 0 });
  });

  it('shows processing progress from arrival at the consumer until the client sends its ack', () => {
    expect(consumer(370, 'ctag1').processing).toEqual({ msgId: 'm1', progress: 0.5 });
    expect(consumer(370, 'ctag1').holding).toEqual(['m1']);
  });

  it('lets an ack travel from its send time while the broker still counts the message unacked', () => {
    const snap = snapshotAt(trace, 625);
    expect(snap.inFlight).toEqual([
      expect.objectContaining({
        msgId: 'm1', kind: 'ack', progress: 0.5, from: { kind: 'consumer', id: 'ctag1' }, to: { kind: 'queue', id: 'tasks' },
      }),
    ]);
    expect(consumer(625, 'ctag1').unacked).toEqual(['m1']);
    expect(consumer(625, 'ctag1').processing).toBeNull();
    expect(snapshotAt(trace, 630).counters.acked).toBe(1);
  });

  it('marks a crashed consumer and puts its unacked message back at the head of the queue', () => {
    expect(consumer(705, 'ctag2')).toMatchObject({ crashed: true, cancelled: false, holding: [] });
    const snap = snapshotAt(trace, 720);
    expect(consumer(720, 'ctag2')).toMatchObject({ crashed: true, cancelled: true, unacked: [] });
    expect(snap.nodes.queues[0].ready).toEqual(['m2', 'm4']);
    expect(snap.counters.requeued).toBe(1);
  });

  it('flags the redelivery of a requeued message', () => {
    const snap = snapshotAt(trace, 1155);
    expect(snap.inFlight).toEqual([expect.objectContaining({ msgId: 'm2', kind: 'deliver', redelivered: true })]);
    expect(snap.counters.redelivered).toBe(1);
  });

  it('ends with every message acked and nothing left in the broker', () => {
    const snap = snapshotAt(trace, 10_000);
    expect(snap.inFlight).toEqual([]);
    expect(snap.nodes.queues[0]).toMatchObject({ ready: [], unacked: 0 });
    expect(snap.counters).toMatchObject({ published: 4, delivered: 5, acked: 4, redelivered: 1, dropped: 0 });
  });

  it('lists only nodes that exist at the time asked', () => {
    const snap = snapshotAt(trace, -1);
    expect(snap.nodes).toEqual({ producers: [], exchanges: [], queues: [], consumers: [] });
  });

  it('does not count auto-acked deliveries as unacked, and counts unroutable messages as dropped', () => {
    const snap = snapshotAt(AUTO_ACK_FIXTURE, 500);
    expect(snap.nodes.queues[0]).toMatchObject({ ready: [], unacked: 0 });
    expect(snap.nodes.consumers[0]).toMatchObject({ noAck: true, unacked: [], received: 1 });
    expect(snap.counters).toMatchObject({ delivered: 1, autoAcked: 1, dropped: 1 });
    expect(snap.nodes.exchanges.map((x) => x.name)).toEqual(['', 'nowhere']);
  });
});

describe('createSnapshotCursor', () => {
  it('gives the same snapshots as snapshotAt when seeking forward in small steps and back again', () => {
    const cursor = createSnapshotCursor(trace);
    const times = [...Array(230).keys()].map((i) => i * 10 + 5);
    for (const atMs of times) expect(cursor.seek(atMs)).toEqual(snapshotAt(trace, atMs));
    for (const atMs of [700, 115, 1155, 0]) expect(cursor.seek(atMs)).toEqual(snapshotAt(trace, atMs));
  });

  it('reports which trace entries the last seek applied', () => {
    const cursor = createSnapshotCursor(trace);
    cursor.seek(100);
    expect(cursor.lastApplied).toEqual({ from: 0, to: 10 });
    cursor.seek(110);
    expect(cursor.lastApplied).toEqual({ from: 10, to: 13 });
    expect(trace.slice(10, 13).map((e) => e.kind)).toEqual(['routed', 'enqueued', 'delivered']);
    cursor.seek(50);
    expect(cursor.lastApplied).toEqual({ from: 0, to: 9 });
  });

  it('stays fast with thousands of messages in flight', () => {
    const big = [...WORK_QUEUE_FIXTURE.slice(0, 9)];
    for (let i = 0; i < 5000; i++) {
      big.push({ t: i, kind: 'published', msgId: `p${i}`, channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: '', arriveAtMs: i + 1000 });
    }
    const cursor = createSnapshotCursor(big);
    const started = performance.now();
    let maxInFlight = 0;
    for (let frame = 0; frame < 600; frame++) maxInFlight = Math.max(maxInFlight, cursor.seek(frame * 10).inFlight.length);
    expect(maxInFlight).toBe(1000);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('nodeKey', () => {
  it('joins kind and id', () => {
    expect(nodeKey({ kind: 'queue', id: 'tasks' })).toBe('queue:tasks');
  });
});

describe('routes without routed entries', () => {
  it('learns exchange → queue routes from a published message later enqueued', () => {
    const withoutRouted = WORK_QUEUE_FIXTURE.filter((e) => e.kind !== 'routed');
    expect(topologyOf(withoutRouted).routes).toEqual([{ exchange: '', queue: 'tasks' }]);
  });
});

describe('deep queues', () => {
  it('folds ten thousand ready messages drained one by one (speed is measured by npm run bench)', () => {
    const trace = [...WORK_QUEUE_FIXTURE.slice(0, 9)];
    for (let i = 0; i < 10_000; i++) trace.push({ t: 1, kind: 'enqueued', msgId: `q${i}`, queue: 'tasks', depth: i + 1 });
    for (let i = 0; i < 10_000; i++) {
      trace.push({ t: 2 + i, kind: 'delivered', msgId: `q${i}`, queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: i + 1, redelivered: false, arriveAtMs: 3 + i });
      trace.push({ t: 2 + i, kind: 'acked', msgId: `q${i}`, queue: 'tasks', channel: 'c2.ch1', deliveryTag: i + 1, sentAtMs: 2 + i });
    }
    const cursor = createSnapshotCursor(trace);
    expect(cursor.seek(1).nodes.queues[0].ready).toHaveLength(10_000);
    expect(cursor.seek(5_001).nodes.queues[0].ready[0]).toBe('q5000');
    expect(cursor.seek(20_000).nodes.queues[0].ready).toEqual([]);
    expect(cursor.seek(3).nodes.queues[0].ready.slice(0, 2)).toEqual(['q2', 'q3']);
  });
});
