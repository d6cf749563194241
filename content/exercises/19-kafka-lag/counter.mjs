// counter.mjs: one member of the consumer group "analytics". It
// counts page views; each click takes it 100 ms to record.
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'counter',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.WARN,
});

const views = {};
const consumer = kafka.consumer({ groupId: 'analytics' });
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  const mine = payload.memberAssignment.clicks ?? [];
  console.log(`owns ${mine.length > 0
    ? `partitions ${mine.join(', ')}` : 'no partition'}`);
});
await consumer.connect();
await consumer.subscribe({ topics: ['clicks'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const { n, page } = JSON.parse(message.value.toString());
    await new Promise((resolve) => setTimeout(resolve, 100));
    views[page] = (views[page] ?? 0) + 1;
    if (n % 50 === 0) console.log(`click ${n} recorded`);
  },
});
