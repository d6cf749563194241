// One queue, one consumer: in which order are the messages handled, and what does a
// message that fails and goes back to the queue do to that order? Run it, then set
// PREFETCH to 1 and run it again.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'lesson08.steps';
const PREFETCH = 0; // unacknowledged messages the consumer may hold; 0 = no limit
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL);
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
await channel.purgeQueue(QUEUE); // start from an empty queue
for (let i = 1; i <= 6; i++) channel.sendToQueue(QUEUE, Buffer.from(`step ${i}`));
if (PREFETCH > 0) await channel.prefetch(PREFETCH);

// The consumer handles one message at a time, in the order they reach it.
const handled = [];
let failedOnce = false;
let previous = Promise.resolve();
async function handle(msg) {
  const step = msg.content.toString();
  await sleep(50); // the work
  if (step === 'step 3' && !failedOnce) {
    failedOnce = true; // step 3 fails the first time: back to the queue with it
    console.log(`${step} failed, requeued`);
    channel.nack(msg, false, true);
    return;
  }
  console.log(`${step} done${msg.fields.redelivered ? ' (redelivered)' : ''}`);
  handled.push(step.slice(5));
  channel.ack(msg);
}
await channel.consume(QUEUE, (msg) => {
  previous = previous.then(() => handle(msg));
});

await sleep(1000);
console.log(`handled in the order ${handled.join(', ')}`);
await connection.close();
