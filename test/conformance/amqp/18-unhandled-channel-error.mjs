// A channel error with no 'error' listener on the channel: amqplib's emit throws inside its frame handling, which
// the connection turns into a connection error — 'error' on the connection, then every channel and the connection
// close — before the awaiting call's catch runs. (Without a connection 'error' listener the process would crash.)
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
conn.on('error', (err) => console.log('connection error event:', err.message, err.code));
conn.on('close', (err) => console.log('connection close event:', err ? err.message : 'no error'));
const ch = await conn.createChannel();
const other = await conn.createChannel();
ch.on('close', () => console.log('channel close event'));
other.on('close', () => console.log('other channel close event'));
const waiting = other.assertQueue('conf-18-never', { durable: false, exclusive: true })
  .then(() => 'declared', (err) => `rejected: ${err.message}`);

try {
  await ch.checkQueue('conf-18-no-such-queue');
} catch (err) {
  console.log('checkQueue rejected:', err.message);
}
console.log('the other channel:', await waiting);
try {
  await conn.createChannel();
} catch (err) {
  console.log('createChannel:', err.name, '-', err.message);
}
try {
  await conn.close();
} catch (err) {
  console.log('close:', err.name, '-', err.message);
}
console.log('still running');
