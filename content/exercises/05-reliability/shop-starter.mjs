// The shop: six orders come in at once, and the shop puts each one in the queue for the
// packing worker, then closes its connection.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex05.orders';
const ORDERS = 6;

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });

for (let order = 1; order <= ORDERS; order++) {
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ order })));
  console.log(`order ${order} placed`);
}
// Close the channel first: its close waits until the broker has handled everything sent on it
// (closing only the connection right after publishing can lose the messages on RabbitMQ).
await channel.close();
await connection.close();
