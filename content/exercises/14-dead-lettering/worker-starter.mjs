// The worker: handles the orders in ex14.orders one at a time. When
// an order fails, it puts it back in the queue to try it again.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex14.orders';
const WORK_MS = 200;

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'worker' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });
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

await channel.consume(QUEUE, async (msg) => {
  const order = JSON.parse(msg.content.toString());
  await new Promise((resolve) => setTimeout(resolve, WORK_MS));
  try {
    handle(order);
    channel.ack(msg);
  } catch (err) {
    console.log(`order #${order.id} failed: ${err.message}`);
    channel.nack(msg, false, true); // requeue it: try again
  }
});
