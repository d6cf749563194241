// The shop: places a few orders and closes. It knows the broker's
// address and the name of a queue, nothing more: not who handles the
// orders, how many workers there are, or whether any of them is
// running right now.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'l03.orders';
const ORDERS = Number(process.argv[2] ?? 5);

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });

for (let id = 1; id <= ORDERS; id++) {
  const order = { id, item: ['mug', 'lamp', 'scarf'][id % 3] };
  const body = Buffer.from(JSON.stringify(order));
  channel.sendToQueue(QUEUE, body, { persistent: true });
  console.log(`placed order #${id} (${order.item})`);
}

await channel.close();
await connection.close();
console.log('shop closed: its part is done');
