// A worker of the "one file per process" style: takes tasks from a durable queue one at a time (prefetch 1) and
// sleeps one second per dot in the task's text, then acknowledges it. Runs until stopped (Ctrl+C).
import amqp from 'amqplib';

const queue = 'mqlab_task_queue';
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: true });
await channel.prefetch(1);
console.log('waiting for tasks');
await channel.consume(queue, (msg) => {
  const text = msg.content.toString();
  const seconds = text.split('.').length - 1;
  console.log(`received "${text}"`);
  setTimeout(() => {
    console.log(`done with "${text}" after ${seconds} s`);
    channel.ack(msg);
  }, seconds * 1000);
}, { noAck: false });
