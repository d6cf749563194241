// shop.mjs: the shop. It has taken eight orders and appends each to the topic "orders" (one partition).
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'shop',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] });
await admin.disconnect();

const orders = [
  { id: 1001, customer: 'rosa', amount: 42 },
  { id: 1002, customer: 'ivan', amount: 980 },
  { id: 1003, customer: 'mei', amount: 15 },
  { id: 1004, customer: 'rosa', amount: 64 },
  { id: 1005, customer: 'tariq', amount: 1250 },
  { id: 1006, customer: 'mei', amount: 33 },
  { id: 1007, customer: 'ivan', amount: 27 },
  { id: 1008, customer: 'lena', amount: 710 },
];

const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
for (const order of orders) {
  await producer.send({ topic: 'orders', messages: [{ value: JSON.stringify(order) }] });
}
console.log(`shop: ${orders.length} orders appended to "orders"`);
await producer.disconnect();
