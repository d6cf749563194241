// Unacked deliveries go back to the queue when their channel closes, and the next consumer gets them with
// redelivered = true (in their original order).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-15-return';

const conn = await amqp.connect(url);
const setup = await conn.createChannel();
await setup.assertQueue(queue, { durable: false });
for (let i = 1; i <= 3; i++) setup.sendToQueue(queue, Buffer.from(`r${i}`));

const first = await conn.createChannel();
await first.prefetch(2);
const firstSeen = [];
await first.consume(queue, (msg) => firstSeen.push(`${msg.content.toString()}:${msg.fields.redelivered}`));
await sleep(300);
console.log('first consumer (no acks):', firstSeen.join(' '));
console.log('ready while held:', (await setup.checkQueue(queue)).messageCount);
await first.close();
console.log('ready after close:', (await setup.checkQueue(queue)).messageCount);

const second = await conn.createChannel();
const secondSeen = [];
await second.consume(queue, (msg) => {
  if (msg === null) return; // cancelled by the server when the queue is deleted
  secondSeen.push(`${msg.content.toString()}:${msg.fields.redelivered}`);
  second.ack(msg);
});
await sleep(300);
console.log('second consumer:', secondSeen.join(' '));

await setup.deleteQueue(queue);
await conn.close();
