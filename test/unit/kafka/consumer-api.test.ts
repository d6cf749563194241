/**
 * More of the kafkajs consumer and admin API on the simulator: two groups reading one topic independently,
 * `seek` (replay from an offset), `pause` / `resume`, `eachBatch` with `resolveOffset`, auto-commit and the
 * committed offsets `admin.fetchOffsets` reports (lag = high watermark − committed), `describeGroups`.
 */
import { describe, expect, test } from 'vitest';
import { lines, runKafkaProgram } from './run-program.ts';

const head = `const { Kafka } = require('kafkajs');
const kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'], logLevel: 1 });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 2 }] });
const producer = kafka.producer();
await producer.connect();
await producer.send({ topic: 'events', messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: 'e' + i })) });
`;

describe('kafkajs consumer API', () => {
  test('two groups read the same records; offsets committed per group; fetchOffsets and describeGroups', async () => {
    const run = await runKafkaProgram(head + `
const read = async (groupId) => {
  const c = kafka.consumer({ groupId });
  await c.connect();
  await c.subscribe({ topic: 'events', fromBeginning: true });
  let n = 0;
  await new Promise((resolve) => c.run({ eachMessage: async () => { if (++n === 10) resolve(); } }));
  await new Promise((r) => setTimeout(r, 100));
  return c;
};
const [a, b] = await Promise.all([read('billing'), read('audit')]);
for (const groupId of ['billing', 'audit']) {
  const [o] = await admin.fetchOffsets({ groupId, topics: ['events'] });
  console.log(groupId, o.partitions.map((p) => p.partition + ':' + p.offset).join(' '));
}
const { groups } = await admin.describeGroups(['billing']);
console.log(groups[0].state, groups[0].protocol, groups[0].members.length, groups[0].members[0].clientId);
const before = await admin.fetchOffsets({ groupId: 'nobody', topics: ['events'] });
console.log('nobody', before[0].partitions.map((p) => p.offset).join(' '));
await a.disconnect(); await b.disconnect(); await producer.disconnect(); await admin.disconnect();
`);
    expect(run.error).toBeUndefined();
    expect(lines(run)).toEqual([
      expect.stringMatching(/^billing 0:\d+ 1:\d+$/),
      expect.stringMatching(/^audit 0:\d+ 1:\d+$/),
      'Stable RoundRobinAssigner 1 app',
      'nobody -1 -1',
    ]);
    // Both disconnects complete (each waits for its fetch in flight), so the program ends as it would in Node.
    expect(run.status).toBe('completed');
    const sum = (l: string) => l.split(' ').slice(1).reduce((s, p) => s + Number(p.split(':')[1]), 0);
    expect(sum(lines(run)[0])).toBe(10);
    expect(sum(lines(run)[1])).toBe(10);
  });

  test('seek replays from an offset; pause stops a partition until resume', async () => {
    const run = await runKafkaProgram(head + `
const c = kafka.consumer({ groupId: 'g' });
await c.connect();
await c.subscribe({ topic: 'events', fromBeginning: true });
const seen = [];
let sought = false;
await c.run({ eachMessage: async ({ partition, message }) => {
  seen.push(partition + '@' + message.offset);
  if (!sought && seen.length === 10) {
    sought = true;
    c.seek({ topic: 'events', partition: 0, offset: '3' });
    c.pause([{ topic: 'events', partitions: [1] }]);
    setTimeout(() => { console.log('paused', JSON.stringify(c.paused())); c.resume([{ topic: 'events', partitions: [1] }]); }, 8000);
    await producer.send({ topic: 'events', messages: [{ partition: 1, value: 'late' }] });
  }
} });
await new Promise((r) => setTimeout(r, 20000));
console.log(seen.slice(10).join(' '));
process.exit(0);
`, { untilMs: 60_000 });
    expect(run.error).toBeUndefined();
    const [paused, after] = lines(run);
    expect(paused).toBe('paused [{"topic":"events","partitions":[1]}]');
    // Partition 0 again from offset 3; partition 1's new record only after the resume.
    const p0 = after.split(' ').filter((x) => x.startsWith('0@'));
    expect(p0[0]).toBe('0@3');
    expect(after.split(' ').filter((x) => x.startsWith('1@'))).toHaveLength(1);
    const seekEntry = run.trace.find((e) => e.kind === 'kafka-seek');
    expect(seekEntry).toMatchObject({ topic: 'events', partition: 0, offset: 3 });
  });

  test('eachBatch with resolveOffset; batch shapes as kafkajs gives them', async () => {
    const run = await runKafkaProgram(head + `
const c = kafka.consumer({ groupId: 'batcher' });
await c.connect();
await c.subscribe({ topic: 'events', fromBeginning: true });
let total = 0;
await c.run({ eachBatchAutoResolve: false, eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
  console.log(batch.topic, batch.partition, batch.messages.length, batch.firstOffset(), batch.lastOffset(), batch.highWatermark, batch.offsetLag(), isRunning(), isStale());
  for (const m of batch.messages) { resolveOffset(m.offset); total++; }
  await heartbeat();
  if (total === 10) setTimeout(async () => {
    const [o] = await admin.fetchOffsets({ groupId: 'batcher', topics: ['events'] });
    console.log(o.partitions.map((p) => p.offset).join(' '));
    process.exit(0);
  }, 100);
} });
`);
    expect(run.error).toBeUndefined();
    const out = lines(run);
    expect(out.slice(0, 2).sort()).toEqual(['events 0 5 0 4 5 0 true false', 'events 1 5 0 4 5 0 true false']);
    expect(out[2]).toBe('5 5');
  });
});
