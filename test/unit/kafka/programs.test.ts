/**
 * kafkajs programs written the way people write them — including the usual mistakes — run on the simulator and
 * fail exactly where kafkajs fails, with kafkajs's error class and message (each traced through kafkajs 2.2's
 * source: producer/messageProducer.js, sendMessages.js, cluster/*, consumer/index.js, runner.js, retry/index.js).
 */
import { describe, expect, test } from 'vitest';
import { lines, runKafkaProgram } from './run-program.ts';

const head = `const { Kafka } = require('kafkajs');\nconst kafka = new Kafka({ clientId: 'app', brokers: ['localhost:9092'] });\n`;

describe('kafkajs programs on the simulator', () => {
  test('a producer, a topic created by the admin, a consumer group reading from the beginning', async () => {
    const run = await runKafkaProgram(head + `
const admin = kafka.admin();
await admin.connect();
console.log('created', await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] }));
const producer = kafka.producer();
await producer.connect();
const result = await producer.send({ topic: 'orders', messages: [
  { key: 'alice', value: 'order 1', headers: { source: 'web' } },
  { key: 'dave', value: 'order 2' },
  { key: 'alice', value: 'order 3' },
] });
console.log(result.map((r) => r.topicName + '/' + r.partition + '@' + r.baseOffset).sort().join(' '));
const consumer = kafka.consumer({ groupId: 'billing' });
await consumer.connect();
await consumer.subscribe({ topic: 'orders', fromBeginning: true });
let seen = 0;
await consumer.run({ eachMessage: async ({ topic, partition, message }) => {
  console.log(partition, message.offset, message.key.toString(), message.value.toString(),
    JSON.stringify(Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, v.toString()]))), typeof message.timestamp);
  if (++seen === 3) setTimeout(async () => { await consumer.disconnect(); await producer.disconnect(); await admin.disconnect(); }, 0);
} });
`);
    expect(run.error).toBeUndefined();
    expect(lines(run)).toEqual([
      'created true',
      // toPositive(murmur2(key)) % 3, as kafkajs's DefaultPartitioner computes it: alice → 0, dave → 1.
      'orders/0@0 orders/1@0',
      '0 0 alice order 1 {"source":"web"} string',
      '0 1 alice order 3 {} string',
      '1 0 dave order 2 {} string',
    ]);
    expect(run.status).toBe('completed');
  });

  test('forgetting await on producer.connect(): KafkaJSError "The producer is disconnected"', async () => {
    const run = await runKafkaProgram(head + `const producer = kafka.producer();\nproducer.connect();\nawait producer.send({ topic: 'orders', messages: [{ value: 'hi' }] });\n`);
    expect(run.error).toMatchObject({ name: 'KafkaJSError', message: 'The producer is disconnected', line: 5 });
  });

  test('producing to a missing topic with allowAutoTopicCreation: false: retried, then KafkaJSNumberOfRetriesExceeded', async () => {
    const run = await runKafkaProgram(head + `const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();
try {
  await producer.send({ topic: 'nope', messages: [{ value: 'hi' }] });
} catch (e) {
  console.log(e.name, '|', e.message, '|', e.retryCount, '|', e.cause.name, e.cause.type, e.cause.retriable, '|', Math.round(performance.now() / 1000) + ' s');
}
`);
    expect(run.error).toBeUndefined();
    // Five retries with kafkajs's backoff (300 ms ± 20 %, doubling): about 9 s.
    // The producer was never disconnected: a real process would keep its connection open and wait.
    expect(lines(run)).toEqual([
      expect.stringMatching(/^KafkaJSNumberOfRetriesExceeded \| This server does not host this topic-partition \| 5 \| KafkaJSProtocolError UNKNOWN_TOPIC_OR_PARTITION true \| (8|9|10|11) s$/),
      expect.stringMatching(/^The program is still waiting \(an open connection to Kafka\)/),
    ]);
  });

  test('producing to a missing topic with the defaults auto-creates it (1 partition)', async () => {
    const run = await runKafkaProgram(head + `const producer = kafka.producer();\nawait producer.connect();\nconst r = await producer.send({ topic: 'fresh', messages: [{ value: 'hi' }] });\nconsole.log(JSON.stringify(r));\nawait producer.disconnect();\n`);
    expect(lines(run)).toEqual(['[{"topicName":"fresh","partition":0,"errorCode":0,"baseOffset":"0","logAppendTime":"-1","logStartOffset":"0"}]']);
    expect(run.trace.some((e) => e.kind === 'kafka-topic-created' && e.topic === 'fresh' && e.partitions.length === 1)).toBe(true);
  });

  test('consumer.run before subscribe, then subscribe: "Cannot subscribe to topic while consumer is running"', async () => {
    for (const run of [
      await runKafkaProgram(head + `const consumer = kafka.consumer({ groupId: 'g' });\nawait consumer.connect();\nawait consumer.run({ eachMessage: async () => {} });\nawait consumer.subscribe({ topic: 'orders' });\n`),
      await runKafkaProgram(head + `const consumer = kafka.consumer({ groupId: 'g' });\nawait consumer.connect();\nconsumer.run({ eachMessage: async () => {} });\nawait consumer.subscribe({ topic: 'orders' });\n`),
    ]) {
      expect(run.error).toMatchObject({ name: 'KafkaJSNonRetriableError', message: 'Cannot subscribe to topic while consumer is running', line: 6 });
    }
  });

  test('consumer.run without subscribe joins with no topics and waits, silently', async () => {
    const run = await runKafkaProgram(head + `const consumer = kafka.consumer({ groupId: 'g' });\nawait consumer.connect();\nawait consumer.run({ eachMessage: async () => console.log('never') });\nconsole.log('running');\n`, { untilMs: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('quiescent');
    expect(lines(run)).toEqual(['running', expect.stringMatching(/^The program is still waiting \(a consumer of group 'g'\)/)]);
    const assignment = run.trace.find((e) => e.kind === 'kafka-assignment');
    expect(assignment?.kind === 'kafka-assignment' && assignment.assignment.every((a) => a.topics.length === 0)).toBe(true);
  });

  test('argument mistakes fail synchronously or at once, with kafkajs\'s messages', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [`const { Kafka } = require('kafkajs');\nconst kafka = Kafka({ clientId: 'app', brokers: ['localhost:9092'] });\n`,
        { name: 'TypeError', message: "Class constructor Client cannot be invoked without 'new'", line: 2 }],
      [head + `kafka.consumer();\n`, { name: 'KafkaJSNonRetriableError', message: 'Consumer groupId must be a non-empty string.' }],
      [head + `kafka.consumer({ groupId: 'g', sessionTimeout: 3000, heartbeatInterval: 3000 });\n`, {
        name: 'KafkaJSNonRetriableError',
        message: 'Consumer heartbeatInterval (3000) must be lower than sessionTimeout (3000). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.',
      }],
      [head + `const p = kafka.producer();\nawait p.connect();\nawait p.send({ topic: 'orders', messages: [{ key: 'k' }] });\n`,
        { name: 'KafkaJSNonRetriableError', message: 'Invalid message without value for topic "orders": {"key":"k"}' }],
      [head + `const p = kafka.producer();\nawait p.connect();\nawait p.send({ topic: '', messages: [{ value: 'v' }] });\n`,
        { name: 'KafkaJSNonRetriableError', message: 'Invalid topic' }],
      [head + `const p = kafka.producer({ idempotent: true });\nawait p.connect();\nawait p.send({ topic: 'o', acks: 1, messages: [{ value: 'v' }] });\n`,
        { name: 'KafkaJSNonRetriableError', message: "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees" }],
      [head + `const p = kafka.producer();\nawait p.connect();\nawait p.disconnect();\nawait p.send({ topic: 'orders', messages: [{ value: 'x' }] });\n`,
        { name: 'KafkaJSError', message: 'The producer is disconnected' }],
      [`const { Kafka } = require('kafkajs');\nconst kafka = new Kafka({ clientId: 'app' });\nawait kafka.producer().connect();\n`,
        { name: 'KafkaJSNonRetriableError', message: 'Failed to connect: brokers should not be null' }],
      [head + `const c = kafka.consumer({ groupId: 'g' });\nawait c.connect();\nawait c.commitOffsets([{ topic: 'orders', partition: 0, offset: '1' }]);\n`,
        { name: 'KafkaJSNonRetriableError', message: 'Consumer group was not initialized, consumer#run must be called first' }],
      [head + `const c = kafka.consumer({ groupId: 'g' });\nc.on('consumer.nope', () => {});\n`,
        { name: 'KafkaJSNonRetriableError', message: expect.stringMatching(/^Event name should be one of consumer\.events\.HEARTBEAT, consumer\.events\.COMMIT_OFFSETS/) }],
    ];
    for (const [source, error] of cases) {
      const run = await runKafkaProgram(source);
      expect(run.error, source).toMatchObject(error);
    }
  });

  test('message.value.toUpperCase() (a Buffer, not a string): TypeError crashes the consumer for good', async () => {
    const run = await runKafkaProgram(head + `const producer = kafka.producer();
await producer.connect();
await producer.send({ topic: 'orders', messages: [{ value: 'hello' }] });
const consumer = kafka.consumer({ groupId: 'g' });
await consumer.connect();
await consumer.subscribe({ topic: 'orders', fromBeginning: true });
consumer.on(consumer.events.CRASH, (e) => console.log('crash:', e.payload.error.name, '|', e.payload.error.message, '| restart:', e.payload.restart));
await consumer.run({ eachMessage: async ({ message }) => { console.log(message.value.toUpperCase()); } });
await producer.disconnect();
`);
    expect(run.error).toBeUndefined();
    expect(lines(run)).toEqual(['crash: KafkaJSNonRetriableError | message.value.toUpperCase is not a function | restart: false']);
    expect(run.logs.map((l) => JSON.parse(l.line).message)).toEqual(expect.arrayContaining([
      '[Runner] Error when calling eachMessage',
      '[Consumer] Crash: KafkaJSNonRetriableError: message.value.toUpperCase is not a function',
      '[Consumer] Stopped',
    ]));
  });

  test('a session timeout the broker refuses crashes the consumer; run() still resolves', async () => {
    const run = await runKafkaProgram(head + `const consumer = kafka.consumer({ groupId: 'g', sessionTimeout: 1000, heartbeatInterval: 300 });
await consumer.connect();
await consumer.subscribe({ topic: 'orders' });
consumer.on(consumer.events.CRASH, (e) => console.log('crash:', e.payload.error.name, e.payload.error.type, e.payload.restart));
await consumer.run({ eachMessage: async () => {} });
console.log('run resolved');
`);
    expect(lines(run)).toEqual(['crash: KafkaJSProtocolError INVALID_SESSION_TIMEOUT false', 'run resolved']);
  });

  test('createTopics: true, then false for a topic that exists; an impossible replication factor is a KafkaJSAggregateError', async () => {
    const run = await runKafkaProgram(head + `const admin = kafka.admin();
await admin.connect();
console.log(await admin.createTopics({ topics: [{ topic: 't' }] }), await admin.createTopics({ topics: [{ topic: 't' }] }));
try {
  await admin.createTopics({ topics: [{ topic: 'u', replicationFactor: 3 }] });
} catch (e) {
  console.log(e.name, e.message, e.errors.map((x) => [x.name, x.type, x.topic, x.message].join(' / ')));
}
console.log(JSON.stringify(await admin.fetchTopicOffsets('t')));
await admin.disconnect();
`);
    expect(lines(run)).toEqual([
      'true false',
      "KafkaJSAggregateError Topic creation errors [\n  'KafkaJSCreateTopicError / INVALID_REPLICATION_FACTOR / u / Replication-factor is invalid'\n]",
      '[{"partition":0,"offset":"0","high":"0","low":"0"}]',
    ]);
  });

  test('a handler that throws: kafkajs retries the batch, then crashes and restarts the consumer', async () => {
    const run = await runKafkaProgram(head + `const producer = kafka.producer();
await producer.connect();
await producer.send({ topic: 'orders', messages: [{ value: 'poison' }] });
const consumer = kafka.consumer({ groupId: 'g' });
await consumer.connect();
await consumer.subscribe({ topic: 'orders', fromBeginning: true });
let tries = 0;
consumer.on(consumer.events.CRASH, (e) => { console.log('crash:', e.payload.error.name, e.payload.error.message, 'restart:', e.payload.restart, 'after', tries, 'tries'); process.exit(0); });
await consumer.run({ eachMessage: async () => { tries++; throw new Error('boom'); } });
`, { untilMs: 120_000 });
    expect(lines(run)).toEqual(['crash: KafkaJSNumberOfRetriesExceeded boom restart: true after 6 tries']);
  });
});
