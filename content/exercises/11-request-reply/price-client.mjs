// The client: asks the price service about every item named on the
// command line, all at once, and matches each reply to its request by
// correlation id. Start it as `node price-client.mjs apple cheese bread`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'lesson11.prices';
const TIMEOUT_MS = 1000;
const items = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'price-client' },
});
const channel = await connection.createChannel();

// Requests still waiting: correlation id → { resolve, timer }.
const pending = new Map();

// Direct reply-to: consume the pseudo-queue, without acks, BEFORE the
// first request goes out, on the channel that sends the requests.
await channel.consume('amq.rabbitmq.reply-to', (msg) => {
  const id = msg.properties.correlationId;
  const waiting = pending.get(id);
  if (waiting === undefined) {
    // Timed out already, a second copy, or an id we never sent.
    console.log(`reply ${id} ignored: no request is waiting for it`);
    return;
  }
  pending.delete(id);
  clearTimeout(waiting.timer);
  waiting.resolve(msg.content.toString());
}, { noAck: true });

let lastId = 0;
function ask(item) {
  const correlationId = `q${++lastId}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(correlationId);
      reject(new Error(`no reply to ${correlationId} in ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    pending.set(correlationId, { resolve, timer });
    channel.sendToQueue(QUEUE, Buffer.from(item), {
      replyTo: 'amq.rabbitmq.reply-to',
      correlationId,
    });
    console.log(`asked about ${item} (${correlationId})`);
  });
}

await Promise.all(items.map(async (item) => {
  try {
    console.log(`${item}: ${await ask(item)}`);
  } catch (err) {
    console.log(`${item}: ${err.message}`);
  }
}));
await sleep(1000); // a late reply may still arrive: watch what happens
await connection.close();
