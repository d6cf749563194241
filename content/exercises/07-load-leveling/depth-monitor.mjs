// Orders arrive in bursts: 15 at once, every 3 seconds. Two workers pack them at a steady
// pace, 300 ms per order. Every half second a monitor asks the broker how many orders are
// waiting and draws the number as a bar. Run it, then try BURST_EVERY_MS = 2000: more orders
// per second on average than the workers can pack.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'lesson07.orders';
const BURSTS = 4;
const BURST_SIZE = 15;
const BURST_EVERY_MS = 3000;
const PACK_MS = 300;
const WORKERS = 2;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWorker(n) {
  const connection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: `worker ${n}` },
  });
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE, { durable: true });
  await channel.prefetch(1); // one order at a time: the rest wait in the queue, in view
  let open = true;
  await channel.consume(QUEUE, async (msg) => {
    await sleep(PACK_MS);
    if (open) channel.ack(msg);
  });
  return async () => {
    open = false;
    await connection.close();
  };
}

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });
await channel.purgeQueue(QUEUE); // start the demo from an empty queue

const stopWorkers = [];
for (let n = 1; n <= WORKERS; n++) stopWorkers.push(await startWorker(n));

// The monitor: the queue's depth (orders waiting, not counting the ones being packed).
const start = Date.now();
const monitor = setInterval(async () => {
  const { messageCount } = await channel.checkQueue(QUEUE);
  const seconds = ((Date.now() - start) / 1000).toFixed(1).padStart(4);
  console.log(`${seconds} s ${String(messageCount).padStart(2)} ${'█'.repeat(messageCount)}`);
}, 500);

// The producer: bursts.
for (let burst = 1; burst <= BURSTS; burst++) {
  for (let n = 1; n <= BURST_SIZE; n++) {
    channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ burst, n })), { persistent: true });
  }
  await sleep(BURST_EVERY_MS);
}

clearInterval(monitor);
for (const stop of stopWorkers) await stop();
await connection.close();
