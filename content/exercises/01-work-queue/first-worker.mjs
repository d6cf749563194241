// One producer, one queue, two workers sharing the work. Run it, then change it:
// give worker B slower jobs, add a third worker, or set prefetch to 0 and watch who gets what.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'photos';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWorker(name, jobMs) {
  const connection = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: name } });
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE);
  await channel.prefetch(1); // at most one unacknowledged photo per worker
  await channel.consume(QUEUE, async (msg) => {
    const photo = msg.content.toString();
    console.log(`${name} resizes ${photo}`);
    await sleep(jobMs);
    channel.ack(msg); // done: the broker may forget this photo now
  });
  return connection;
}

const workers = [await startWorker('worker A', 300), await startWorker('worker B', 500)];

const connection = await amqp.connect(BROKER_URL, { clientProperties: { connection_name: 'web server' } });
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE);
for (let i = 1; i <= 6; i++) {
  channel.sendToQueue(QUEUE, Buffer.from(`photo-${i}.jpg`));
}
console.log('web server queued 6 photos');

await sleep(2500); // let the workers finish, then shut everything down
for (const c of [...workers, connection]) await c.close();
