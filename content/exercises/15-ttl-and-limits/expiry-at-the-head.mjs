// Per-message TTL: each message carries its own expiry, but the
// broker only looks at the one at the head of the queue.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'lesson15.offers';
const EXPIRED = 'lesson15.offers.expired';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await channel.deleteQueue(QUEUE);
await channel.deleteQueue(EXPIRED);
await channel.assertQueue(EXPIRED, { durable: false });
// Expired messages go, through the default exchange, to EXPIRED.
await channel.assertQueue(QUEUE, {
  durable: false,
  deadLetterExchange: '',
  deadLetterRoutingKey: EXPIRED,
});

// expiration is a string: milliseconds, written as text.
const offers = [
  ['weekly offer', '5000'],
  ['flash sale', '1000'],
  ['catalogue', undefined],
];
for (const [text, expiration] of offers) {
  channel.sendToQueue(QUEUE, Buffer.from(text), { expiration });
}

await sleep(2000);
const { messageCount } = await channel.checkQueue(QUEUE);
console.log(`after 2 s, ${messageCount} offers wait in the queue`);

for (;;) {
  const msg = await channel.get(QUEUE, { noAck: true });
  if (msg === false) break;
  console.log(`got "${msg.content}"`);
}
await sleep(100);
for (;;) {
  const msg = await channel.get(EXPIRED, { noAck: true });
  if (msg === false) break;
  const [death] = msg.properties.headers['x-death'];
  console.log(`expired "${msg.content}": x-death reason`,
    death.reason, 'from', death.queue);
}
await connection.close();
