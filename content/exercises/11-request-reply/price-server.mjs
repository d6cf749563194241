// The price service: takes requests from its queue and answers each one
// on the address the request names in replyTo, with the request's own
// correlation id. Some prices take longer to look up than others.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'lesson11.prices';
const PRICES = { apple: 0.4, bread: 2.3, cheese: 6.9, milk: 1.1 };
const LOOKUP_MS = { apple: 200, bread: 300, cheese: 1500, milk: 100 };

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'price-server' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
console.log('price server is waiting for requests');

await channel.consume(QUEUE, (msg) => {
  const item = msg.content.toString();
  const { replyTo, correlationId } = msg.properties;
  setTimeout(() => {
    const price = PRICES[item];
    const answer = price === undefined ? 'unknown' : price.toFixed(2);
    // The default exchange routes the reply to the address in replyTo.
    channel.sendToQueue(replyTo, Buffer.from(answer), { correlationId });
    console.log(`answered ${correlationId}: ${item} ${answer}`);
    channel.ack(msg);
  }, LOOKUP_MS[item] ?? 100);
});
