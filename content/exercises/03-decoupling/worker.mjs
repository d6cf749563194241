// A worker: takes orders from the queue and packs them one at a time.
// It knows the broker's address, the queue's name and what an order
// looks like; it has never heard of the shop.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'l03.orders';
const PACK_MS = 400;

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'worker' },
});
const channel = await connection.createChannel();
const queue = await channel.assertQueue(QUEUE, { durable: true });
console.log(`worker started: ${queue.messageCount} orders waiting`);
await channel.prefetch(1);

await channel.consume(QUEUE, async (msg) => {
  const order = JSON.parse(msg.content.toString());
  await new Promise((resolve) => setTimeout(resolve, PACK_MS));
  console.log(`packed order #${order.id} (${order.item})`);
  channel.ack(msg);
});
