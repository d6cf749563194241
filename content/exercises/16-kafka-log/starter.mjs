// fraud-check.mjs: the new fraud check, started today. It must look at every order the shop has taken, the ones
// from before it existed too, and flag the large ones for review. Billing must keep invoicing as before.
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'fraud-check',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

// Set up like billing.mjs.
const consumer = kafka.consumer({ groupId: 'billing' });
await consumer.connect();
await consumer.subscribe({ topics: ['orders'] });
await consumer.run({
  eachMessage: async ({ message }) => {
    const order = JSON.parse(message.value.toString());
    const verdict = order.amount >= 500 ? 'FLAGGED for review' : 'ok';
    console.log(`fraud-check: order ${order.id} (offset ${message.offset}) ${verdict}`);
  },
});
