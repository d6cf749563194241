// nack with requeue: the message goes back to the head of the queue and is delivered again with redelivered = true.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-06-retry';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (const body of ['first', 'second', 'third']) ch.sendToQueue(queue, Buffer.from(body));

await ch.prefetch(1);
let refused = false;
await ch.consume(queue, (msg) => {
  if (msg === null) return; // cancelled by the server when the queue is deleted
  const body = msg.content.toString();
  console.log('got', body, 'redelivered:', msg.fields.redelivered);
  if (body === 'first' && !refused) {
    refused = true;
    ch.nack(msg, false, true);
  } else {
    ch.ack(msg);
  }
});
await sleep(300);
console.log('ready at the end:', (await ch.checkQueue(queue)).messageCount);

await ch.deleteQueue(queue);
await conn.close();
