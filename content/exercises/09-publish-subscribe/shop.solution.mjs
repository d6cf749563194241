// The shop: places orders and tells the other services about each one.
// Start it with the number of orders: `node shop.mjs 6`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'ex09.order-events';
const count = Number(process.argv[2] ?? 6);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'fanout', { durable: false });

for (let id = 1; id <= count; id++) {
  const order = { id, total: 10 * id };
  // To the exchange, not to a queue: every queue bound to it gets a copy.
  channel.publish(EXCHANGE, '', Buffer.from(JSON.stringify(order)));
  console.log(`shop placed order ${id}`);
  await sleep(200);
}
await channel.close();
await connection.close();
