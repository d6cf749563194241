// conformance: vhost mqlab-conf-46
// Virtual hosts: the path of the connection URL names the vhost (none, '/' or '%2f' is the default vhost '/'; the
// path is unescaped), an object URL has `vhost`. Each vhost has its own queues and exchanges (and its own amq.*
// ones), so the same names in two vhosts are two things. Connecting to a vhost that does not exist fails during the
// handshake, which amqplib reports without a code.
// The conformance runner creates the vhost mqlab-conf-46 before this program runs (rabbitmqctl add_vhost, and
// set_permissions for guest) and deletes it afterwards, leaving RabbitMQ as it found it; on the simulator it adds it
// with AmqpBroker.addVhost (test/conformance/broker-control.ts).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const base = /^amqps?:\/\/[^/?#]*/.exec(url)[0];
const VHOST = 'mqlab-conf-46';
const parsed = new URL(url);
const asObject = (vhost) => ({
  protocol: parsed.protocol.slice(0, -1), hostname: parsed.hostname, port: Number(parsed.port) || undefined,
  username: decodeURIComponent(parsed.username) || undefined, password: decodeURIComponent(parsed.password) || undefined,
  vhost,
});
const short = (message) => message.replace(/^Operation failed: \w+; /, '');
async function attempt(conn, label, action) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    console.log(`${label}: ok`, JSON.stringify(await action(ch)));
    await ch.close();
  } catch (err) {
    console.log(`${label}:`, short(err.message));
  }
}

// The default vhost, four ways.
const main = await amqp.connect(url);
const mch = await main.createChannel();
await mch.assertQueue('conf-46-q', { durable: false });
mch.sendToQueue('conf-46-q', Buffer.from('in /'));
for (const [label, target] of [['/%2f', `${base}/%2f`], ['/%2F', `${base}/%2F`], ['trailing /', `${base}/`],
  ['object vhost "/"', asObject('/')]]) {
  const conn = await amqp.connect(target);
  await attempt(conn, `${label}: the default vhost's queue`, (ch) => ch.checkQueue('conf-46-q'));
  await conn.close();
}

// Another vhost: same names, other things.
const other = await amqp.connect(`${base}/${VHOST}`);
await attempt(other, `${VHOST}: conf-46-q is not there`, (ch) => ch.checkQueue('conf-46-q'));
await attempt(other, `${VHOST}: declare conf-46-q with other arguments`,
  (ch) => ch.assertQueue('conf-46-q', { durable: true, arguments: { 'x-max-length': 1 } }));
await attempt(other, `${VHOST}: its own amq.topic`, (ch) => ch.checkExchange('amq.topic'));
await attempt(other, `${VHOST}: an exchange of '/' is not there`, async (ch) => {
  await mch.assertExchange('conf-46-x', 'fanout', { durable: false });
  return ch.checkExchange('conf-46-x');
});
await attempt(other, `${VHOST}: publish to a missing exchange`, async (ch) => {
  ch.publish('conf-46-x', '', Buffer.from('x'));
  return ch.checkQueue('conf-46-q');
});
await attempt(other, `${VHOST}: default exchange, two messages`, async (ch) => {
  ch.sendToQueue('conf-46-q', Buffer.from('a'));
  ch.sendToQueue('conf-46-q', Buffer.from('b'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  return ch.checkQueue('conf-46-q');
});
await attempt(main, '/: conf-46-q still has its one message', (ch) => ch.checkQueue('conf-46-q'));
await attempt(other, `${VHOST}: redeclare with durable false`, (ch) => ch.assertQueue('conf-46-q', { durable: false }));
await attempt(other, `${VHOST}: an exclusive conf-46-q2`, (ch) => ch.assertQueue('conf-46-q2', { exclusive: true }));
await attempt(main, '/: an exclusive conf-46-q2 as well', (ch) => ch.assertQueue('conf-46-q2', { exclusive: true }));
await attempt(other, `${VHOST}: bad argument`, (ch) => ch.assertQueue('conf-46-bad', { arguments: { 'x-max-length': -1 } }));
await attempt(other, `${VHOST}: delete amq.direct`, (ch) => ch.deleteExchange('amq.direct'));
const escaped = await amqp.connect(`${base}/mqlab%2Dconf-46`);
await attempt(escaped, 'the escaped path %2D is unescaped', (ch) => ch.checkQueue('conf-46-q'));
await escaped.close();
const byObject = await amqp.connect(asObject(VHOST));
await attempt(byObject, 'object URL with vhost', (ch) => ch.checkQueue('conf-46-q'));
await byObject.close();

// Unknown vhosts.
for (const target of [`${base}/mqlab-conf-46-nope`, `${base}/Mqlab-conf-46`, asObject('mqlab-conf-46-nope')]) {
  try {
    await amqp.connect(target);
    console.log('unknown vhost: connected');
  } catch (err) {
    console.log('unknown vhost:', err.name, '-', err.message, '| code', err.code);
  }
}

await attempt(other, `${VHOST}: delete conf-46-q`, (ch) => ch.deleteQueue('conf-46-q'));
await other.close();
await mch.deleteQueue('conf-46-q');
await mch.deleteExchange('conf-46-x');
await main.close();
