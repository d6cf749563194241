// queue.delete: reports the messages it removed; a consumer of the deleted queue is cancelled by the server and
// its callback receives null.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-13-delete';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (let i = 1; i <= 3; i++) ch.sendToQueue(queue, Buffer.from(`d${i}`));
await sleep(300);

const consumerChannel = await conn.createChannel();
await consumerChannel.prefetch(1);
const seen = [];
await consumerChannel.consume(queue, (msg) => seen.push(msg === null ? null : msg.content.toString()));
await sleep(300);

const deleted = await ch.deleteQueue(queue);
console.log('delete reply:', deleted);
await sleep(300);
console.log('consumer saw:', seen);

const again = await ch.deleteQueue(queue);
console.log('deleting a missing queue:', again);
await conn.close();
