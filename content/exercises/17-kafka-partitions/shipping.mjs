// shipping.mjs: one shipping worker. Three of them share the topic "order-events" in the consumer group
// "shipping". Each event takes a while to handle, some kinds longer than others.
import { Kafka, logLevel } from 'kafkajs';

const WORK_MS = { placed: 300, paid: 100, shipped: 200 };

const kafka = new Kafka({
  clientId: 'shipping',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

// Whoever starts first creates the topic with its three partitions (createTopics is false if it exists).
// A consumer subscribing to a missing topic would have it created with the broker's default of one partition.
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'order-events', numPartitions: 3 }] });
await admin.disconnect();

const consumer = kafka.consumer({ groupId: 'shipping' });
await consumer.connect();
await consumer.subscribe({ topics: ['order-events'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    const { customer, event } = JSON.parse(message.value.toString());
    await new Promise((resolve) => setTimeout(resolve, WORK_MS[event] ?? 100));
    console.log(`${customer}: ${event} (p${partition}, offset ${message.offset})`);
  },
});
