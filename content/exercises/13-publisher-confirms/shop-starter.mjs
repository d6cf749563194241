// The shop: places ten orders, one every 250 ms, then closes. It
// publishes and moves on: it never hears whether the broker kept
// them.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex13.orders';
const ORDERS = 10;
const pause = (ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });

for (let id = 1; id <= ORDERS; id++) {
  const body = Buffer.from(JSON.stringify({ id, item: 'lamp' }));
  channel.sendToQueue(QUEUE, body);
  console.log(`sent order #${id}`);
  await pause(250);
}

await connection.close();
console.log('shop closed');
