// checkQueue on a queue that does not exist: the server closes the channel with 404 NOT_FOUND; the promise
// rejects, the channel emits 'error' then 'close', and further operations on it fail.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const queue = 'conf-14-no-such-queue';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
ch.on('error', (err) => console.log('channel error event:', err.message));
ch.on('close', () => console.log('channel close event'));

try {
  await ch.checkQueue(queue);
  console.log('unexpected: the queue exists');
} catch (err) {
  console.log('checkQueue rejected:', err.message);
  console.log('reply code:', err.code);
}

try {
  await ch.assertQueue('conf-14-other');
} catch (err) {
  console.log('next call on the closed channel:', err.name, '-', err.message);
}

const fresh = await conn.createChannel();
const ok = await fresh.assertQueue('conf-14-other', { durable: false });
console.log('a new channel works:', ok.queue);
await fresh.deleteQueue('conf-14-other');
await conn.close();
