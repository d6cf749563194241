// Queue TTL: a queue declared with `expires` (x-expires, ms) is deleted, with its messages, once nobody has used
// it for that long. Declaring it again (also passively, as checkQueue does) and basic.get count as use; publishing
// to it does not; while it has a consumer it never expires, and the wait starts again when the last one leaves.
// The value must be a positive integer. (The waits below leave wide margins: the simulated network is slower.)
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const queues = ['conf-36-idle', 'conf-36-published', 'conf-36-get', 'conf-36-consumed'];
/** Whether `queue` exists, by a passive declare on a channel of its own (which itself counts as use). */
const exists = async (queue) => {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    const { messageCount } = await c.checkQueue(queue);
    await c.close();
    return `exists (${messageCount} ready)`;
  } catch {
    return 'gone';
  }
};

for (const q of queues) await ch.deleteQueue(q);
for (const q of queues) await ch.assertQueue(q, { durable: false, expires: 400 });
ch.sendToQueue('conf-36-idle', Buffer.from('lost with the queue'));
const { consumerTag } = await ch.consume('conf-36-consumed', () => {}, { noAck: true });
await pause(200);
await ch.get('conf-36-get');
ch.sendToQueue('conf-36-published', Buffer.from('publishing is not use'));
await pause(250);
console.log('250 ms after a basic.get:', await exists('conf-36-get'));
await pause(250);
console.log('about 700 ms after the declarations:');
for (const q of queues) console.log(`  ${q}: ${await exists(q)}`);

// The consumer leaves; the queue expires 400 ms later, not before.
await ch.cancel(consumerTag);
await pause(200);
console.log('200 ms after its consumer left:', await exists('conf-36-consumed'));
await pause(600);
console.log('600 ms after that check:', await exists('conf-36-consumed'));
// Redeclaring starts the wait again too.
await ch.assertQueue('conf-36-idle', { durable: false, expires: 400 });
await pause(250);
await ch.assertQueue('conf-36-idle', { durable: false, expires: 400 });
await pause(250);
console.log('declared at 0 and 250 ms, checked at 500 ms:', await exists('conf-36-idle'));

for (const value of [0, -1, 'soon', 1.5, null]) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    await c.assertQueue('conf-36-bad', { durable: false, expires: value });
    console.log(`expires ${value}: declared`);
    await c.deleteQueue('conf-36-bad');
    await c.close();
  } catch (e) {
    console.log(`expires ${value}: ${e.message}`);
  }
}
for (const q of queues) await ch.deleteQueue(q);
await conn.close();
