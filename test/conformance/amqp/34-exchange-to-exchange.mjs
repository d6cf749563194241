// Exchange-to-exchange bindings (a RabbitMQ extension): bindExchange(destination, source, pattern) makes the
// source hand matching messages to the destination exchange, which routes them again by its own type. Each
// exchange is visited once per message (cycles and self-bindings are harmless), a queue reached along several
// paths gets one copy, and an exchange in the middle that matches nothing uses its alternate exchange. The queues
// a message reaches get it in descending name order, which is the order consumers on one channel hear of it.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const exchanges = ['conf-34-orders', 'conf-34-all', 'conf-34-new', 'conf-34-inner', 'conf-34-fallback', 'conf-34-auto'];
const queues = ['conf-34-audit', 'conf-34-billing', 'conf-34-shipping'];
const [audit, billing, shipping] = queues;
const drain = async (queue) => {
  const out = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) {
    out.push(`${m.content}(via ${m.fields.exchange}, ${m.fields.routingKey})`);
  }
  return out.join(' ') || '-';
};
const show = async (what) => {
  await pause(50);
  for (const q of queues) console.log(`${what}: ${q} has ${await drain(q)}`);
};
const attempt = async (what, fn) => {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    console.log(`${what}: ok ${JSON.stringify(await fn(c))}`);
    await c.close();
  } catch (e) {
    console.log(`${what}: ${e.message}`);
  }
};

for (const x of exchanges) await ch.deleteExchange(x);
for (const q of queues) {
  await ch.deleteQueue(q);
  await ch.assertQueue(q, { durable: false });
}
await ch.assertExchange('conf-34-orders', 'topic', { durable: false });
await ch.assertExchange('conf-34-all', 'fanout', { durable: false });
await ch.assertExchange('conf-34-new', 'direct', { durable: false });
console.log('bindExchange:', JSON.stringify(await ch.bindExchange('conf-34-all', 'conf-34-orders', 'order.*')));
await ch.bindQueue(billing, 'conf-34-all', '');
await ch.bindQueue(audit, 'conf-34-all', '');
await ch.bindQueue(audit, 'conf-34-orders', '#'); // a second path to audit
await ch.bindExchange('conf-34-new', 'conf-34-all', 'anything');
await ch.bindQueue(shipping, 'conf-34-new', 'order.new');
await ch.bindExchange('conf-34-orders', 'conf-34-new', 'order.new'); // a cycle: orders → all → new → orders
await ch.bindExchange('conf-34-all', 'conf-34-all', 'itself');
ch.publish('conf-34-orders', 'order.new', Buffer.from('m1'));
ch.publish('conf-34-orders', 'order.paid', Buffer.from('m2'));
ch.publish('conf-34-orders', 'refund', Buffer.from('m3'));
ch.publish('conf-34-all', 'order.new', Buffer.from('m4'));
await show('graph');

// Consumers on one channel hear of a message in descending queue-name order.
const listener = await conn.createChannel();
const heard = [];
for (const q of [billing, audit, shipping]) {
  await listener.consume(q, (m) => { if (m) heard.push(`${q.slice(8)}:${m.content}`); }, { noAck: true });
}
// (Only for a message published to the exchange the queues are bound to: one routed through a longer path, e.g.
// to conf-34-orders, reaches them in that order most of the time but not always, a race inside RabbitMQ.)
ch.publish('conf-34-all', 'order.new', Buffer.from('m5'));
await pause(30);
ch.publish('conf-34-all', 'order.paid', Buffer.from('m6'));
await pause(50);
console.log('heard in order:', heard.join(' '));
await listener.close();

// Unbinding, also of bindings or exchanges that do not exist, is fine.
await ch.unbindExchange('conf-34-new', 'conf-34-all', 'anything');
ch.publish('conf-34-all', 'order.new', Buffer.from('m7'));
await show('after unbind');
await attempt('unbind a missing binding', (c) => c.unbindExchange('conf-34-new', 'conf-34-all', 'nothing'));
await attempt('unbind from a missing exchange', (c) => c.unbindExchange('conf-34-missing', 'conf-34-all', ''));

// Errors.
await attempt('missing source', (c) => c.bindExchange('conf-34-all', 'conf-34-missing', ''));
await attempt('missing destination', (c) => c.bindExchange('conf-34-missing', 'conf-34-all', ''));
await attempt('both missing', (c) => c.bindExchange('conf-34-missing-dest', 'conf-34-missing-src', ''));
await attempt('default exchange as destination', (c) => c.bindExchange('', 'conf-34-all', ''));
await attempt('default exchange as source', (c) => c.bindExchange('conf-34-all', '', 'k'));
await attempt('amq.fanout as destination', (c) => c.bindExchange('amq.fanout', 'conf-34-all', 'k'));

// An internal exchange in the middle; when it matches nothing its alternate exchange takes the message.
await ch.assertExchange('conf-34-fallback', 'fanout', { durable: false });
await ch.assertExchange('conf-34-inner', 'direct', { durable: false, internal: true, alternateExchange: 'conf-34-fallback' });
await ch.bindQueue(shipping, 'conf-34-fallback', '');
await ch.bindExchange('conf-34-inner', 'conf-34-new', 'via-inner');
await ch.bindQueue(billing, 'conf-34-inner', 'via-inner');
ch.publish('conf-34-new', 'via-inner', Buffer.from('m8'));
await pause(50);
await ch.unbindQueue(billing, 'conf-34-inner', 'via-inner');
ch.publish('conf-34-new', 'via-inner', Buffer.from('m9'));
await show('internal and alternate');

// Mandatory: a path that ends nowhere returns the message.
ch.on('return', (m) => console.log(`returned ${m.content} (${m.fields.exchange}, ${m.fields.routingKey}): ${m.fields.replyText}`));
await ch.assertExchange('conf-34-auto', 'fanout', { durable: false, autoDelete: true });
await ch.bindExchange('conf-34-auto', 'conf-34-new', 'dead-end');
ch.publish('conf-34-new', 'dead-end', Buffer.from('m10'), { mandatory: true });
await pause(50);

// Auto-delete follows bindings FROM an exchange: losing one TO it keeps it.
await ch.unbindExchange('conf-34-auto', 'conf-34-new', 'dead-end');
await attempt('auto-delete exchange after losing its only binding to it', (c) => c.checkExchange('conf-34-auto'));
await ch.bindExchange('conf-34-all', 'conf-34-auto', '');
await ch.unbindExchange('conf-34-all', 'conf-34-auto', '');
await attempt('auto-delete exchange after losing its only binding from it', (c) => c.checkExchange('conf-34-auto'));

// Deleting an exchange removes the bindings to it.
await ch.bindExchange('conf-34-new', 'conf-34-orders', 'gone.#');
await ch.deleteExchange('conf-34-new');
await ch.assertExchange('conf-34-new', 'direct', { durable: false });
await ch.bindQueue(shipping, 'conf-34-new', 'gone.now');
ch.publish('conf-34-orders', 'gone.now', Buffer.from('m11'));
await show('after deleting and redeclaring new');
await attempt('delete all if unused', (c) => c.deleteExchange('conf-34-all', { ifUnused: true }));

for (const x of exchanges) await ch.deleteExchange(x);
for (const q of queues) await ch.deleteQueue(q);
await conn.close();
