// Quorum queues (x-queue-type 'quorum'): what a consumer sees differently from a classic queue. A redelivered
// message carries an x-delivery-count header (basic.get shows it from the first delivery, as 0); past
// x-delivery-limit returns, a message is dead-lettered with reason delivery_limit (or dropped without a
// dead-letter exchange); returned messages are served before the others, in the order they came back; a channel
// with a global prefetch cannot consume from one.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
conn.on('error', (err) => console.log('connection error:', err.message));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const Q = 'conf-43-quorum';
const quorum = (more = {}) => ({ arguments: { 'x-queue-type': 'quorum', ...more } });
const headers = (m) => JSON.stringify(m.properties.headers, (key, value) => (key === 'time' ? '<time>' : value));
for (const q of [Q, `${Q}-dead`, `${Q}-order`, `${Q}-nodlx`, `${Q}-limits`]) await ch.deleteQueue(q);
await ch.deleteExchange(`${Q}-dlx`);

await ch.assertExchange(`${Q}-dlx`, 'fanout', { durable: false });
await ch.assertQueue(`${Q}-dead`, { durable: false });
await ch.bindQueue(`${Q}-dead`, `${Q}-dlx`, '');
console.log('declared:', JSON.stringify(await ch.assertQueue(Q, quorum({ 'x-delivery-limit': 2, 'x-dead-letter-exchange': `${Q}-dlx` }))));
console.log('durable by default, so again:', JSON.stringify(await ch.checkQueue(Q)));
for (let i = 1; i <= 3; i++) ch.sendToQueue(Q, Buffer.from(`m${i}`), { headers: { n: i } });
await pause(150);

// basic.get and nack with requeue: the count goes up by one each time; the third return of m1 is one too many.
for (let i = 0; i < 7; i++) {
  const m = await ch.get(Q);
  if (m === false) break;
  console.log('get', m.content.toString(), '| redelivered', m.fields.redelivered, '| messageCount',
    m.fields.messageCount, '| headers', headers(m));
  ch.nack(m, false, true);
  await pause(50);
}
await pause(100);
let dead;
while ((dead = await ch.get(`${Q}-dead`, { noAck: true }))) console.log('dead-lettered', dead.content.toString(), headers(dead));
console.log('left:', JSON.stringify(await ch.checkQueue(Q)));

// A consumer: the first delivery has no x-delivery-count; a channel that closes with it unacked counts as a return,
// so does basic.recover.
const c1 = await conn.createChannel();
await c1.consume(Q, (m) => m && console.log('c1 got', m.content.toString(), m.fields.redelivered, headers(m)));
await pause(150);
await c1.close();
await pause(100);
const c2 = await conn.createChannel();
const { consumerTag } = await c2.consume(Q, (m) => m && console.log('c2 got', m.content.toString(), m.fields.redelivered, headers(m)));
await pause(150);
await c2.recover();
await pause(150);
await c2.cancel(consumerTag);
await c2.close();
await pause(100);
console.log('after three returns of m3:', JSON.stringify(await ch.checkQueue(Q)));
while ((dead = await ch.get(`${Q}-dead`, { noAck: true }))) console.log('dead-lettered', dead.content.toString(), headers(dead));

// Returned messages come first, in the order they came back (a classic queue would put them back in place).
await ch.assertQueue(`${Q}-order`, quorum());
for (const body of ['a', 'b', 'c', 'd']) ch.sendToQueue(`${Q}-order`, Buffer.from(body));
await pause(150);
const got = [];
for (let i = 0; i < 3; i++) got.push(await ch.get(`${Q}-order`));
ch.nack(got[2], false, true);
await pause(50);
ch.nack(got[0], false, true);
await pause(50);
const order = [];
for (let m = await ch.get(`${Q}-order`, { noAck: true }); m; m = await ch.get(`${Q}-order`, { noAck: true })) order.push(m.content.toString());
console.log('after returning c then a:', order.join(' '), '(b still unacked)');
ch.ack(got[1]);

// Without a dead-letter exchange, a message past the limit is dropped; a limit of 0 allows no return at all.
await ch.assertQueue(`${Q}-nodlx`, quorum({ 'x-delivery-limit': 0 }));
ch.sendToQueue(`${Q}-nodlx`, Buffer.from('once'));
await pause(100);
const once = await ch.get(`${Q}-nodlx`);
ch.reject(once, true);
await pause(100);
console.log('limit 0, after one return:', JSON.stringify(await ch.checkQueue(`${Q}-nodlx`)));

// Length limit and message TTL work as in a classic queue.
await ch.assertQueue(`${Q}-limits`, quorum({ 'x-max-length': 2, 'x-message-ttl': 200 }));
for (const body of ['1', '2', '3']) ch.sendToQueue(`${Q}-limits`, Buffer.from(body));
await pause(100);
console.log('max-length 2 after three:', JSON.stringify(await ch.checkQueue(`${Q}-limits`)));
await pause(300);
console.log('after the TTL:', JSON.stringify(await ch.checkQueue(`${Q}-limits`)));

// A consumer on a channel with a global prefetch: 540, the connection closes.
const other = await amqp.connect(url);
other.on('error', (err) => console.log('other connection error:', err.message));
const closed = new Promise((resolve) => other.on('close', resolve));
const g = await other.createChannel();
await g.prefetch(5, true);
try {
  await g.consume(Q, () => {});
  console.log('global prefetch consume: ok');
} catch (err) {
  console.log('global prefetch consume:', err.message);
}
await closed;

for (const q of [Q, `${Q}-dead`, `${Q}-order`, `${Q}-nodlx`, `${Q}-limits`]) await ch.deleteQueue(q);
await ch.deleteExchange(`${Q}-dlx`);
await conn.close();
