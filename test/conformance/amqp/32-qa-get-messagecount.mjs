// basic.get-ok messageCount and queue.declare-ok messageCount when the queue holds expired-but-not-yet-dropped
// messages (short TTL behind a long one), after drop-head, and on a DLQ fed by rejects; reject-publish with a
// waiting consumer at maxLength 0 on a confirm channel.
import amqp from 'amqplib';
const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const ch = await conn.createChannel();
await ch.assertQueue('qa-p23-q', { durable: false });
ch.sendToQueue('qa-p23-q', Buffer.from('long'), { expiration: '10000' });
ch.sendToQueue('qa-p23-q', Buffer.from('s1'), { expiration: '50' });
ch.sendToQueue('qa-p23-q', Buffer.from('s2'), { expiration: '50' });
ch.sendToQueue('qa-p23-q', Buffer.from('keep'));
await pause(200);
console.log('declare-ok count:', (await ch.checkQueue('qa-p23-q')).messageCount);
const g = await ch.get('qa-p23-q', { noAck: true });
console.log('get:', g.content.toString(), 'messageCount', g.fields.messageCount);
const g2 = await ch.get('qa-p23-q', { noAck: true });
console.log('get:', g2 && g2.content.toString(), 'messageCount', g2 && g2.fields.messageCount);
console.log('declare-ok count:', (await ch.checkQueue('qa-p23-q')).messageCount);
// confirm channel, maxLength 0 reject-publish, with and without a consumer
const cc = await conn.createConfirmChannel();
await cc.assertQueue('qa-p23-z', { durable: false, maxLength: 0, overflow: 'reject-publish' });
const res = [];
const send = (b) => new Promise((r) => cc.sendToQueue('qa-p23-z', Buffer.from(b), {}, (err) => { res.push(`${b}:${err ? 'nack' : 'ack'}`); r(); }));
await send('alone');
const c = await conn.createChannel();
await c.prefetch(1);
const got = [];
await c.consume('qa-p23-z', (m) => got.push(m));
await send('with-consumer');
await send('consumer-full');
await pause(50);
console.log('confirms:', res.join(' '), 'consumer got:', got.map((m) => m.content.toString()).join(' '));
if (got[0]) c.nack(got[0], false, true);
await pause(50);
console.log('after requeue consumer got:', got.slice(1).map((m) => `${m.content}${m.fields.redelivered ? '*' : ''}`).join(' ') || '-', 'ready', (await ch.checkQueue('qa-p23-z')).messageCount);
await c.close();
await pause(50);
console.log('after consumer closed ready', (await ch.checkQueue('qa-p23-z')).messageCount);
await ch.deleteQueue('qa-p23-q');
await ch.deleteQueue('qa-p23-z');
await conn.close();
