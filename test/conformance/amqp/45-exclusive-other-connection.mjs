// An exclusive queue belongs to the connection that declared it: every queue operation from another connection is
// refused with 405 RESOURCE_LOCKED (declare, passive declare, bind, unbind of an existing binding, purge, delete,
// consume, get), while another channel of the owner's connection may do all of it. Publishing to it, unbinding
// what is not bound, and deleting an exchange bound to it are fine from anywhere. When the owner closes, the queue
// is gone.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const owner = await amqp.connect(url);
const och = await owner.createChannel();
const { queue } = await och.assertQueue('conf-45-mine', { exclusive: true, durable: false });
await och.assertExchange('conf-45-x', 'direct', { durable: false });
await och.bindQueue(queue, 'conf-45-x', 'k');
och.sendToQueue(queue, Buffer.from('m1'));
await pause(50);

const other = await amqp.connect(url);
other.on('error', (err) => console.log('other connection error:', err.message));
const brief = (err) => (err.message ?? `close frame ${err.fields.replyCode} ${err.fields.replyText}`)
  .replace(/ It could be originally declared on another connection.*$/, ' …');
async function attempt(connection, label, action) {
  const ch = await connection.createChannel();
  ch.on('error', () => {});
  try {
    console.log(`${label}: ok`, JSON.stringify(await action(ch)));
    await ch.close();
  } catch (err) {
    console.log(`${label}:`, brief(err));
  }
}

for (const [who, connection] of [['other connection', other], ['owner, another channel', owner]]) {
  console.log(`-- ${who}`);
  await attempt(connection, 'declare exclusive', (ch) => ch.assertQueue(queue, { exclusive: true, durable: false }));
  await attempt(connection, 'declare not exclusive', (ch) => ch.assertQueue(queue, { durable: false }));
  await attempt(connection, 'passive declare', (ch) => ch.checkQueue(queue));
  await attempt(connection, 'bind', (ch) => ch.bindQueue(queue, 'conf-45-x', 'k2'));
  await attempt(connection, 'bind to a missing exchange', (ch) => ch.bindQueue(queue, 'conf-45-nope', 'k2'));
  // The owner's own bind above made k2; k is bound from the start.
  const bound = connection === owner ? 'k2' : 'k';
  await attempt(connection, `unbind what is bound (${bound})`, (ch) => ch.unbindQueue(queue, 'conf-45-x', bound));
  await attempt(connection, 'unbind what is not bound', (ch) => ch.unbindQueue(queue, 'conf-45-x', 'nope'));
  await attempt(connection, 'unbind from a missing exchange', (ch) => ch.unbindQueue(queue, 'conf-45-nope', 'k'));
  await attempt(connection, 'publish', async (ch) => {
    ch.sendToQueue(queue, Buffer.from('via the default exchange'));
    ch.publish('conf-45-x', 'k', Buffer.from('via conf-45-x'));
    await pause(50);
    return 'sent';
  });
  await attempt(connection, 'get', async (ch) => {
    const m = await ch.get(queue, { noAck: true });
    return m && m.content.toString();
  });
  await attempt(connection, 'consume', async (ch) => {
    const { consumerTag } = await ch.consume(queue, () => {}, { consumerTag: 'conf-45-c' }); // its deliveries go back on close
    await ch.cancel(consumerTag);
    return consumerTag;
  });
  await attempt(connection, 'delete if empty', (ch) => ch.deleteQueue(queue, { ifEmpty: true }));
  await attempt(connection, 'purge', (ch) => ch.purgeQueue(queue));
}

console.log('-- the owner\'s view:', JSON.stringify(await och.checkQueue(queue)));
await attempt(other, 'other: delete the exchange bound to it', (ch) => ch.deleteExchange('conf-45-x'));
await attempt(owner, 'owner: the binding went with it (declare conf-45-x again, publish with k)', async (ch) => {
  await ch.assertExchange('conf-45-x', 'direct', { durable: false });
  ch.publish('conf-45-x', 'k', Buffer.from('x'));
  await pause(50);
  const ok = await ch.checkQueue(queue);
  await ch.deleteExchange('conf-45-x');
  return ok;
});
await owner.close();
await pause(50);
await attempt(other, 'other, after the owner closed: passive declare', (ch) => ch.checkQueue(queue));
await attempt(other, 'other, after the owner closed: declare it', async (ch) => {
  const ok = await ch.assertQueue(queue, { durable: false });
  await ch.deleteQueue(queue);
  return ok;
});
await other.close();
