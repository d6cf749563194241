// uploads.mjs: the photo site. Twelve photos were uploaded;
// it appends one record per photo to the topic "photos".
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'uploads',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.WARN,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [{ topic: 'photos', numPartitions: 1 }],
});
await admin.disconnect();

const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
});
await producer.connect();
for (let n = 1; n <= 12; n++) {
  await producer.send({
    topic: 'photos',
    messages: [{ value: `photo-${n}.jpg` }],
  });
}
console.log('uploads: 12 photos appended to "photos"');
await producer.disconnect();
