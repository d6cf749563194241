// One connection, two channels. An error closes the channel it
// happened on; the connection and the other channel carry on.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const connection = await amqp.connect(url);
connection.on('error', (err) => console.log('connection error:', err.message));
connection.on('close', () => console.log('connection closed'));

const orders = await connection.createChannel();
const probe = await connection.createChannel();
for (const [name, channel] of [['orders', orders], ['probe', probe]]) {
  channel.on('error', (err) => console.log(`${name} channel error`));
  channel.on('close', () => console.log(`${name} channel closed`));
}

await orders.assertQueue('lesson12.orders', { durable: false });

try {
  await probe.checkQueue('lesson12.missing');
} catch (err) {
  console.log(`checkQueue failed with code ${err.code}`);
}
try {
  await probe.assertQueue('lesson12.other', { durable: false });
} catch (err) {
  console.log(`the probe channel again: ${err.name}: ${err.message}`);
}

orders.sendToQueue('lesson12.orders', Buffer.from('order 1'));
const msg = await orders.get('lesson12.orders', { noAck: true });
console.log(`the orders channel still works: got "${msg.content}"`);
await orders.deleteQueue('lesson12.orders');

// A virtual host that does not exist: the broker refuses to open it.
try {
  await amqp.connect(`${url}/no-such-vhost`);
} catch (err) {
  console.log(`connecting to no-such-vhost: ${err.message}`);
}
await connection.close();
