// Queue length limits: maxLength counts READY messages only. When a message would go past it, overflow
// 'drop-head' (the default) pushes the oldest out — to the dead-letter exchange as "maxlen" if there is one;
// 'reject-publish' refuses the new message (a publisher confirm says nack); 'reject-publish-dlx' refuses it and
// dead-letters it. A consumer that can take the message gets it first. Bad limits fail the declare with 406.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const dead = 'conf-26-dead';
const bodies = async (q) => {
  const out = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
    const death = m.properties.headers?.['x-death']?.[0];
    out.push(death ? `${m.content.toString()}(${death.reason} from ${death.queue})` : m.content.toString());
  }
  return out.join(' ') || '-';
};

await ch.assertQueue(dead, { durable: false });
await ch.purgeQueue(dead);
const withDlx = { durable: false, deadLetterExchange: '', deadLetterRoutingKey: dead };
for (const [name, options] of [
  ['conf-26-head', { ...withDlx, maxLength: 2 }],
  ['conf-26-head-nodlx', { durable: false, maxLength: 2 }],
  ['conf-26-reject', { ...withDlx, maxLength: 2, overflow: 'reject-publish' }],
  ['conf-26-reject-dlx', { ...withDlx, maxLength: 2, overflow: 'reject-publish-dlx' }],
  ['conf-26-zero', { ...withDlx, maxLength: 0 }],
]) {
  await ch.assertQueue(name, options);
  await ch.purgeQueue(name);
  for (const body of ['m1', 'm2', 'm3', 'm4']) ch.sendToQueue(name, Buffer.from(body));
  await pause(50);
  console.log(`${name}: holds ${await bodies(name)}; dead ${await bodies(dead)}`);
}

// Unacked messages do not count.
await ch.assertQueue('conf-26-unacked', { durable: false, maxLength: 1 });
ch.sendToQueue('conf-26-unacked', Buffer.from('u1'));
await pause(50);
const held = await ch.get('conf-26-unacked');
ch.sendToQueue('conf-26-unacked', Buffer.from('u2'));
ch.sendToQueue('conf-26-unacked', Buffer.from('u3'));
await pause(50);
console.log('one unacked, then two more:', await bodies('conf-26-unacked'));
ch.ack(held);

// A waiting consumer gets the message even at maxLength 0.
const got = [];
const { consumerTag } = await ch.consume('conf-26-zero', (m) => got.push(m.content.toString()), { noAck: true });
ch.sendToQueue('conf-26-zero', Buffer.from('taken'));
await pause(50);
console.log('maxLength 0 with a consumer:', JSON.stringify(got), 'dead:', await bodies(dead));
await ch.cancel(consumerTag);

// Publisher confirms: refused messages are nacked.
const confirms = await conn.createConfirmChannel();
await confirms.assertQueue('conf-26-confirm', { durable: false, maxLength: 1, overflow: 'reject-publish' });
await confirms.purgeQueue('conf-26-confirm');
const answers = [];
for (const body of ['first', 'second']) {
  confirms.sendToQueue('conf-26-confirm', Buffer.from(body), {}, (err) => answers.push(`${body}: ${err ? err.message : 'ack'}`));
}
try {
  await confirms.waitForConfirms();
  console.log('waitForConfirms resolved');
} catch (err) {
  console.log('waitForConfirms rejected:', err.message);
}
console.log('confirms:', JSON.stringify(answers));

for (const [label, options] of [['maxLength -1', { maxLength: -1 }], ['maxLength "5"', { maxLength: '5' }],
  ['maxLength 1.5', { maxLength: 1.5 }], ['overflow "nope"', { overflow: 'nope' }]]) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    await c.assertQueue('conf-26-bad', { durable: false, ...options });
    console.log(`${label}: declared`);
  } catch (err) {
    console.log(`${label}:`, err.message);
  }
}
for (const q of [dead, 'conf-26-head', 'conf-26-head-nodlx', 'conf-26-reject', 'conf-26-reject-dlx', 'conf-26-zero',
  'conf-26-unacked']) await ch.deleteQueue(q);
await confirms.deleteQueue('conf-26-confirm');
await conn.close();
