// A flash sale: every 2 seconds the shop sends a burst of 20 orders to the queue, all at once,
// 4 bursts in all. Packing one order takes a worker 250 ms. Choose the consumer side (WORKERS
// and PREFETCH) so that every burst is packed before the next one arrives, and no order waits
// more than 900 ms for a worker to start packing it. The budget pays for at most 6 workers.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'ex07.orders';
const BURSTS = 4;
const BURST_SIZE = 20;
const BURST_EVERY_MS = 2000;
const PACK_MS = 250; // one order takes a worker this long

// The consumer side. The sale brings 10 orders a second on average, so 3 workers (about 3.7
// orders a second each) keep up with the average. But the 20th order of a burst waits behind
// 19 others: with 5 workers it starts after 3 rounds of packing (about 830 ms), with 3 workers
// after 6 rounds (about 1,640 ms).
const WORKERS = 5;
const PREFETCH = 1; // unacknowledged orders each worker may hold (0 = no limit)

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWorker(n) {
  const connection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: `worker ${n}` },
  });
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE, { durable: true });
  await channel.prefetch(PREFETCH);
  let open = true;
  let previous = Promise.resolve(); // a worker packs one order at a time, in arrival order
  await channel.consume(QUEUE, (msg) => {
    previous = previous.then(async () => {
      if (!open) return;
      const order = JSON.parse(msg.content.toString());
      await sleep(PACK_MS);
      if (!open) return; // the shop closed: the broker puts the unacked order back
      channel.ack(msg); // packed: now the broker may forget the order
      if (order.n === BURST_SIZE) {
        console.log(`worker ${n} packed order ${order.burst}-${order.n}, the last of its burst`);
      }
    });
  });
  return async () => {
    open = false;
    await connection.close();
  };
}

// The shop. It starts from an empty queue: orders left over from an earlier run are dropped.
const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });
await channel.purgeQueue(QUEUE);

const stopWorkers = [];
for (let n = 1; n <= WORKERS; n++) stopWorkers.push(await startWorker(n));

// The flash sale (keep this part as it is).
for (let burst = 1; burst <= BURSTS; burst++) {
  const { messageCount } = await channel.checkQueue(QUEUE);
  console.log(`burst ${burst}: ${messageCount} orders still waiting, ${BURST_SIZE} new ones`);
  for (let n = 1; n <= BURST_SIZE; n++) {
    channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ burst, n })), { persistent: true });
  }
  await sleep(BURST_EVERY_MS); // the last burst, too, must be packed within this time
}
const { messageCount } = await channel.checkQueue(QUEUE);
console.log(`after the sale: ${messageCount} orders still waiting in the queue`);

for (const stop of stopWorkers) await stop();
await connection.close();
