// A service of the shop that must hear about every order: billing writes the invoice,
// shipping packs the parcel. Start it with its name: `node service.mjs billing`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex09.orders';
const service = process.argv[2] ?? 'billing';

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: service }, // the check knows a service by it
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
console.log(`${service} is listening`);

await channel.consume(QUEUE, (msg) => {
  const order = JSON.parse(msg.content.toString());
  console.log(`${service} handles order ${order.id}`);
  channel.ack(msg);
});
