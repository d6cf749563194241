// The nightly job: sends the day's orders to billing, and a summary
// to the reports service if that service is running.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const BILLING = 'ex12.billing';
const REPORTS = 'ex12.reports';
const ORDERS = 3;

const connection = await amqp.connect(url,
  { clientProperties: { connection_name: 'nightly' } });
connection.on('error', (err) => console.log('connection error:', err.message));
const channel = await connection.createChannel();
channel.on('error', (err) => console.log('channel error:', err.message));
await channel.assertQueue(BILLING, { durable: false });

// The reports service declares its queue when it starts.
let reportsRunning = true;
try {
  await channel.checkQueue(REPORTS);
} catch {
  reportsRunning = false;
}
console.log(`reports service running: ${reportsRunning}`);

for (let n = 1; n <= ORDERS; n++) {
  channel.sendToQueue(BILLING, Buffer.from(`order ${n}`));
  console.log(`order ${n} sent to billing`);
}
if (reportsRunning) {
  channel.sendToQueue(REPORTS, Buffer.from(`${ORDERS} orders today`));
}
await channel.close();
await connection.close();
