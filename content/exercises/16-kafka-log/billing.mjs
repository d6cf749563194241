// billing.mjs: the billing service, running since the shop opened. It invoices every order once, in its own
// consumer group "billing", and keeps running, waiting for new orders.
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'billing',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

const consumer = kafka.consumer({ groupId: 'billing' });
await consumer.connect();
await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    const order = JSON.parse(message.value.toString());
    console.log(`billing: invoiced order ${order.id} (offset ${message.offset})`);
  },
});
