// conformance: restart-broker
// A broker restart: what survives it and what the clients see. The program declares durable and non-durable
// queues and exchanges, publishes persistent and transient messages (one held unacked by a consumer), then prints
// the marker line "[conformance] restarting RabbitMQ": the conformance runner then restarts RabbitMQ with
// `rabbitmqctl stop_app` and `start_app` (on the simulator: AmqpBroker.restart at that moment; see
// test/conformance/broker-control.ts). Every connection is closed by the broker (320 CONNECTION_FORCED, which
// amqplib reports with 'close' but no 'error'); connecting while it is down is refused; once it is back, only
// durable queues and exchanges (and bindings between them) are there, with their persistent messages (a quorum
// queue keeps all of them). The program deletes what it declared.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const Q = 'conf-48';
const queues = [`${Q}-durable`, `${Q}-transient`, `${Q}-exclusive`, `${Q}-autodelete-used`, `${Q}-autodelete-unused`,
  `${Q}-quorum`, `${Q}-priority`];
const exchanges = [`${Q}-durable-x`, `${Q}-transient-x`];

async function cleanUp(conn) {
  const ch = await conn.createChannel();
  for (const q of queues) await ch.deleteQueue(q);
  for (const x of exchanges) await ch.deleteExchange(x);
  await ch.close();
}

const conn = await amqp.connect(url);
await cleanUp(conn);
const ch = await conn.createConfirmChannel();
ch.on('error', (err) => console.log('channel error event:', err.message));
ch.on('close', () => console.log('channel close event'));
conn.on('error', (err) => console.log('connection error event:', err.message));
const closed = new Promise((resolve) => conn.on('close', (err) => {
  console.log('connection close event:', err.message, '| code', err.code);
  resolve();
}));
await ch.assertQueue(`${Q}-durable`, { durable: true });
await ch.assertQueue(`${Q}-transient`, { durable: false });
await ch.assertQueue(`${Q}-exclusive`, { exclusive: true });
await ch.assertQueue(`${Q}-autodelete-used`, { durable: true, autoDelete: true });
await ch.assertQueue(`${Q}-autodelete-unused`, { durable: true, autoDelete: true });
await ch.assertQueue(`${Q}-quorum`, { arguments: { 'x-queue-type': 'quorum' } });
await ch.assertQueue(`${Q}-priority`, { durable: true, maxPriority: 5 });
await ch.assertExchange(`${Q}-durable-x`, 'direct', { durable: true });
await ch.assertExchange(`${Q}-transient-x`, 'direct', { durable: false });
await ch.bindQueue(`${Q}-durable`, `${Q}-durable-x`, 'a');
await ch.bindQueue(`${Q}-transient`, `${Q}-durable-x`, 'b');
await ch.bindQueue(`${Q}-durable`, `${Q}-transient-x`, 'c');
await ch.bindExchange(`${Q}-transient-x`, `${Q}-durable-x`, 'e2e');
for (const q of [`${Q}-durable`, `${Q}-transient`, `${Q}-quorum`, `${Q}-autodelete-unused`]) {
  ch.sendToQueue(q, Buffer.from('persistent 1'), { persistent: true });
  ch.sendToQueue(q, Buffer.from('transient'));
  ch.sendToQueue(q, Buffer.from('persistent 2'), { deliveryMode: 2, expiration: '600000' });
}
for (const [body, priority, persistent] of [['low', 1, true], ['high', 5, false], ['mid', 3, true]]) {
  ch.sendToQueue(`${Q}-priority`, Buffer.from(body), { priority, persistent });
}
await ch.waitForConfirms();
// A consumer holds two messages of the durable queue unacked; the auto-delete queue has a consumer too.
const holder = await conn.createChannel();
await holder.prefetch(2);
await holder.consume(`${Q}-durable`, () => {});
await holder.consume(`${Q}-autodelete-used`, () => {}, { noAck: true });
await pause(200);
console.log('before:', JSON.stringify(await ch.checkQueue(`${Q}-durable`)));

console.log('[conformance] restarting RabbitMQ');
await closed;
try {
  await ch.checkQueue(`${Q}-durable`);
} catch (err) {
  console.log('the old channel:', err.name, '-', err.message);
}

// Reconnect: refused while the broker is down, then it is back.
let again;
let refused;
for (let attempt = 0; again === undefined; attempt++) {
  try {
    again = await amqp.connect(url);
  } catch (err) {
    refused ??= `${err.code} ${err.message} | errno ${err.errno} ${err.syscall}`;
    if (attempt > 400) throw err;
    await pause(100);
  }
}
console.log('connecting while it was down:', refused ?? 'never refused');

const after = await again.createChannel();
after.on('error', () => {});
for (const q of queues) {
  const probe = await again.createChannel();
  probe.on('error', () => {});
  try {
    const ok = await probe.checkQueue(q);
    const bodies = [];
    for (let m = await probe.get(q, { noAck: true }); m; m = await probe.get(q, { noAck: true })) {
      bodies.push(`${m.content}${m.fields.redelivered ? ' (redelivered)' : ''}`);
    }
    console.log(`${q}: ${ok.messageCount} messages: ${bodies.join(', ')}`);
    await probe.close();
  } catch (err) {
    console.log(`${q}: gone (${err.message.replace(/^.*NOT_FOUND - /, '').replace(/"$/, '')})`);
  }
}
for (const x of exchanges) {
  const probe = await again.createChannel();
  probe.on('error', () => {});
  try {
    await probe.checkExchange(x);
    console.log(`${x}: still there`);
    await probe.close();
  } catch {
    console.log(`${x}: gone`);
  }
}
// The bindings: conf-48-durable-x still routes 'a' to the durable queue; 'b' (a non-durable queue) and 'e2e' (a
// non-durable exchange) went with what they bound to.
for (const key of ['a', 'b', 'e2e']) {
  after.publish(`${Q}-durable-x`, key, Buffer.from(`routed with ${key}`), { mandatory: true });
}
const returned = [];
after.on('return', (m) => returned.push(m.fields.routingKey));
await pause(200);
console.log('returned as unroutable:', returned.join(' '), '|', JSON.stringify(await after.checkQueue(`${Q}-durable`)));

await cleanUp(again);
await again.close();
