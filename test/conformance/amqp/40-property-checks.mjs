// What the broker checks in a message's properties, and what the other side decodes. RabbitMQ refuses a userId that
// is not the connection's user and a deliveryMode other than 1 or 2 (406, the channel closes); amqplib writes a
// fractional deliveryMode or priority truncated and leaves null properties out of the frame.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-40-props';
const admin = await conn.createChannel();
await admin.deleteQueue(queue);
await admin.assertQueue(queue, { durable: false });

for (const [what, options] of [
  ['userId of the connection', { userId: 'guest' }],
  ['userId of someone else', { userId: 'mallory' }],
  ['userId in other letter case', { userId: 'GUEST' }],
  ['empty userId', { userId: '' }],
  ['deliveryMode 7', { deliveryMode: 7 }],
  ['deliveryMode 0', { deliveryMode: 0 }],
  ['deliveryMode 1.7', { deliveryMode: 1.7 }],
  ['priority 2.5', { priority: 2.5 }],
  ['null properties', { contentType: null, messageId: null, appId: null, timestamp: null }],
]) {
  const c = await conn.createChannel();
  let closed = '';
  c.on('error', (e) => { closed = e.message; });
  c.sendToQueue(queue, Buffer.from(what), options);
  await pause(50);
  if (closed) {
    console.log(`${what}: ${closed}`);
    continue;
  }
  const m = await c.get(queue, { noAck: true });
  const shown = Object.entries(m.properties).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
  console.log(`${what}: delivered with ${shown}`);
  await c.close();
}
await admin.deleteQueue(queue);
await conn.close();
