// noAck consumers: the broker counts a message as done when it sends it; nothing comes back when the channel
// closes.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-03-fire-and-forget';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
ch.sendToQueue(queue, Buffer.from('x1'));
ch.sendToQueue(queue, Buffer.from('x2'));

const seen = [];
await ch.consume(queue, (msg) => seen.push(msg.content.toString()), { noAck: true });
await sleep(300);
console.log('auto-acked deliveries:', seen);
await ch.close();

const ch2 = await conn.createChannel();
const after = await ch2.checkQueue(queue);
console.log('ready after the consuming channel closed:', after.messageCount);

await ch2.deleteQueue(queue);
await conn.close();
