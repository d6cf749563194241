// thumbnails.mjs: makes a thumbnail of every uploaded photo, in
// the consumer group "thumbnails". Resizing takes 600 ms a photo.
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'thumbnails',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092')
    .split(','),
  logLevel: logLevel.WARN,
});

const resize = (photo) =>
  new Promise((resolve) => setTimeout(resolve, 600));

const consumer = kafka.consumer({ groupId: 'thumbnails' });
await consumer.connect();
await consumer.subscribe({ topics: ['photos'], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachMessage: async ({ topic, partition, message }) => {
    const photo = message.value.toString();
    await resize(photo);
    console.log(`thumbnail of ${photo} (offset ${message.offset})`);
    // Commit only once the thumbnail exists: a crash before this
    // line means the photo is read again, never skipped.
    const next = (Number(message.offset) + 1).toString();
    await consumer.commitOffsets([{ topic, partition, offset: next }]);
  },
});
