// The worker: packs orders from the queue, one at a time. It creates
// the queue when it starts.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex03.orders';
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
