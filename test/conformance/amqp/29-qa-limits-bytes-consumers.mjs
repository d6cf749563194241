// maxLengthBytes (alone and with maxLength), limits with a prefetch-limited consumer (its unacked do not count),
// nacked-with-requeue messages going back over the limit, and reject-publish-dlx on a confirm channel.
import amqp from 'amqplib';
const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const ch = await conn.createChannel();
const bodies = async (q) => {
  const out = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) {
    const d = m.properties.headers?.['x-death']?.[0];
    out.push(d ? `${m.content}(${d.reason}@${d.queue})` : `${m.content}`);
  }
  return out.join(' ') || '-';
};
const dl = { deadLetterExchange: '', deadLetterRoutingKey: 'qa-p12-dead' };
await ch.assertQueue('qa-p12-dead', { durable: false });
await ch.assertQueue('qa-p12-bytes', { durable: false, arguments: { 'x-max-length-bytes': 10 }, ...dl });
for (const b of ['aaaa', 'bbbb', 'cccc', 'dddddddddddd', 'e']) ch.sendToQueue('qa-p12-bytes', Buffer.from(b));
await pause(100);
console.log('bytes<=10:', await bodies('qa-p12-bytes'), '| dead:', await bodies('qa-p12-dead'));
await ch.assertQueue('qa-p12-bytes-rej', { durable: false, overflow: 'reject-publish', arguments: { 'x-max-length-bytes': 6 }, ...dl });
for (const b of ['aaa', 'bbb', 'c', '']) ch.sendToQueue('qa-p12-bytes-rej', Buffer.from(b));
await pause(100);
console.log('bytes<=6 reject:', await bodies('qa-p12-bytes-rej'), '| dead:', await bodies('qa-p12-dead'));

// consumer with prefetch 2 on maxLength 2 queue
await ch.assertQueue('qa-p12-max', { durable: false, maxLength: 2, ...dl });
const c = await conn.createChannel();
await c.prefetch(2);
const held = [];
await c.consume('qa-p12-max', (m) => held.push(m));
for (let i = 1; i <= 6; i++) ch.sendToQueue('qa-p12-max', Buffer.from(`m${i}`));
await pause(100);
console.log('consumer holds:', held.map((m) => m.content.toString()).join(' '), 'ready:', (await ch.checkQueue('qa-p12-max')).messageCount, '| dead:', await bodies('qa-p12-dead'));
// requeue both held: queue goes over the limit?
c.nack(held[1], false, true);
c.nack(held[0], false, true);
held.length = 0;
await pause(100);
console.log('after requeue, consumer holds:', held.map((m) => `${m.content}${m.fields.redelivered ? '*' : ''}`).join(' '), 'ready:', (await ch.checkQueue('qa-p12-max')).messageCount, '| dead:', await bodies('qa-p12-dead'));
await c.close();
await pause(100);
console.log('after consumer channel closed, ready:', (await ch.checkQueue('qa-p12-max')).messageCount, '| holds', await bodies('qa-p12-max'), '| dead:', await bodies('qa-p12-dead'));

// confirm channel on reject-publish-dlx
const cc = await conn.createConfirmChannel();
await cc.assertQueue('qa-p12-rdlx', { durable: false, maxLength: 1, overflow: 'reject-publish-dlx', ...dl });
const answers = [];
for (const b of ['r1', 'r2', 'r3']) cc.sendToQueue('qa-p12-rdlx', Buffer.from(b), {}, (err) => answers.push(`${b}:${err ? 'nack' : 'ack'}`));
await cc.waitForConfirms().catch((e) => answers.push(`wait:${e.message}`));
await pause(50);
console.log('confirms:', answers.join(' '), '| holds', await bodies('qa-p12-rdlx'), '| dead:', await bodies('qa-p12-dead'));
for (const q of ['qa-p12-dead', 'qa-p12-bytes', 'qa-p12-bytes-rej', 'qa-p12-max', 'qa-p12-rdlx']) await ch.deleteQueue(q);
await conn.close();
