// The shop: places five orders and closes. It starts before any
// worker exists (the run line starts the worker 3 s later), and it
// must not wait for one.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex03.orders';
const ORDERS = 5;

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
// The shop declares the queue too, with the worker's options:
// whichever program starts first creates it; for the other one the
// declaration changes nothing.
await channel.assertQueue(QUEUE, { durable: true });

for (let id = 1; id <= ORDERS; id++) {
  const order = { id, item: ['mug', 'lamp', 'scarf'][id % 3] };
  const body = Buffer.from(JSON.stringify(order));
  channel.sendToQueue(QUEUE, body, { persistent: true });
  console.log(`placed order #${id} (${order.item})`);
}

await channel.close();
await connection.close();
console.log('shop closed');
