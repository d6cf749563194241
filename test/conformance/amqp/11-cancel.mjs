// basic.cancel: after cancelling, the consumer gets nothing more and new messages stay ready in the queue.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-11-cancel';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });

const seen = [];
const { consumerTag } = await ch.consume(queue, (msg) => {
  seen.push(msg === null ? 'null' : msg.content.toString());
  if (msg !== null) ch.ack(msg);
});
ch.sendToQueue(queue, Buffer.from('before-cancel'));
await sleep(300);

const reply = await ch.cancel(consumerTag);
// amqplib 0.10's cancel() resolves with undefined (its implementation drops the basic.cancel-ok fields).
console.log('cancel resolved with:', reply);
ch.sendToQueue(queue, Buffer.from('after-cancel'));
await sleep(300);

console.log('consumer saw:', seen);
const info = await ch.checkQueue(queue);
console.log('ready:', info.messageCount, 'consumers:', info.consumerCount);

await ch.deleteQueue(queue);
await conn.close();
