// The packing worker: takes orders from the queue and packs them. Packing one order takes a
// second. Tonight the worker's process will be killed in the middle of an order, the broker
// will be restarted while the worker is down, and then the worker is started again.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex05.orders';
const PACK_MS = 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'packing worker' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
await channel.prefetch(1);
console.log('waiting for orders');

await channel.consume(QUEUE, async (msg) => {
  const { order } = JSON.parse(msg.content.toString());
  const again = msg.fields.redelivered ? ' (delivered before)' : '';
  console.log(`packing order ${order}${again}`);
  await sleep(PACK_MS);
  console.log(`packed order ${order}`);
}, { noAck: true });
