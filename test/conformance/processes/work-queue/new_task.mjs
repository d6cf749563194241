// Publishes N tasks (N = first argument, default 4) to the durable task queue as persistent messages, with
// 1, 3, 1, 3, … dots (seconds of work), then closes the connection and exits half a second later.
import amqp from 'amqplib';

const queue = 'mqlab_task_queue';
const count = Number(process.argv[2] ?? 4);
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: true });
for (let i = 1; i <= count; i++) {
  const text = `task ${i} ${'.'.repeat(i % 2 === 1 ? 1 : 3)}`;
  channel.sendToQueue(queue, Buffer.from(text), { persistent: true });
  console.log(`sent "${text}"`);
}
setTimeout(() => {
  connection.close();
  process.exit(0);
}, 500);
