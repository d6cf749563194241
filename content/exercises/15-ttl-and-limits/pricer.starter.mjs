// The pricer: reprices the shop from each price update. It takes
// 500 ms per update, one at a time, so updates pile up in the queue.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex15.prices';
const AUDIT = 'ex15.audit';
const HANDLE_MS = 500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(url,
  { clientProperties: { connection_name: 'pricer' } });
const channel = await connection.createChannel();
// The audit queue: every update the pricer never handled
// should end up here.
await channel.assertQueue(AUDIT, { durable: false });
await channel.assertQueue(QUEUE, { durable: false });

await channel.prefetch(1);
await channel.consume(QUEUE, async (msg) => {
  const update = JSON.parse(msg.content.toString());
  await sleep(HANDLE_MS);
  console.log(`repriced ${update.symbol} at ${update.price}`
    + ` (update ${update.seq})`);
  channel.ack(msg);
});
console.log('pricer waiting for updates');
