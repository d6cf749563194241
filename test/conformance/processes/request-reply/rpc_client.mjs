// A client that asks the price server for the prices of the items given on its command line, all at once, over
// RabbitMQ's direct reply-to: it consumes the pseudo-queue amq.rabbitmq.reply-to (no acks) before publishing,
// and matches each answer to its question by correlationId, whatever order the answers come in.
// Usage: node rpc_client.mjs apple "big melon" plum
import amqp from 'amqplib';

const items = process.argv.slice(2);
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const channel = await connection.createChannel();
const pending = new Map();
await channel.consume('amq.rabbitmq.reply-to', (msg) => {
  const id = msg.properties.correlationId;
  const resolve = pending.get(id);
  if (resolve === undefined) {
    console.log(`ignored an answer for unknown request ${id}`);
    return;
  }
  pending.delete(id);
  resolve(Number(msg.content.toString()));
}, { noAck: true });

const ask = (item, n) => new Promise((resolve) => {
  const correlationId = `q${n}`;
  pending.set(correlationId, (price) => {
    console.log(`answer to ${correlationId}: ${item} costs ${price}`);
    resolve(price);
  });
  channel.sendToQueue('mqlab_price_requests', Buffer.from(item), {
    correlationId, replyTo: 'amq.rabbitmq.reply-to',
  });
  console.log(`asked ${correlationId}: ${item}`);
});

const total = (await Promise.all(items.map(ask))).reduce((a, b) => a + b, 0);
console.log(`total ${total}`);
await channel.close();
await connection.close();
