// jobs.mjs COUNT: sends COUNT jobs to the topic "jobs", one every
// half second, spread over its partitions in turn.
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const count = Number(process.argv[2] ?? 6);
const kafka = new Kafka({
  clientId: 'jobs',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.WARN,
});

const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
});
await producer.connect();
for (let n = 1; n <= count; n++) {
  await producer.send({
    topic: 'jobs',
    messages: [{ value: `job ${n}` }],
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
}
await producer.disconnect();
