// keys.mjs: sends records with and without keys to a topic of three partitions and prints where each one landed.
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const TOPIC = 'page-views';
const PARTITIONS = 3;

const kafka = new Kafka({
  clientId: 'keys-demo',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
  logLevel: logLevel.WARN,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
await admin.disconnect();

const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();

// With a key: the partitioner hashes the key, so the same key always gets the same partition.
for (const user of ['ana', 'ben', 'ana', 'chen', 'ben', 'ana']) {
  const [r] = await producer.send({ topic: TOPIC, messages: [{ key: user, value: `${user} viewed a page` }] });
  console.log(`key ${user.padEnd(5)} -> partition ${r.partition}, offset ${r.baseOffset}`);
}
// Without a key: the partitioner takes the partitions in turn.
for (let i = 1; i <= 4; i++) {
  const [r] = await producer.send({ topic: TOPIC, messages: [{ value: `anonymous view ${i}` }] });
  console.log(`no key    -> partition ${r.partition}, offset ${r.baseOffset}`);
}
await producer.disconnect();
