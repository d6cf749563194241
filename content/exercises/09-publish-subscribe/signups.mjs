// The publisher: announces each new user to whoever is subscribed. It knows the exchange,
// not the subscribers. Start it with the number of sign-ups: `node signups.mjs 3`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'lesson09.user-events';
const count = Number(process.argv[2] ?? 3);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'sign-ups' },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'fanout', { durable: false });

for (let i = 1; i <= count; i++) {
  const event = { type: 'user.signed-up', user: `user-${i}` };
  // A fanout exchange ignores the routing key: '' is as good as any.
  channel.publish(EXCHANGE, '', Buffer.from(JSON.stringify(event)));
  console.log(`published: user-${i} signed up`);
  await sleep(300);
}
await channel.close();
await connection.close();
