// Overnight, the shop's uploader queued 40 product photos, and the thumbnail workers
// turn each one into a thumbnail. The shop opens 5 seconds after the photos were queued:
// five workers, each taking one photo at a time from the queue, are done in time.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'thumbnail-jobs';
const PHOTOS = 40;
const WORK_MS = 400; // one thumbnail keeps a worker busy this long; it makes one at a time

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const connect = (name) => amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: name },
});

// ── The uploader: leave it as it is ──
const uploader = await connect('uploader');
const uploads = await uploader.createChannel();
await uploads.assertQueue(QUEUE);
await uploads.purgeQueue(QUEUE); // start empty: nothing left over from an earlier run
for (let n = 1; n <= PHOTOS; n++) {
  const json = JSON.stringify({ photo: `product-${n}.jpg` });
  uploads.sendToQueue(QUEUE, Buffer.from(json));
}
const queuedAt = Date.now();
console.log(`uploader: queued ${PHOTOS} photos`);

// ── The thumbnail workers ──
const WORKERS = 5; // 40 photos × 0.4 s = 16 s of work, shared by five workers
let made = 0;
let allMade;
const finished = new Promise((resolve) => { allMade = resolve; });

async function startWorker(n) {
  const connection = await connect(`worker ${n}`);
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE);
  await channel.prefetch(1); // one photo at a time: the rest wait in the queue
  let line = Promise.resolve(); // photos wait here and are resized one after another
  await channel.consume(QUEUE, (msg) => {
    line = line.then(async () => {
      const text = msg.content.toString();
      const { photo } = JSON.parse(text);
      await sleep(WORK_MS); // resizing
      channel.ack(msg);
      made++;
      console.log(`worker ${n}: thumbnail of ${photo} (${made}/${PHOTOS})`);
      if (made === PHOTOS) allMade();
    });
  });
  // Stops the worker. Closing the channel first lets its last ack reach the broker.
  return async () => {
    await channel.close();
    await connection.close();
  };
}

const stopWorkers = [];
for (let n = 1; n <= WORKERS; n++) stopWorkers.push(await startWorker(n));

await finished;
const seconds = ((Date.now() - queuedAt) / 1000).toFixed(1);
console.log(`all ${PHOTOS} thumbnails made ${seconds} s after the photos were queued`);
for (const stop of stopWorkers) await stop();
await uploader.close();
