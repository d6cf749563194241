// The worker: handles the orders in ex14.orders one at a time. A
// failed order waits 1 s in ex14.retry and comes back; after its
// third failure the worker parks it in ex14.parked for a human.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex14.orders';
const RETRY = 'ex14.retry';
const PARKED = 'ex14.parked';
const RETRY_DELAY_MS = 1000;
const MAX_ATTEMPTS = 3;
const WORK_MS = 200;

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'worker' },
});
const channel = await connection.createChannel();
// Rejected orders go to the exchange ex14.retry, into the queue
// ex14.retry. Nobody consumes that one: after RETRY_DELAY_MS a
// message expires, and its queue dead-letters it back to ex14.orders.
await channel.assertExchange(RETRY, 'fanout', { durable: true });
await channel.assertQueue(RETRY, {
  durable: true,
  messageTtl: RETRY_DELAY_MS,
  deadLetterExchange: '',
  deadLetterRoutingKey: QUEUE,
});
await channel.bindQueue(RETRY, RETRY, '');
await channel.assertQueue(PARKED, { durable: true });
await channel.assertQueue(QUEUE, {
  durable: true,
  deadLetterExchange: RETRY,
});
await channel.prefetch(1);
console.log('worker ready');

function handle(order) {
  if (!Number.isInteger(order.qty)) {
    const qty = JSON.stringify(order.qty);
    throw new Error(`quantity ${qty} is no number`);
  }
  const { id, qty, item } = order;
  console.log(`handled order #${id}: ${qty} x ${item}`);
}

// Failed attempts so far: the broker counts each rejection from
// QUEUE in the message's x-death header.
function failuresSoFar(msg) {
  const deaths = msg.properties.headers?.['x-death'] ?? [];
  const entry = deaths.find(
    (d) => d.queue === QUEUE && d.reason === 'rejected',
  );
  return entry ? Number(entry.count) : 0;
}

await channel.consume(QUEUE, async (msg) => {
  const order = JSON.parse(msg.content.toString());
  await new Promise((resolve) => setTimeout(resolve, WORK_MS));
  try {
    handle(order);
    channel.ack(msg);
  } catch (err) {
    const attempt = failuresSoFar(msg) + 1;
    if (attempt < MAX_ATTEMPTS) {
      console.log(`order #${order.id} failed (attempt ${attempt}): `
        + `${err.message}; retry in ${RETRY_DELAY_MS} ms`);
      channel.nack(msg, false, false); // no requeue: dead-letter it
    } else {
      console.log(`order #${order.id} failed ${attempt} times: `
        + 'parked');
      channel.sendToQueue(PARKED, msg.content, {
        persistent: true,
        headers: msg.properties.headers,
      });
      channel.ack(msg);
    }
  }
});
