// Dead-lettering in one program: a queue with a dead-letter exchange,
// a consumer that rejects the order it cannot read, and what the
// broker wrote on the rejected message.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';

const connection = await amqp.connect(BROKER_URL);
const channel = await connection.createChannel();
await channel.assertExchange('l14.dlx', 'fanout', { durable: true });
await channel.assertQueue('l14.dead', { durable: true });
await channel.bindQueue('l14.dead', 'l14.dlx', '');
await channel.assertQueue('l14.orders', {
  durable: true,
  deadLetterExchange: 'l14.dlx', // rejected messages go there
});

for (const qty of [2, 'two', 1]) {
  const body = Buffer.from(JSON.stringify({ item: 'mug', qty }));
  channel.sendToQueue('l14.orders', body, { persistent: true });
}

await channel.prefetch(1);
const { consumerTag } = await channel.consume('l14.orders', (msg) => {
  const order = JSON.parse(msg.content.toString());
  if (Number.isInteger(order.qty)) {
    console.log(`ok: ${order.qty} x ${order.item}`);
    channel.ack(msg);
  } else {
    console.log(`rejected: quantity ${JSON.stringify(order.qty)}`);
    channel.nack(msg, false, false); // no requeue: dead-letter it
  }
});

await new Promise((resolve) => setTimeout(resolve, 1000));
await channel.cancel(consumerTag);

const dead = await channel.get('l14.dead', { noAck: true });
console.log(`in l14.dead: ${dead.content}`);
const [death] = dead.properties.headers['x-death'];
console.log(`x-death: count ${death.count}, reason ${death.reason},`
  + ` queue ${death.queue}, exchange "${death.exchange}",`
  + ` routing keys ${death['routing-keys'].join(', ')}`);
await connection.close();
