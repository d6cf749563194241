// The shop: places six orders in ex14.orders and closes. Order #3
// has a quantity no worker can read: it will fail every time.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex14.orders';
const ORDERS = [
  { id: 1, item: 'mug', qty: 2 },
  { id: 2, item: 'lamp', qty: 1 },
  { id: 3, item: 'scarf', qty: 'two' },
  { id: 4, item: 'kettle', qty: 1 },
  { id: 5, item: 'mug', qty: 4 },
  { id: 6, item: 'lamp', qty: 3 },
];

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
// The worker owns the queue and its arguments: the shop only checks
// that it exists (a 404 error if it does not, rather than losing
// orders).
await channel.checkQueue(QUEUE);

for (const order of ORDERS) {
  const body = Buffer.from(JSON.stringify(order));
  channel.sendToQueue(QUEUE, body, { persistent: true });
  console.log(`placed order #${order.id}`);
}

await channel.close();
await connection.close();
