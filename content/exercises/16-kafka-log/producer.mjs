// producer.mjs: appends four sign-up events to the topic "signups", one record each, and prints their offsets.
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'signup-service',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

// One partition, so the topic is a single log. createTopics answers false if the topic exists already.
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'signups', numPartitions: 1 }] });
await admin.disconnect();

const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
for (const user of ['ana', 'ben', 'chen', 'dara']) {
  const [result] = await producer.send({ topic: 'signups', messages: [{ value: `${user} signed up` }] });
  console.log(`"${user} signed up" appended at offset ${result.baseOffset}`);
}
await producer.disconnect();
