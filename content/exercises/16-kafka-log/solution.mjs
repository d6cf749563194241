// fraud-check.mjs: the new fraud check, started today. It must look at every order the shop has taken, the ones
// from before it existed too, and flag the large ones for review. Billing must keep invoicing as before.
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'fraud-check',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

// A group of its own: its own committed offsets, so billing's position is not touched.
const consumer = kafka.consumer({ groupId: 'fraud-check' });
await consumer.connect();
// The group has never committed an offset, so fromBeginning starts it at the oldest order.
await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const order = JSON.parse(message.value.toString());
    const verdict = order.amount >= 500 ? 'FLAGGED for review' : 'ok';
    console.log(`fraud-check: order ${order.id} (offset ${message.offset}) ${verdict}`);
  },
});
