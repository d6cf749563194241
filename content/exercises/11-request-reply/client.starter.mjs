// The checkout: asks the shipping service for a quote for every parcel
// of an order, all at once, and prints the cost of each parcel.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex11.shipping-quotes';
const PARCELS = [
  { to: 'JP', kg: 1 },
  { to: 'FR', kg: 2 },
  { to: 'US', kg: 3 },
  { to: 'DE', kg: 5 },
];

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'checkout' },
});
const channel = await connection.createChannel();

// Requests waiting for a reply, oldest first.
const waiting = [];
await channel.consume('amq.rabbitmq.reply-to', (msg) => {
  const resolve = waiting.shift(); // the reply goes to the oldest request
  resolve?.(msg.content.toString());
}, { noAck: true });

let lastId = 0;
function quote(parcel) {
  const correlationId = `quote-${++lastId}`;
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(parcel)), {
      replyTo: 'amq.rabbitmq.reply-to',
      correlationId,
    });
  });
}

await Promise.all(PARCELS.map(async (parcel, i) => {
  const cost = await quote(parcel);
  console.log(`parcel ${i + 1} to ${parcel.to}: ${cost}`);
}));
await connection.close();
