// Direct reply-to: a client consumes the pseudo-queue amq.rabbitmq.reply-to (no-ack only) and publishes requests
// with replyTo 'amq.rabbitmq.reply-to' on the same channel; the server sees a rewritten reply address
// (amq.rabbitmq.reply-to.<channel>.<key>, masked below: its parts are random) and its replies to that address go
// straight back to the requesting channel. Then the ways to get it wrong, with RabbitMQ's codes and texts.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
conn.on('error', (err) => console.log('connection error:', err.message));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mask = (name) => name.replace(/^amq\.rabbitmq\.reply-to\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+/,
  'amq.rabbitmq.reply-to.<channel>.<key>');
const attempt = async (label, action) => {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    console.log(`${label}: ok`, JSON.stringify(await action(ch)));
  } catch (err) {
    console.log(`${label}:`, err.message ?? `close frame ${err.fields.replyCode} ${err.fields.replyText}`);
  }
};

// The server answers each request on its replyTo, with the request's correlationId.
const server = await conn.createChannel();
const returned = [];
server.on('return', (m) => returned.push(`${m.fields.replyCode} ${m.fields.replyText} ${mask(m.fields.routingKey)} ${m.content}`));
await server.deleteQueue('conf-42-rpc');
await server.deleteQueue('conf-42-other');
await server.assertQueue('conf-42-rpc', { durable: false });
const seen = [];
await server.consume('conf-42-rpc', (m) => {
  if (m === null) return; // cancelled: the queue was deleted
  seen.push(m.properties.replyTo);
  console.log('server got', m.content.toString(), '| replyTo', mask(m.properties.replyTo), '| correlationId',
    m.properties.correlationId);
  server.sendToQueue(m.properties.replyTo, Buffer.from(`re: ${m.content}`), { correlationId: m.properties.correlationId });
  server.ack(m);
});

const client = await conn.createChannel();
const replies = [];
const { consumerTag } = await client.consume('amq.rabbitmq.reply-to', (m) => {
  replies.push(m);
}, { noAck: true });
console.log('reply consumer tag:', consumerTag.startsWith('amq.ctag-') ? 'amq.ctag-…' : consumerTag);
client.sendToQueue('conf-42-rpc', Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' });
await pause(150);
client.sendToQueue('conf-42-rpc', Buffer.from('pong'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c2' });
await pause(150);
const show = (m) => `${m.content} | correlationId ${m.properties.correlationId} | deliveryTag ${m.fields.deliveryTag} | ` +
  `redelivered ${m.fields.redelivered} | exchange '${m.fields.exchange}' | routingKey ${mask(m.fields.routingKey)} | ` +
  `same consumer tag ${m.fields.consumerTag === consumerTag}`;
const firstReplies = replies.splice(0);
for (const m of firstReplies) console.log('client got', show(m));
console.log('one address for both requests:', seen[0] === seen[1], '| replies are routed with it:',
  firstReplies.every((m) => m.fields.routingKey === seen[0]));
const address = seen[0];

// The pseudo-queue and a live address answer a declare (active or passive) with 0 messages and 1 consumer.
await attempt('checkQueue amq.rabbitmq.reply-to', (ch) => ch.checkQueue('amq.rabbitmq.reply-to'));
await attempt('assertQueue amq.rabbitmq.reply-to', (ch) => ch.assertQueue('amq.rabbitmq.reply-to', { durable: false }));
await attempt('checkQueue of the address', async (ch) => {
  const ok = await ch.checkQueue(address);
  return { ...ok, queue: mask(ok.queue) };
});
await attempt('assertQueue amq.rabbitmq.reply-tox', (ch) => ch.assertQueue('amq.rabbitmq.reply-tox'));
await attempt('assertQueue amq.rabbitmq.other', (ch) => ch.assertQueue('amq.rabbitmq.other'));
await attempt('get', (ch) => ch.get('amq.rabbitmq.reply-to'));
await attempt('purge', (ch) => ch.purgeQueue('amq.rabbitmq.reply-to'));
await attempt('bind', (ch) => ch.bindQueue('amq.rabbitmq.reply-to', 'amq.direct', 'k'));
await attempt('unbind', (ch) => ch.unbindQueue('amq.rabbitmq.reply-to', 'amq.direct', 'k'));
await attempt('delete', (ch) => ch.deleteQueue('amq.rabbitmq.reply-to'));

// A reply published with mandatory reaches the client and (RabbitMQ 3.10) also comes back as unroutable: no queue
// took it. Addresses that name no live consumer route nowhere.
server.publish('', address, Buffer.from('mandatory reply'), { mandatory: true });
server.publish('', address.replace(/\.[^.]*$/, '.wrongkey'), Buffer.from('wrong key'), { mandatory: true });
server.publish('', 'amq.rabbitmq.reply-to', Buffer.from('bare name'), { mandatory: true });
server.publish('', 'amq.rabbitmq.reply-to.nothing', Buffer.from('one part'), { mandatory: true });
server.publish('', `${address}.extra`, Buffer.from('three parts'), { mandatory: true });
await pause(200);
for (const m of replies.splice(0)) console.log('client got', show(m));
for (const r of returned.splice(0)) console.log('server got back', r);

// The reply carries the channel's next delivery tag without using it up.
await server.assertQueue('conf-42-other', { durable: false });
server.sendToQueue('conf-42-other', Buffer.from('o1'));
server.sendToQueue('conf-42-other', Buffer.from('o2'));
await pause(100);
const tags = [];
await client.consume('conf-42-other', (m) => m && tags.push(`${m.content}:${m.fields.deliveryTag}`));
await pause(100);
client.sendToQueue('conf-42-rpc', Buffer.from('after two deliveries'), { replyTo: 'amq.rabbitmq.reply-to' });
await pause(150);
for (const m of replies.splice(0)) console.log('client got', show(m));
server.sendToQueue('conf-42-other', Buffer.from('o3'));
await pause(100);
console.log('deliveries of conf-42-other:', tags.join(' '));

// Cancelling the reply consumer: its address is dead; consuming again gives a new one.
await client.cancel(consumerTag);
server.publish('', address, Buffer.from('after cancel'), { mandatory: true });
await pause(100);
for (const r of returned.splice(0)) console.log('server got back', r);
await client.consume('amq.rabbitmq.reply-to', (m) => replies.push(m), { noAck: true });
client.sendToQueue('conf-42-rpc', Buffer.from('with a new consumer'), { replyTo: 'amq.rabbitmq.reply-to' });
await pause(150);
console.log('new address differs from the old one:', seen.at(-1) !== address, '| replies:', replies.splice(0).map((m) => `${m.content}`).join(', '));

// Wrong uses.
const misuse = async (label, action) => {
  const ch = await conn.createChannel();
  const closed = new Promise((resolve) => ch.on('close', resolve));
  ch.on('error', (err) => console.log(`${label}: channel error:`, err.message));
  try {
    await action(ch);
  } catch (err) {
    console.log(`${label}: rejected:`, err.message);
  }
  await Promise.race([closed, pause(300)]);
};
await misuse('publish with replyTo before consuming', async (ch) => {
  ch.sendToQueue('conf-42-rpc', Buffer.from('too early'), { replyTo: 'amq.rabbitmq.reply-to' });
});
await misuse('consume with acks', (ch) => ch.consume('amq.rabbitmq.reply-to', () => {}));
await misuse('consume twice', async (ch) => {
  await ch.consume('amq.rabbitmq.reply-to', () => {}, { noAck: true });
  await ch.consume('amq.rabbitmq.reply-to', () => {}, { noAck: true });
});
await misuse('publish to a missing exchange with replyTo', async (ch) => {
  ch.publish('conf-42-no-exchange', 'k', Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' });
});
console.log('requests served:', seen.length);

// A closed channel's address routes nowhere and is not found.
const goneConn = await amqp.connect(url);
const gone = await goneConn.createChannel();
await gone.consume('amq.rabbitmq.reply-to', () => {}, { noAck: true });
gone.sendToQueue('conf-42-rpc', Buffer.from('from a channel about to close'), { replyTo: 'amq.rabbitmq.reply-to' });
await pause(150);
const goneAddress = seen.at(-1);
await goneConn.close();
await pause(100);
server.publish('', goneAddress, Buffer.from('to a closed channel'), { mandatory: true });
await pause(100);
for (const r of returned.splice(0)) console.log('server got back', r);
await attempt('checkQueue of a closed channel\'s address', (ch) => ch.checkQueue(goneAddress).then((ok) => ok,
  (err) => { throw new Error(err.message.replace(goneAddress, '<address>')); }));

// The reply consumer's tag is checked against the channel's consumers: reusing one is a connection error (530);
// the other way round is allowed (the reply consumer is not one of them).
for (const [first, second] of [['conf-42-other', 'amq.rabbitmq.reply-to'], ['amq.rabbitmq.reply-to', 'conf-42-other']]) {
  const c = await amqp.connect(url);
  c.on('error', (err) => console.log(`${first} then ${second}: connection error:`, err.message));
  const ch = await c.createChannel();
  try {
    await ch.consume(first, () => {}, { noAck: true, consumerTag: 'conf-42-tag' });
    await ch.consume(second, () => {}, { noAck: true, consumerTag: 'conf-42-tag' });
    console.log(`${first} then ${second} with one tag: ok`);
    await c.close();
  } catch (err) {
    console.log(`${first} then ${second} with one tag: rejected:`, err.message);
  }
}

// An address whose channel part RabbitMQ cannot decode crashes the publisher's channel: the connection goes.
const victim = await amqp.connect(url);
victim.on('error', (err) => console.log('victim connection error:', err.message));
const victimClosed = new Promise((resolve) => victim.on('close', resolve));
const vch = await victim.createChannel();
vch.publish('', 'amq.rabbitmq.reply-to.garbage.key', Buffer.from('x'));
await victimClosed;
console.log('victim closed');

await server.deleteQueue('conf-42-rpc');
await server.deleteQueue('conf-42-other');
await conn.close();
