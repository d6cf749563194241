// nack with allUpTo = true and requeue: every unacked delivery up to that tag goes back and is delivered again,
// in its original order, marked redelivered.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-09-nack-multiple';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (let i = 1; i <= 3; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));

const log = [];
const held = [];
await ch.consume(queue, (msg) => {
  if (msg === null) return; // cancelled by the server when the queue is deleted
  log.push(`${msg.content.toString()}#${msg.fields.deliveryTag}${msg.fields.redelivered ? 'R' : ''}`);
  held.push(msg);
});
await sleep(300);
ch.nack(held[1], true, true);
await sleep(300);
console.log('deliveries:', log.join(' '));
ch.ackAll();
await sleep(300);
console.log('ready after ackAll:', (await ch.checkQueue(queue)).messageCount);

await ch.deleteQueue(queue);
await conn.close();
