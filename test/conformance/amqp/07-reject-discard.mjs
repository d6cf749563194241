// reject without requeue: the broker drops the message (no dead-letter exchange is set), it is never redelivered.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-07-reject';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
ch.sendToQueue(queue, Buffer.from('poison'));
ch.sendToQueue(queue, Buffer.from('fine'));

const seen = [];
await ch.consume(queue, (msg) => {
  if (msg === null) return; // cancelled by the server when the queue is deleted
  const body = msg.content.toString();
  seen.push(`${body}${msg.fields.redelivered ? ' (redelivered)' : ''}`);
  if (body === 'poison') ch.reject(msg, false);
  else ch.ack(msg);
});
await sleep(300);
console.log('deliveries:', seen.join(' | '));
console.log('ready:', (await ch.checkQueue(queue)).messageCount);

await ch.deleteQueue(queue);
await conn.close();
