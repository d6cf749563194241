// A service of the shop that must hear about every order: billing writes the invoice,
// shipping packs the parcel. Start it with its name: `node service.mjs billing`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'ex09.order-events';
const service = process.argv[2] ?? 'billing';

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: service }, // the check knows a service by it
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'fanout', { durable: false });
// A queue for this service alone, bound to the exchange: it gets a copy of every order.
const { queue } = await channel.assertQueue('', { exclusive: true });
await channel.bindQueue(queue, EXCHANGE, '');
console.log(`${service} is listening`);

await channel.consume(queue, (msg) => {
  const order = JSON.parse(msg.content.toString());
  console.log(`${service} handles order ${order.id}`);
  channel.ack(msg);
});
