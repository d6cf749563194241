// A shop publishes 20 orders to the "orders" queue; three workers ship them, one order at a time.
// Worker 2 crashes while it is busy; with manual acknowledgements its unfinished orders go back to the queue.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'orders';
const ORDER_COUNT = 20;
const WORK_MS = 200; // time a worker needs to ship one order
const CRASH_AFTER_MS = 500; // worker 2 crashes this long after its first order arrives

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWorker(n) {
  const connection = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: `worker ${n}` } });
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE);
  await channel.prefetch(1); // take one order at a time: the rest stay in the queue for the other workers
  let alive = true;
  let line = Promise.resolve(); // orders wait here and are shipped one after another
  let crashPlanned = false;

  // The crash: the process dies, and with it its connection to the broker.
  const crash = () => {
    alive = false;
    console.error(`worker ${n} crashed!`);
    connection.close();
  };

  await channel.consume(QUEUE, (msg) => {
    if (n === 2 && !crashPlanned) {
      crashPlanned = true;
      setTimeout(crash, CRASH_AFTER_MS);
    }
    line = line.then(async () => {
      if (!alive) return;
      const order = JSON.parse(msg.content.toString());
      await sleep(WORK_MS);
      if (!alive) return; // died in the middle of this order
      console.log(`worker ${n} shipped order #${order.id}`);
      channel.ack(msg); // only now may the broker forget the order
    });
  }, { noAck: false });

  return async () => {
    if (alive) await connection.close();
  };
}

const stopWorkers = [];
for (const n of [1, 2, 3]) stopWorkers.push(await startWorker(n));

const connection = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: 'shop' } });
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE);
for (let id = 1; id <= ORDER_COUNT; id++) {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ id })));
}
console.log(`shop published ${ORDER_COUNT} orders`);

await sleep(4000); // plenty of time for the workers to finish
for (const stop of stopWorkers) await stop();
await connection.close();
