// clicks.mjs: the web site's click tracker. It creates the topic
// "clicks" and sends 20 clicks a second for 15 seconds.
import { Kafka, Partitioners, logLevel } from 'kafkajs';

// Two partitions: one for each counter, so both share the work.
const PARTITIONS = 2;

const kafka = new Kafka({
  clientId: 'clicks',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.WARN,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [{ topic: 'clicks', numPartitions: PARTITIONS }],
});
await admin.disconnect();

const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
});
await producer.connect();
const pages = ['/home', '/shop', '/cart', '/help'];
for (let n = 1; n <= 300; n++) {
  const page = pages[n % pages.length];
  await producer.send({
    topic: 'clicks',
    messages: [{ value: JSON.stringify({ n, page }) }],
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log('clicks: 300 clicks sent');
await producer.disconnect();
