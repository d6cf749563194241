/**
 * The Kafka runtime plugin: a 3-broker cluster where brokers stop and start under a running kafkajs producer and
 * consumer (leadership moves, acks=all waits for min.insync.replicas, nothing is lost), and the runtime's process
 * hooks (what a process waits for, whether it holds the run open, a process that dies leaves its group only when its
 * session times out).
 */
import { describe, expect, test } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';
import { PendingReplies } from '../../../simulator/runner/pending-replies.ts';
import { executeProgram } from '../../../simulator/runner/execute-program.ts';
import { KafkaRuntime } from '../../../simulator/brokers/kafka/runtime.ts';

describe('Kafka runtime', () => {
  test('brokers stop and start under a producer and a consumer: leaders move, acks=all waits, nothing is lost', async () => {
    let runtime: KafkaRuntime | undefined;
    const logs: string[] = [];
    const src = `const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092', 'localhost:9093'] });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'pay', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }] });
const producer = kafka.producer();
await producer.connect();
const consumer = kafka.consumer({ groupId: 'g' });
await consumer.connect();
await consumer.subscribe({ topic: 'pay', fromBeginning: true });
const seen = new Set();
await consumer.run({ eachMessage: async ({ message }) => { seen.add(message.value.toString()); } });
let ok = 0;
for (let i = 0; i < 30; i++) {
  await producer.send({ topic: 'pay', messages: [{ key: 'k' + i, value: 'v' + i }] });
  ok++;
  await new Promise((r) => setTimeout(r, 500));
}
await new Promise((r) => setTimeout(r, 10000));
console.log('sent', ok, 'consumed', seen.size);
process.exit(0);
`;
    const result = await executeProgram(src, { untilMs: 120_000 }, (engine, opts, observe, replies) => {
      runtime = new KafkaRuntime({
        engine, processCount: 1, observe: (api) => observe(api), replies, cluster: { brokerCount: 3 },
        programConsole: () => ({ info: (l) => logs.push(l), warn: (l) => logs.push(l), error: (l) => logs.push(l), log: (l) => logs.push(l) }),
      });
      engine.schedule(10_000, () => runtime?.stopBroker(1));
      engine.schedule(14_000, () => runtime?.stopBroker(2));
      engine.schedule(20_000, () => runtime?.startBroker(1));
      return { kafkajs: runtime.module('kafkajs', { pid: 1, name: 'p.js' }) as Record<string, unknown> };
    });
    expect(result.error).toBeUndefined();
    expect(result.console.map((l) => l.text)).toEqual(['sent 30 consumed 30']);
    expect(result.trace.filter((e) => e.kind === 'kafka-leader-changed').length).toBeGreaterThan(0);
    // While only one replica was in sync, acks=all sends were refused and retried by kafkajs.
    expect(logs.some((l) => l.includes('[Producer] Failed to send messages: Messages are rejected since there are fewer in-sync replicas than required'))).toBe(true);
  });

  test('process hooks: waitingFor, holdsProcessOpen, and a dead process\'s member removed after its session timeout', async () => {
    const engine = new Engine({ seed: 1 });
    const runtime = new KafkaRuntime({ engine, processCount: 2, observe: (api) => api, replies: new PendingReplies() });
    const p1 = { pid: 1, name: 'a.mjs' };
    const p2 = { pid: 2, name: 'b.mjs' };
    const k1 = runtime.module('kafkajs', p1) as { Kafka: new (c: object) => { consumer(o: object): Record<string, (...a: unknown[]) => Promise<unknown>> } };
    const k2 = runtime.module('kafkajs', p2) as typeof k1;
    /** Runs the engine, letting promise continuations run between steps (as the runner does). */
    const pump = async (untilMs: number) => {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        const next = engine.nextEventAtMs();
        if (next === undefined || next > untilMs) break;
        engine.step();
      }
    };
    const start = async (k: typeof k1) => {
      const c = new k.Kafka({ clientId: 'app', brokers: ['localhost:9092'] }).consumer({ groupId: 'g', sessionTimeout: 10_000 });
      const done = (async () => {
        await c.connect();
        await c.subscribe({ topic: 'orders', fromBeginning: true });
        await c.run({ eachMessage: async () => {} });
      })();
      return done;
    };
    void start(k1);
    void start(k2);
    expect(runtime.waitingFor(p1)).toBe('an open connection to Kafka');
    await pump(8_000);
    expect(runtime.waitingFor(p1)).toBe("a consumer of group 'g' subscribed to 'orders'");
    expect(runtime.holdsProcessOpen(p2)).toBe(true);
    expect(runtime.cluster.groupOf('g')?.memberIds().length).toBe(2);
    runtime.endProcess(p2);
    expect(runtime.holdsProcessOpen(p2)).toBe(false);
    expect(runtime.waitingFor(p2)).toBe("a consumer of group 'g' subscribed to 'orders'");
    await pump(engine.nowMs + 9_000);
    expect(runtime.cluster.groupOf('g')?.memberIds().length).toBe(2);
    await pump(engine.nowMs + 10_000);
    expect(runtime.cluster.groupOf('g')?.memberIds().length).toBe(1);
    const left = engine.trace.toArray().find((e) => e.kind === 'kafka-member-left');
    expect(left).toMatchObject({ reason: 'session-timeout' });
    expect(engine.trace.toArray().filter((e) => e.kind === 'kafka-client').map((e) => e.kind === 'kafka-client' && e.label)).toEqual(['a.mjs consumer', 'b.mjs consumer']);
  });
});
