// ack with allUpTo = true acknowledges every unacked delivery up to and including that tag; the one after it is
// still unacked and returns to the queue when the channel closes.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-08-ack-multiple';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (let i = 1; i <= 4; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));

const held = [];
await ch.consume(queue, (msg) => msg !== null && held.push(msg));
await sleep(300);
console.log('holding tags:', held.map((m) => m.fields.deliveryTag).join(','));
ch.ack(held[2], true);
await sleep(300);
await ch.close();

const ch2 = await conn.createChannel();
const after = await ch2.checkQueue(queue);
console.log('ready after closing the channel:', after.messageCount);
const back = await ch2.get(queue, { noAck: true });
console.log('returned message:', back.content.toString(), 'redelivered:', back.fields.redelivered);

await ch2.deleteQueue(queue);
await conn.close();
