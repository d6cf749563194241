// The shipping service: quotes the cost of sending a parcel. It works on
// several requests at once, and far-away countries take longer to quote,
// so its answers come back in their own order, not in the order asked.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex11.shipping-quotes';
const RATES = { FR: [4, 1], DE: [5, 1], US: [12, 3], JP: [15, 4] };
const QUOTE_MS = { FR: 100, DE: 200, US: 500, JP: 900 };

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shipping' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: false });
console.log('shipping service is waiting for requests');

await channel.consume(QUEUE, (msg) => {
  const parcel = JSON.parse(msg.content.toString());
  const [base, perKg] = RATES[parcel.to] ?? [20, 5];
  setTimeout(() => {
    const cost = (base + perKg * parcel.kg).toFixed(2);
    channel.sendToQueue(msg.properties.replyTo, Buffer.from(cost), {
      correlationId: msg.properties.correlationId,
    });
    console.log(`quoted ${cost} for ${parcel.kg} kg to ${parcel.to}`);
    channel.ack(msg);
  }, QUOTE_MS[parcel.to] ?? 300);
});
