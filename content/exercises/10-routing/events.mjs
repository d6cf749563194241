// The shop's event feed: publishes one event per routing key to a topic
// exchange. Keys read <region>.<country>.<kind>, and an express order has
// a fourth word: eu.fr.order.express.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'ex10.shop-events';
const KEYS = [
  'eu.fr.order', 'us.ny.order', 'eu.de.refund', 'eu.fr.order.express',
  'us.ca.refund', 'eu.it.order', 'us.ny.order.express', 'eu.fr.refund',
  'asia.jp.order',
];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'events' },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'topic', { durable: false });
for (const [i, key] of KEYS.entries()) {
  channel.publish(EXCHANGE, key, Buffer.from(`event ${i + 1}`));
  await sleep(100);
}
console.log(`published ${KEYS.length} events`);
await channel.close();
await connection.close();
