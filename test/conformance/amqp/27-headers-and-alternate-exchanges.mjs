// Headers exchanges route on message headers (x-match all, the default, or any; the routing key is ignored).
// An exchange with an alternate exchange hands it what it cannot route (the message keeps its exchange and key),
// so a mandatory message that the alternate exchange routes is not returned; a missing alternate exchange routes
// nothing. Redeclaring with another alternate exchange fails with 406.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const bodies = async (q) => {
  const out = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
    out.push(`${m.content.toString()}@${m.fields.exchange}/${m.fields.routingKey}`);
  }
  return out.join(' ') || '-';
};

await ch.assertExchange('conf-27.headers', 'headers', { durable: false });
for (const [q, args] of [
  ['conf-27-all', { 'x-match': 'all', format: 'pdf', type: 'report' }],
  ['conf-27-any', { 'x-match': 'any', format: 'pdf', type: 'report' }],
  ['conf-27-default', { format: 'zip' }],
  ['conf-27-number', { size: 1 }],
]) {
  await ch.assertQueue(q, { durable: false });
  await ch.purgeQueue(q);
  await ch.bindQueue(q, 'conf-27.headers', 'ignored', args);
}
for (const [body, headers] of [
  ['p1', { format: 'pdf', type: 'report' }], ['p2', { format: 'pdf' }], ['p3', { format: 'zip', type: 'report' }],
  ['p4', {}], ['p5', { format: 'pdf', type: 'report', extra: true }], ['p6', { format: 'zip' }],
  ['p7', { size: 1 }], ['p8', { size: '1' }], ['p9', undefined],
]) {
  ch.publish('conf-27.headers', `key-${body}`, Buffer.from(body), headers === undefined ? {} : { headers });
}
await pause(50);
for (const q of ['conf-27-all', 'conf-27-any', 'conf-27-default', 'conf-27-number']) console.log(`${q}:`, await bodies(q));
await ch.unbindQueue('conf-27-any', 'conf-27.headers', 'ignored', { 'x-match': 'any', format: 'pdf', type: 'report' });
await ch.unbindQueue('conf-27-all', 'conf-27.headers', 'ignored', { format: 'pdf' }); // other arguments: not that binding
ch.publish('conf-27.headers', '', Buffer.from('after-unbind'), { headers: { format: 'pdf', type: 'report' } });
await pause(50);
console.log('after unbinding any:', await bodies('conf-27-all'), await bodies('conf-27-any'));

await ch.assertExchange('conf-27.ae', 'fanout', { durable: false });
await ch.assertQueue('conf-27-unrouted', { durable: false });
await ch.bindQueue('conf-27-unrouted', 'conf-27.ae', '');
await ch.assertExchange('conf-27.main', 'direct', { durable: false, alternateExchange: 'conf-27.ae' });
await ch.assertQueue('conf-27-known', { durable: false });
await ch.bindQueue('conf-27-known', 'conf-27.main', 'known');
const returned = [];
ch.on('return', (m) => returned.push(m.content.toString()));
ch.publish('conf-27.main', 'known', Buffer.from('a'));
ch.publish('conf-27.main', 'unknown', Buffer.from('b'), { mandatory: true });
await ch.assertExchange('conf-27.lonely', 'direct', { durable: false, alternateExchange: 'conf-27.missing' });
ch.publish('conf-27.lonely', 'x', Buffer.from('c'), { mandatory: true });
await pause(50);
console.log('known:', await bodies('conf-27-known'), 'unrouted:', await bodies('conf-27-unrouted'), 'returned:', JSON.stringify(returned));
const other = await conn.createChannel();
other.on('error', () => {});
try {
  await other.assertExchange('conf-27.main', 'direct', { durable: false, alternateExchange: 'conf-27.other' });
  console.log('redeclared with another alternate exchange');
} catch (err) {
  console.log('redeclare with another alternate exchange:', err.message);
}
const third = await conn.createChannel();
third.on('error', () => {});
try {
  await third.assertExchange('conf-27.main', 'direct', { durable: false });
  console.log('redeclared without an alternate exchange');
} catch (err) {
  console.log('redeclare without an alternate exchange:', err.message);
}

for (const q of ['conf-27-all', 'conf-27-any', 'conf-27-default', 'conf-27-number', 'conf-27-unrouted', 'conf-27-known']) {
  await ch.deleteQueue(q);
}
for (const x of ['conf-27.headers', 'conf-27.ae', 'conf-27.main', 'conf-27.lonely']) await ch.deleteExchange(x);
await conn.close();
