// A subscriber: reacts to every user event in its own way. Start it with its role, e.g.
// `node subscriber.mjs emailer`. Each copy of this program gets every event on its own.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'lesson09.user-events';
const role = process.argv[2] ?? 'emailer';
const reactions = {
  emailer: (user) => `emails a welcome note to ${user}`,
  stats: (user) => `adds ${user} to today's sign-ups`,
  audit: (user) => `writes ${user} to the audit log`,
};
const react = reactions[role] ?? ((user) => `sees ${user}`);

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: role },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'fanout', { durable: false });
// A queue of its own: the broker picks the name (amq.gen-…), and deletes the queue
// when this connection closes. Bound to the exchange, it gets a copy of every event.
const { queue } = await channel.assertQueue('', { exclusive: true });
await channel.bindQueue(queue, EXCHANGE, '');
console.log(`${role} subscribed`);

await channel.consume(queue, (msg) => {
  const event = JSON.parse(msg.content.toString());
  console.log(`${role} ${react(event.user)}`);
  channel.ack(msg);
});
