// A price server in the "one file per process" style: answers each request on the queue `mqlab_price_requests`
// with the price of the item named in its body, sent to the request's replyTo with the same correlationId.
// Pricing the "big" items takes longer, so answers can leave in another order than the requests came.
// Runs until stopped (Ctrl+C).
import amqp from 'amqplib';

const requests = 'mqlab_price_requests';
const prices = { apple: 3, pear: 4, 'big melon': 12, plum: 2 };
const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const channel = await connection.createChannel();
await channel.assertQueue(requests, { durable: false });
await channel.prefetch(4);
console.log('price server ready');
await channel.consume(requests, (msg) => {
  const item = msg.content.toString();
  const { replyTo, correlationId } = msg.properties;
  const delay = item.startsWith('big') ? 600 : 100;
  console.log(`pricing ${item} (request ${correlationId})`);
  setTimeout(() => {
    const price = prices[item] ?? -1;
    channel.sendToQueue(replyTo, Buffer.from(String(price)), { correlationId });
    channel.ack(msg);
  }, delay);
});
