// The price feed: a new price for ACME every 100 ms. The pricer
// declares the queue; start it first.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex15.prices';
const UPDATES = Number(process.argv[2] ?? 30);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const connection = await amqp.connect(url,
  { clientProperties: { connection_name: 'feed' } });
const channel = await connection.createChannel();
for (let seq = 1; seq <= UPDATES; seq++) {
  const update = { seq, symbol: 'ACME', price: 100 + (seq % 7) };
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(update)));
  await sleep(100);
}
console.log(`published ${UPDATES} price updates`);
await connection.close();
