// What does a broker restart keep? Two queues, one durable and one not, each get a persistent
// and a transient message. Then the program waits while the broker restarts, connects again
// and looks at what is left.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUES = [
  { name: 'lesson05.durable', durable: true },
  { name: 'lesson05.not-durable', durable: false },
];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL);
const closed = new Promise((resolve) => connection.on('close', resolve));
const channel = await connection.createChannel();
for (const queue of QUEUES) {
  await channel.deleteQueue(queue.name); // start from nothing
  await channel.assertQueue(queue.name, { durable: queue.durable });
  channel.sendToQueue(queue.name, Buffer.from('persistent'), { persistent: true });
  channel.sendToQueue(queue.name, Buffer.from('transient'), { persistent: false });
}
for (const queue of QUEUES) {
  const { messageCount } = await channel.checkQueue(queue.name);
  console.log(`${queue.name}: ${messageCount} messages`);
}
console.log('waiting for the broker to restart...');

const error = await closed;
console.log(`the broker closed the connection (${error.code})`);

// Connect again: refused while the broker is down, so try every second.
let again;
let refused = false;
while (again === undefined) {
  try {
    again = await amqp.connect(BROKER_URL);
  } catch (err) {
    if (!refused) console.log(`refused (${err.code}), trying again`);
    refused = true;
    await sleep(1000);
  }
}
console.log('connected again; what is left:');

for (const queue of QUEUES) {
  const probe = await again.createChannel();
  probe.on('error', () => {}); // checking a queue that is gone closes the channel
  try {
    await probe.checkQueue(queue.name);
    const left = [];
    let msg;
    while ((msg = await probe.get(queue.name, { noAck: true }))) left.push(msg.content.toString());
    console.log(`${queue.name}: ${left.join(', ') || 'empty'}`);
    await probe.deleteQueue(queue.name); // clean up
    await probe.close();
  } catch {
    console.log(`${queue.name}: gone`);
  }
}
await again.close();
