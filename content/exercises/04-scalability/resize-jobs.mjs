// A producer queues 12 resize jobs of different sizes, and WORKERS workers share them.
// Change WORKERS (1, 2, 4, 8…) and run again: the producer's part stays exactly the same.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'resize-jobs';
const WORKERS = 3;
const JOB_MS = [600, 200, 200, 400, 200, 600, 200, 400, 200, 200, 600, 200]; // how long each job takes

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The producer: queues the same 12 jobs, however many workers there are.
const producer = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: 'producer' } });
const producerChannel = await producer.createChannel();
await producerChannel.assertQueue(QUEUE);
await producerChannel.purgeQueue(QUEUE); // start from an empty queue
JOB_MS.forEach((ms, i) => producerChannel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ job: i + 1, ms }))));
const queuedAt = Date.now();

// The workers: each takes one job at a time (prefetch 1) and acknowledges it when done.
const finished = [];
let allFinished;
const done = new Promise((resolve) => { allFinished = resolve; });

async function startWorker(n) {
  const connection = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: `worker ${n}` } });
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  await channel.consume(QUEUE, async (msg) => {
    const { job, ms } = JSON.parse(msg.content.toString());
    await sleep(ms); // the work
    channel.ack(msg);
    finished.push(job);
    console.log(`worker ${n} finished job ${job} (${ms} ms) at ${((Date.now() - queuedAt) / 1000).toFixed(1)} s`);
    if (finished.length === JOB_MS.length) allFinished();
  });
  return async () => {
    await channel.close();
    await connection.close();
  };
}

const stops = [];
for (let n = 1; n <= WORKERS; n++) stops.push(await startWorker(n));
await done;
console.log(`${JOB_MS.length} jobs, ${WORKERS} worker${WORKERS === 1 ? '' : 's'}: all done ${((Date.now() - queuedAt) / 1000).toFixed(1)} s after queueing`);
console.log(`finished in this order: ${finished.join(', ')}`);
for (const stop of stops) await stop();
await producer.close();
