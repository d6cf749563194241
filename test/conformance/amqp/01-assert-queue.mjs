// queue.declare: the reply's shape for a named queue, a re-declare that counts ready messages, and a
// server-named queue (declared with '' and exclusive).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const name = 'conf-01-named';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();

const first = await ch.assertQueue(name, { durable: false });
console.log('declared:', first);
console.log('keys:', Object.keys(first).join(','));

ch.sendToQueue(name, Buffer.from('one'));
ch.sendToQueue(name, Buffer.from('two'));
await sleep(300);
const again = await ch.assertQueue(name, { durable: false });
console.log('declared again:', again.queue, again.messageCount, again.consumerCount);

const serverNamed = await ch.assertQueue('', { exclusive: true });
console.log('server-named starts with amq.gen-:', serverNamed.queue.startsWith('amq.gen-'));
console.log('server-named counts:', serverNamed.messageCount, serverNamed.consumerCount);

await ch.deleteQueue(name);
await ch.deleteQueue(serverNamed.queue);
await conn.close();
