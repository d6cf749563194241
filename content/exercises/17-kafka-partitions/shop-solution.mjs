// shop.mjs: the shop. Each customer's order goes through three events, always in this order: placed, paid,
// shipped. The shop appends every event to the topic "order-events" (three partitions).
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'shop',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'order-events', numPartitions: 3 }] });
await admin.disconnect();

const customers = ['ana', 'ben', 'chen', 'dara'];
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
for (const event of ['placed', 'paid', 'shipped']) {
  for (const customer of customers) {
    await producer.send({
      topic: 'order-events',
      // The customer as the key: all of one customer's events go to the same partition, in order.
      messages: [{ key: customer, value: JSON.stringify({ customer, event }) }],
    });
  }
}
console.log(`shop: ${customers.length * 3} events sent`);
await producer.disconnect();
