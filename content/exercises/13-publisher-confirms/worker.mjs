// The worker: ships the orders in ex13.orders, one at a time.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex13.orders';

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'worker' },
});
const channel = await connection.createChannel();
const queue = await channel.assertQueue(QUEUE, { durable: true });
console.log(`worker started: ${queue.messageCount} orders waiting`);
await channel.prefetch(1);

await channel.consume(QUEUE, (msg) => {
  const order = JSON.parse(msg.content.toString());
  console.log(`shipped order #${order.id}`);
  channel.ack(msg);
});
