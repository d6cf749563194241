// A producer queues 12 resize jobs of different sizes, and WORKERS workers share them.
// Change WORKERS (1, 2, 4, 8…) and run again: the producer's part stays exactly the same.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'resize-jobs';
const WORKERS = 3;
// How long each job takes, in ms:
const JOB_MS = [600, 200, 200, 400, 200, 600, 200, 400, 200, 200, 600, 200];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The producer: queues the same 12 jobs, however many workers there are.
const connect = (name) => amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: name },
});
const producer = await connect('producer');
const jobs = await producer.createChannel();
await jobs.assertQueue(QUEUE);
await jobs.purgeQueue(QUEUE); // start from an empty queue
JOB_MS.forEach((ms, i) => {
  const json = JSON.stringify({ job: i + 1, ms });
  jobs.sendToQueue(QUEUE, Buffer.from(json));
});
const queuedAt = Date.now();

// The workers: each takes one job at a time (prefetch 1) and acknowledges it when done.
const finished = [];
let allFinished;
const done = new Promise((resolve) => { allFinished = resolve; });

async function startWorker(n) {
  const connection = await connect(`worker ${n}`);
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  await channel.consume(QUEUE, async (msg) => {
    const text = msg.content.toString();
    const { job, ms } = JSON.parse(text);
    await sleep(ms); // the work
    channel.ack(msg);
    finished.push(job);
    const at = ((Date.now() - queuedAt) / 1000).toFixed(1);
    console.log(`worker ${n} finished job ${job} (${ms} ms) at ${at} s`);
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
const total = ((Date.now() - queuedAt) / 1000).toFixed(1);
const workers = `${WORKERS} worker${WORKERS === 1 ? '' : 's'}`;
console.log(`${JOB_MS.length} jobs, ${workers}: all done ${total} s after queueing`);
console.log(`finished in this order: ${finished.join(', ')}`);
for (const stop of stops) await stop();
await producer.close();
