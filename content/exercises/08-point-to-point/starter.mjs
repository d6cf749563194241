// Twenty photos need a thumbnail each, and two workers share the job queue: a fast
// one (100 ms per thumbnail) and a slow one, an older machine (600 ms per thumbnail).
// As it is, the batch takes far too long. Make all twenty thumbnails done sooner,
// with the same two machines.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex08.thumbnails';
const PHOTOS = 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();

// A worker renders one thumbnail at a time and acknowledges each job once it is done.
async function startWorker(name, msPerThumbnail) {
  const connection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: name },
  });
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE, { durable: false });
  let previous = Promise.resolve();
  await channel.consume(QUEUE, (msg) => {
    previous = previous.then(async () => {
      await sleep(msPerThumbnail); // rendering: this machine's speed, keep it
      console.log(`${name}: ${msg.content.toString()} at ${Date.now() - started} ms`);
      channel.ack(msg);
    });
  });
  return connection;
}

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'uploader' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
await channel.purgeQueue(QUEUE); // start from an empty queue
const workers = [
  await startWorker('fast worker', 100),
  await startWorker('slow worker', 600),
];

for (let i = 1; i <= PHOTOS; i++) channel.sendToQueue(QUEUE, Buffer.from(`photo-${i}.jpg`));

await sleep(8000); // time enough for the slowest batch, then shut down
for (const c of [...workers, connection]) await c.close();
