// Two consumers on one queue share its messages in turn (round-robin dispatch).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-04-shared';

const conn = await amqp.connect(url);
const chA = await conn.createChannel();
const chB = await conn.createChannel();
await chA.assertQueue(queue, { durable: false });

const got = { A: [], B: [] };
await chA.consume(queue, (msg) => { if (msg === null) return; got.A.push(msg.content.toString()); chA.ack(msg); });
await chB.consume(queue, (msg) => { if (msg === null) return; got.B.push(msg.content.toString()); chB.ack(msg); });

const publisher = await conn.createChannel();
for (let i = 1; i <= 6; i++) publisher.sendToQueue(queue, Buffer.from(`m${i}`));
await sleep(300);

console.log('consumer A got', got.A.join(' '));
console.log('consumer B got', got.B.join(' '));
console.log('total', got.A.length + got.B.length);

await publisher.deleteQueue(queue);
await conn.close();
