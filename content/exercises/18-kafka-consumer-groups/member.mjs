// member.mjs NAME [JOBS]: one member of the consumer group
// "resizers" on the topic "jobs" (two partitions). It prints the
// partitions it owns after every rebalance; given JOBS, it leaves
// the group once it has done that many jobs.
import { Kafka, logLevel } from 'kafkajs';

const [name = 'member', limit] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: name,
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.ERROR,
});

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [{ topic: 'jobs', numPartitions: 2 }],
});
await admin.disconnect();

const consumer = kafka.consumer({ groupId: 'resizers' });
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
  const mine = payload.memberAssignment.jobs ?? [];
  const owns = mine.length > 0
    ? `partitions ${mine.join(', ')}` : 'no partition (idle)';
  console.log(`${name} owns ${owns}`);
});
await consumer.connect();
await consumer.subscribe({ topics: ['jobs'], fromBeginning: true });
let done = 0;
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    console.log(`${name} did ${message.value} (p${partition})`);
    done++;
    if (String(done) === limit) {
      // Leave after this handler returns (kafkajs then commits).
      setTimeout(async () => {
        await consumer.disconnect();
        console.log(`${name} left the group`);
      }, 0);
    }
  },
});
