// basic.qos prefetch 2 without acks: the consumer holds at most two unacked messages; acking one lets exactly one
// more through. checkQueue's messageCount counts ready messages only (not the unacked ones).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-05-prefetch';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (let i = 1; i <= 5; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));

await ch.prefetch(2);
const delivered = [];
await ch.consume(queue, (msg) => msg !== null && delivered.push(msg));
await sleep(300);
console.log('delivered:', delivered.map((m) => m.content.toString()).join(', '));
console.log('ready:', (await ch.checkQueue(queue)).messageCount);

ch.ack(delivered[0]);
await sleep(300);
console.log('after one ack, delivered:', delivered.map((m) => m.content.toString()).join(', '));
console.log('ready:', (await ch.checkQueue(queue)).messageCount);

await ch.deleteQueue(queue);
await conn.close();
