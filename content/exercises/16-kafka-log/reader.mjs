// reader.mjs GROUP: reads the topic "signups" as a member of consumer group GROUP, then stops after 8 seconds.
import { Kafka, logLevel } from 'kafkajs';

const groupId = process.argv[2] ?? 'mailer';
const kafka = new Kafka({
  clientId: groupId,
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

const consumer = kafka.consumer({ groupId });
await consumer.connect();
// fromBeginning counts only for a group that has never committed an offset: it starts at the oldest record
// instead of at the end of the log. A group that has committed continues where it left off.
await consumer.subscribe({ topics: ['signups'], fromBeginning: true });

let read = 0;
await consumer.run({
  eachMessage: async ({ message }) => {
    read++;
    console.log(`${groupId} read offset ${message.offset}: ${message.value}`);
  },
});

// A real reader runs until it is stopped. This one stops after 8 s (joining the group alone takes about 3 s);
// kafkajs commits the offsets it has read before it leaves.
setTimeout(async () => {
  await consumer.disconnect();
  console.log(`${groupId} stopped after reading ${read} record${read === 1 ? '' : 's'}`);
}, 8_000);
