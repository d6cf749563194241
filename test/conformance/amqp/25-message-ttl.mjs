// Message TTL: a queue's messageTtl and a message's expiration make waiting messages expire, and expired messages
// go to the queue's dead-letter exchange (reason "expired"; a per-message TTL is kept as original-expiration and
// taken off the copy) or disappear. Expiry happens at the head of the queue only: a short-lived message behind a
// long-lived one waits for it. A TTL of 0 reaches a waiting consumer but never waits in the queue.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const show = (headers) => JSON.stringify(headers, (key, value) => (key === 'time' ? `<${value && value['!']}>` : value));
const count = async (q) => (await ch.checkQueue(q)).messageCount;
const drain = async (q) => {
  const out = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
    out.push(`${m.content.toString()} expiration=${m.properties.expiration ?? '-'} ${show(m.properties.headers)}`);
  }
  return out;
};

const dead = 'conf-25-dead';
const viaDlx = { durable: false, deadLetterExchange: '', deadLetterRoutingKey: dead };
await ch.assertQueue(dead, { durable: false });
await ch.assertQueue('conf-25-short', { ...viaDlx, messageTtl: 200 });
await ch.assertQueue('conf-25-each', viaDlx);
await ch.assertQueue('conf-25-plain', { durable: false, messageTtl: 200 });
for (const q of [dead, 'conf-25-short', 'conf-25-each', 'conf-25-plain']) await ch.purgeQueue(q);

ch.sendToQueue('conf-25-short', Buffer.from('a'));
ch.sendToQueue('conf-25-short', Buffer.from('b'), { expiration: '100' });
ch.sendToQueue('conf-25-each', Buffer.from('long'), { expiration: '800' });
ch.sendToQueue('conf-25-each', Buffer.from('short-behind'), { expiration: '100' });
ch.sendToQueue('conf-25-plain', Buffer.from('c'));
await pause(80);
console.log('at 80 ms:', await count('conf-25-short'), await count('conf-25-each'), await count('conf-25-plain'), await count(dead));
await pause(320);
console.log('at 400 ms:', await count('conf-25-short'), await count('conf-25-each'), await count('conf-25-plain'), await count(dead));
for (const line of await drain(dead)) console.log('  dead:', line);
await pause(600);
console.log('at 1000 ms:', await count('conf-25-each'), await count(dead));
for (const line of await drain(dead)) console.log('  dead:', line);

// TTL 0: delivered to a consumer that is there, gone otherwise.
await ch.assertQueue('conf-25-zero', { durable: false, messageTtl: 0 });
ch.sendToQueue('conf-25-zero', Buffer.from('nobody'));
await pause(100);
console.log('ttl 0, no consumer:', await count('conf-25-zero'));
const got = [];
const { consumerTag } = await ch.consume('conf-25-zero', (m) => got.push(m.content.toString()), { noAck: true });
ch.sendToQueue('conf-25-zero', Buffer.from('someone'));
await pause(100);
console.log('ttl 0, with a consumer:', JSON.stringify(got));
await ch.cancel(consumerTag);

// A message fetched before it expired and requeued after: it expires at the head.
await ch.assertQueue('conf-25-requeue', { ...viaDlx, messageTtl: 300 });
await ch.purgeQueue('conf-25-requeue');
ch.sendToQueue('conf-25-requeue', Buffer.from('held'));
await pause(50);
const held = await ch.get('conf-25-requeue');
await pause(400);
ch.nack(held, false, true);
await pause(100);
console.log('requeued after its ttl:', await count('conf-25-requeue'), 'dead:', (await drain(dead)).length);

// Dead-lettered for another reason, a message also loses its expiration (kept as original-expiration).
ch.sendToQueue('conf-25-each', Buffer.from('rejected'), { expiration: '60000' });
await pause(50);
ch.nack(await ch.get('conf-25-each'), false, false);
await pause(50);
for (const line of await drain(dead)) console.log('  dead:', line);

for (const q of [dead, 'conf-25-short', 'conf-25-each', 'conf-25-plain', 'conf-25-zero', 'conf-25-requeue']) {
  await ch.deleteQueue(q);
}
await conn.close();
