// Sender-selected distribution: the CC and BCC headers (amqplib's CC / BCC publish options) add routing keys. The
// exchange routes the message with its routing key and each CC / BCC key (on the default exchange each names a
// queue), one copy per queue; the stored message loses BCC and keeps CC; deliveries show the original routing key.
// A CC or BCC header that is not an array closes the channel with 406; non-string items are ignored. A dead-lettered
// copy is routed with all the keys (BCC's too) unless its queue sets x-dead-letter-routing-key, which replaces them
// and removes CC; x-death lists the routing key and the CC keys.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const queues = ['conf-35-a', 'conf-35-b', 'conf-35-c'];
const [qa, qb, qc] = queues;
const describe = (m) => `${m.content}(key ${m.fields.routingKey}, headers ${JSON.stringify(m.properties.headers)})`;
const show = async (what) => {
  await pause(80);
  for (const q of queues) {
    const out = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push(describe(m));
    console.log(`${what}: ${q} has ${out.join(' ') || '-'}`);
  }
};

for (const q of queues) {
  await ch.deleteQueue(q);
  await ch.assertQueue(q, { durable: false });
}
for (const x of ['conf-35-direct', 'conf-35-topic', 'conf-35-next', 'conf-35-headers']) await ch.deleteExchange(x);
await ch.assertExchange('conf-35-direct', 'direct', { durable: false });
await ch.assertExchange('conf-35-topic', 'topic', { durable: false });
await ch.assertExchange('conf-35-next', 'direct', { durable: false });
await ch.assertExchange('conf-35-headers', 'headers', { durable: false });
await ch.bindQueue(qa, 'conf-35-direct', 'key-a');
await ch.bindQueue(qb, 'conf-35-direct', 'key-b');
await ch.bindQueue(qc, 'conf-35-topic', 'audit.*');
await ch.bindExchange('conf-35-next', 'conf-35-direct', 'key-next');
await ch.bindQueue(qc, 'conf-35-next', 'key-c');
await ch.bindQueue(qa, 'conf-35-headers', '', { kind: 'x' });

ch.sendToQueue(qa, Buffer.from('default'), { CC: [qb], BCC: [qc] });
ch.publish('conf-35-direct', 'key-a', Buffer.from('cc-string'), { CC: 'key-b' });
ch.publish('conf-35-direct', 'nowhere', Buffer.from('bcc-only'), { BCC: ['key-b', 'key-a', 'key-b'] });
ch.publish('conf-35-direct', 'key-a', Buffer.from('raw-header'), { headers: { CC: ['key-b', 7], other: 1 } });
ch.publish('conf-35-direct', 'key-a', Buffer.from('same-queue'), { CC: ['key-a'], headers: { keep: true } });
ch.publish('conf-35-topic', 'orders', Buffer.from('topic'), { CC: ['audit.orders'] });
ch.publish('conf-35-direct', 'key-next', Buffer.from('e2e'), { CC: ['key-c'] });
ch.publish('conf-35-headers', 'key-b', Buffer.from('headers-exchange'), { CC: [qb], headers: { kind: 'x' } });
await show('routed');

// BCC is gone for consumers too.
const seen = [];
const { consumerTag } = await ch.consume(qb, (m) => seen.push(describe(m)), { noAck: true });
ch.publish('conf-35-direct', 'key-a', Buffer.from('consumed'), { BCC: ['key-b'], CC: ['key-x'] });
await pause(80);
console.log('consumer of b:', seen.join(' ') || '-');
await ch.cancel(consumerTag);
await show('after consuming');

// Mandatory: a BCC route counts; CC keys that match nothing do not.
ch.on('return', (m) => console.log(`returned ${m.content} (${m.fields.replyText})`));
ch.publish('conf-35-direct', 'nowhere', Buffer.from('bcc-route'), { mandatory: true, BCC: ['key-b'] });
ch.publish('conf-35-direct', 'nowhere', Buffer.from('cc-nowhere'), { mandatory: true, CC: ['nowhere-2'] });
await show('mandatory');

// Wrong header types close the channel with 406 (the publish itself returns normally).
for (const [what, headers] of [['CC as a number', { CC: 5 }], ['CC as a string', { CC: 'key-b' }],
  ['BCC as a table', { BCC: { k: 'key-b' } }], ['CC as a boolean, BCC as a string', { CC: true, BCC: 'x' }]]) {
  const c = await conn.createChannel();
  let closedWith = 'no error';
  c.on('error', (e) => { closedWith = e.message; });
  c.publish('conf-35-direct', 'key-a', Buffer.from('bad'), { headers });
  await pause(80);
  console.log(`${what}: ${closedWith}`);
  await c.close().catch(() => {});
}
await show('after bad headers');

// Dead-lettering: the source queues get the messages from the default exchange (the CC keys name no queue there).
await ch.bindQueue(qc, 'conf-35-direct', 'bcc-key');
for (const [name, options] of [['conf-35-own-keys', {}], ['conf-35-dlrk', { deadLetterRoutingKey: 'key-a' }]]) {
  await ch.deleteQueue(name);
  await ch.assertQueue(name, { durable: false, deadLetterExchange: 'conf-35-direct', ...options });
}
ch.sendToQueue('conf-35-own-keys', Buffer.from('dl-cc'), { CC: ['key-a', 'key-b'], BCC: ['bcc-key'] });
ch.sendToQueue('conf-35-dlrk', Buffer.from('dl-dlrk'), { CC: ['key-b'] });
ch.sendToQueue('conf-35-own-keys', Buffer.from('dl-bcc'), { BCC: ['bcc-key'] });
await pause(80);
for (const name of ['conf-35-own-keys', 'conf-35-dlrk']) {
  for (let m = await ch.get(name); m; m = await ch.get(name)) ch.nack(m, false, false);
}
await pause(80);
for (const q of queues) {
  const out = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
    const { 'x-death': deaths, ...headers } = m.properties.headers;
    out.push(`${m.content}(key ${m.fields.routingKey}, headers ${JSON.stringify(headers)}, `
      + `x-death routing-keys ${JSON.stringify(deaths.map((d) => d['routing-keys']))})`);
  }
  console.log(`dead-lettered: ${q} has ${out.join(' ') || '-'}`);
}

for (const x of ['conf-35-direct', 'conf-35-topic', 'conf-35-next', 'conf-35-headers']) await ch.deleteExchange(x);
for (const q of [...queues, 'conf-35-own-keys', 'conf-35-dlrk']) await ch.deleteQueue(q);
await conn.close();
