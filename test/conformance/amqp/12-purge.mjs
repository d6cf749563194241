// queue.purge: removes ready messages and reports how many; unacked deliveries are not purged.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-12-purge';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });
for (let i = 1; i <= 4; i++) ch.sendToQueue(queue, Buffer.from(`p${i}`));
await sleep(300);

const holder = await conn.createChannel();
await holder.prefetch(1);
await holder.consume(queue, () => {});
await sleep(300);

const purged = await ch.purgeQueue(queue);
console.log('purge reply:', purged);
console.log('ready after purge:', (await ch.checkQueue(queue)).messageCount);
await holder.close();
console.log('ready after the holder closed:', (await ch.checkQueue(queue)).messageCount);
console.log('second purge:', await ch.purgeQueue(queue));

await ch.deleteQueue(queue);
await conn.close();
