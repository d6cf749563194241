// Exchanges and bindings: direct, fanout and topic routing (with the empty-word edge cases of `*` and `#`), one
// copy per queue, unroutable and mandatory messages, bindings that go with their queue, auto-delete exchanges,
// and the errors of declaring, deleting and binding.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
conn.on('error', (err) => console.log('connection error event:', err.message));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();

/** Declares fresh queues, publishes, and prints what each queue got (basic.get until empty). */
async function routing(label, exchange, bindings, keys) {
  const queues = [...new Set(bindings.map(([q]) => q))];
  for (const q of queues) {
    await ch.assertQueue(q, { durable: false });
    await ch.purgeQueue(q);
  }
  for (const [q, key] of bindings) await ch.bindQueue(q, exchange, key);
  for (const key of keys) ch.publish(exchange, key, Buffer.from(`<${key}>`));
  await pause(50);
  const got = [];
  for (const q of queues) {
    const bodies = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) bodies.push(m.content.toString());
    got.push(`${q}=[${bodies.join(' ')}]`);
  }
  console.log(`${label}: ${got.join(' ')}`);
  for (const [q, key] of bindings) await ch.unbindQueue(q, exchange, key);
}

console.log('assert direct:', JSON.stringify(await ch.assertExchange('conf-23.direct', 'direct', { durable: false })));
await routing('direct', 'conf-23.direct', [['conf-23-a', 'red'], ['conf-23-b', 'green'], ['conf-23-b', 'red'], ['conf-23-c', '']],
  ['red', 'green', 'blue', '', 'RED']);
await ch.assertExchange('conf-23.fanout', 'fanout', { durable: false });
await routing('fanout', 'conf-23.fanout', [['conf-23-a', 'ignored'], ['conf-23-b', ''], ['conf-23-b', 'other']], ['x', '']);
await ch.assertExchange('conf-23.topic', 'topic', { durable: false });
await routing('topic', 'conf-23.topic', [
  ['conf-23-a', 'kern.*'], ['conf-23-b', '*.critical'], ['conf-23-c', 'kern.#'], ['conf-23-d', '#'],
], ['kern.critical', 'kern', 'kern.', 'kern.disk.full', 'app.critical', '.critical', 'critical', '']);
await routing('topic edges', 'conf-23.topic', [
  ['conf-23-a', '*'], ['conf-23-b', ''], ['conf-23-c', '#.x'], ['conf-23-d', 'a.#.b'], ['conf-23-e', '*.*'],
  ['conf-23-f', '#.#'], ['conf-23-g', 'a.*.#'],
], ['', 'x', 'a.x', '.x', 'a.b', 'a.z.b', 'a.z.y.b', '.', 'a', 'a.', 'x.']);
console.log('amq.topic exists:', JSON.stringify(await ch.assertExchange('amq.topic', 'topic')));
await routing('amq.topic', 'amq.topic', [['conf-23-a', 'stock.#']], ['stock.nyse.ibm', 'weather']);

const returned = [];
ch.on('return', (msg) => returned.push(`${msg.fields.replyText} ${msg.fields.exchange}/${msg.fields.routingKey}`));
ch.publish('conf-23.direct', 'nobody', Buffer.from('lost'));
ch.publish('conf-23.direct', 'nobody', Buffer.from('back'), { mandatory: true });
await pause(50);
console.log('returned:', JSON.stringify(returned));

await ch.assertQueue('conf-23-gone', { durable: false });
await ch.bindQueue('conf-23-gone', 'conf-23.fanout', '');
await ch.deleteQueue('conf-23-gone');
await ch.assertQueue('conf-23-gone', { durable: false });
ch.publish('conf-23.fanout', '', Buffer.from('after'));
await pause(50);
console.log('a re-created queue is not bound any more:', (await ch.checkQueue('conf-23-gone')).messageCount);

await ch.assertExchange('conf-23.auto', 'fanout', { durable: false, autoDelete: true });
await ch.bindQueue('conf-23-a', 'conf-23.auto', '');
await ch.unbindQueue('conf-23-a', 'conf-23.auto', '');
await pause(50);
const probe = await conn.createChannel();
probe.on('error', () => {});
try {
  await probe.checkExchange('conf-23.auto');
  console.log('auto-delete exchange after its last unbind: still there');
} catch (err) {
  console.log('auto-delete exchange after its last unbind:', err.message);
}

/** Runs `op` on a fresh channel and prints its result or its error. */
async function attempt(label, op) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    console.log(`${label}:`, JSON.stringify(await op(c)));
  } catch (err) {
    console.log(`${label}:`, err.message);
  }
  try {
    await c.close();
  } catch {
    // closed by the server
  }
}
await attempt('redeclare with another type', (c) => c.assertExchange('conf-23.direct', 'fanout', { durable: false }));
await attempt('redeclare with another durable', (c) => c.assertExchange('conf-23.direct', 'direct', { durable: true }));
await attempt('redeclare with another autoDelete', (c) => c.assertExchange('conf-23.direct', 'direct', { durable: false, autoDelete: true }));
await attempt('declare amq.custom', (c) => c.assertExchange('amq.custom', 'direct'));
await attempt('declare the default exchange', (c) => c.assertExchange('', 'direct'));
await attempt('check a missing exchange', (c) => c.checkExchange('conf-23.nope'));
await attempt('check an existing one', (c) => c.checkExchange('conf-23.direct'));
await attempt('bind to a missing exchange', (c) => c.bindQueue('conf-23-a', 'conf-23.nope', 'k'));
await attempt('bind a missing queue', (c) => c.bindQueue('conf-23-nope', 'conf-23.direct', 'k'));
await attempt('bind to the default exchange', (c) => c.bindQueue('conf-23-a', '', 'k'));
await attempt('unbind what is not bound', (c) => c.unbindQueue('conf-23-a', 'conf-23.direct', 'nothing'));
await attempt('publish to a missing exchange', async (c) => {
  let error = 'no error';
  c.on('error', (err) => { error = err.message; });
  c.publish('conf-23.nope', 'k', Buffer.from('x'));
  await pause(50);
  return error;
});
await attempt('delete ifUnused while bound', async (c) => {
  await c.bindQueue('conf-23-a', 'conf-23.direct', 'k');
  return c.deleteExchange('conf-23.direct', { ifUnused: true });
});
await attempt('delete amq.direct', (c) => c.deleteExchange('amq.direct'));
await attempt('delete the default exchange', (c) => c.deleteExchange(''));
await attempt('delete a missing exchange', (c) => c.deleteExchange('conf-23.nope'));

for (const name of ['conf-23.direct', 'conf-23.fanout', 'conf-23.topic']) await ch.deleteExchange(name);
for (const q of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'gone']) await ch.deleteQueue(`conf-23-${q}`);
try {
  await ch.assertExchange('conf-23.bad', 'no-such-type');
} catch (err) {
  console.log('unknown exchange type:', err.message);
}
await pause(50);
console.log('connection closed by then:', await conn.createChannel().then(() => false, () => true));
