// Single active consumer: a queue declared with x-single-active-consumer delivers to one consumer at a time — the
// first to subscribe — while the others wait. When it leaves (cancel, channel closed), the waiting consumer with
// the highest priority takes over (the earliest among equals). The argument must be a boolean.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const queue = 'conf-37-single';
const got = {};
const channels = {};
const show = (what) => console.log(`${what}: ${Object.entries(got).map(([name, list]) => `${name} [${list.join(' ')}]`).join(', ')}`);

await ch.deleteQueue(queue);
await ch.assertQueue(queue, { durable: false, arguments: { 'x-single-active-consumer': true } });
for (const [name, priority] of [['first', undefined], ['second', undefined], ['third', 5], ['fourth', undefined]]) {
  const c = await conn.createChannel();
  await c.prefetch(1);
  channels[name] = c;
  got[name] = [];
  await c.consume(queue, (m) => {
    if (m === null) return;
    got[name].push(m.content.toString());
    setTimeout(() => c.ack(m), 20);
  }, { consumerTag: `conf-37-${name}`, ...(priority === undefined ? {} : { priority }) });
}
for (let i = 1; i <= 4; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
await pause(300);
show('four consumers, the third with priority 5');

await channels.first.cancel('conf-37-first');
for (let i = 5; i <= 6; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
await pause(200);
show('after the first cancels');

await channels.third.close();
ch.sendToQueue(queue, Buffer.from('m7'));
await pause(200);
show('after the third closes its channel');
console.log('checkQueue:', JSON.stringify(await ch.checkQueue(queue)));

const other = await conn.createChannel();
other.on('error', () => {});
try {
  await other.consume(queue, () => {}, { exclusive: true });
  console.log('exclusive consume: ok');
} catch (e) {
  console.log('exclusive consume:', e.message);
}

for (const value of ['yes', 1, false]) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    await c.assertQueue('conf-37-bad', { durable: false, arguments: { 'x-single-active-consumer': value } });
    console.log(`x-single-active-consumer ${JSON.stringify(value)}: declared`);
    await c.deleteQueue('conf-37-bad');
    await c.close();
  } catch (e) {
    console.log(`x-single-active-consumer ${JSON.stringify(value)}: ${e.message}`);
  }
}
await ch.deleteQueue(queue);
await conn.close();
