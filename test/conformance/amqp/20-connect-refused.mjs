// Connecting: RabbitMQ listens on 5672 (amqp). Another port is refused by the operating system, and amqplib's
// connect rejects with Node's ECONNREFUSED error; a port above 65535 is a RangeError from Node.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
for (const target of ['amqp://localhost:1', 'amqp://guest:guest@127.0.0.1:5673/%2f', { hostname: 'localhost', port: 2 },
  'amqp://localhost:99999']) {
  try {
    const conn = await amqp.connect(target);
    console.log(JSON.stringify(target), 'connected');
    await conn.close();
  } catch (err) {
    console.log(JSON.stringify(target), 'failed:', err.name, '-', err.message, '|', err.code, err.syscall ?? '', err.port ?? '');
  }
}
const conn = await amqp.connect(url);
console.log('the usual URL connects');
const ch = await conn.createChannel();
// Inspecting the objects: amqplib's connection and channel refer to each other, so JSON.stringify fails.
for (const [name, value] of [['connection', conn], ['channel', ch]]) {
  try {
    JSON.stringify(value);
    console.log(name, 'serialised');
  } catch (err) {
    console.log(name, 'JSON.stringify:', err.name, '-', err.message.split('\n')[0]);
  }
}
console.log('channel number:', ch.ch, 'same connection object:', ch.connection === conn.connection);
await conn.close();
