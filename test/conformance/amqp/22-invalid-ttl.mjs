// Message TTLs the broker refuses. A bad `expiration` on a publish is only noticed when the publish reaches the
// broker: sendToQueue returns true, then the channel closes with 406 (and the message goes nowhere). A bad
// `x-message-ttl` (messageTtl) makes the declare itself fail with 406. Fine values pass.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-22-tasks';

const setup = await conn.createChannel();
await setup.assertQueue(queue, { durable: false });
await setup.purgeQueue(queue);

for (const expiration of ['60000', 60000, '+5', '007', '-0', 'abc', '', ' 5', '1.5', '5abc', '-5', -5,
  '315360000000', '315360000001', '99999999999999999999', '-1234567890123456789012']) {
  const ch = await conn.createChannel();
  let closedWith = 'stays open';
  ch.on('error', (err) => { closedWith = err.message; });
  const accepted = ch.sendToQueue(queue, Buffer.from('x'), { expiration });
  await pause(50);
  console.log(`expiration ${JSON.stringify(expiration)}: sendToQueue -> ${accepted}; channel ${closedWith}`);
  if (closedWith === 'stays open') await ch.close();
}
console.log('messages that arrived:', (await setup.checkQueue(queue)).messageCount);

let n = 0;
for (const messageTtl of [0, 5000, 315360000000, -1, 1.5, 315360000001, 2 ** 40]) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  const name = `conf-22-ttl-${n++}`;
  try {
    await ch.assertQueue(name, { durable: false, messageTtl });
    console.log(`messageTtl ${messageTtl}: declared`);
    await ch.deleteQueue(name);
    await ch.close();
  } catch (err) {
    console.log(`messageTtl ${messageTtl}: ${err.message}`);
  }
}
for (const value of ['5000', true, null]) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    await ch.assertQueue('conf-22-arg', { durable: false, arguments: { 'x-message-ttl': value } });
    console.log(`x-message-ttl ${JSON.stringify(value)}: declared`);
  } catch (err) {
    console.log(`x-message-ttl ${JSON.stringify(value)}: ${err.message}`);
  }
}
await setup.deleteQueue(queue);
await conn.close();
