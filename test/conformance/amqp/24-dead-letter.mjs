// Dead-lettering: a message rejected without requeue (nack or reject) from a queue with a dead-letter exchange is
// republished there with x-death headers instead of being dropped; its routing key is kept unless the queue sets
// deadLetterRoutingKey. Dying again adds (or counts up) an x-death entry; x-first-death-* stay. No DLX, a DLX that
// does not exist, or one that routes nowhere: the message is gone.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
/** x-death entries without their `time` (a wall-clock timestamp), whose type is shown instead. */
const show = (headers) => JSON.stringify(headers, (key, value) => (key === 'time' ? `<${value && value['!']}>` : value));

await ch.assertExchange('conf-24.dlx', 'fanout', { durable: false });
await ch.assertQueue('conf-24-dead', { durable: false });
await ch.bindQueue('conf-24-dead', 'conf-24.dlx', '');
await ch.assertQueue('conf-24-work', { durable: false, deadLetterExchange: 'conf-24.dlx' });
await ch.assertQueue('conf-24-retry', { durable: false, deadLetterExchange: '', deadLetterRoutingKey: 'conf-24-work' });
await ch.assertQueue('conf-24-plain', { durable: false });
await ch.assertQueue('conf-24-lost', { durable: false, deadLetterExchange: 'conf-24.nowhere' });
for (const q of ['conf-24-dead', 'conf-24-work', 'conf-24-retry', 'conf-24-plain', 'conf-24-lost']) await ch.purgeQueue(q);

ch.sendToQueue('conf-24-work', Buffer.from('one'), { headers: { attempt: 1 }, messageId: 'order-1' });
ch.sendToQueue('conf-24-work', Buffer.from('two'));
ch.sendToQueue('conf-24-work', Buffer.from('three'));
await pause(50);
ch.nack(await ch.get('conf-24-work'), false, false);
ch.reject(await ch.get('conf-24-work'), false);
ch.nack(await ch.get('conf-24-work'), false, true); // requeued: stays
await pause(50);
for (let m = await ch.get('conf-24-dead', { noAck: true }); m; m = await ch.get('conf-24-dead', { noAck: true })) {
  console.log('dead:', m.content.toString(), `${m.fields.exchange}/${m.fields.routingKey}`, m.fields.redelivered,
    m.properties.messageId ?? '-', show(m.properties.headers));
}
console.log('still in work:', (await ch.checkQueue('conf-24-work')).messageCount);
await ch.purgeQueue('conf-24-work');

// Twice: retry -> (default exchange, key conf-24-work) -> work -> conf-24.dlx -> dead.
ch.sendToQueue('conf-24-retry', Buffer.from('four'));
await pause(50);
ch.nack(await ch.get('conf-24-retry'), false, false);
await pause(50);
const moved = await ch.get('conf-24-work');
console.log('in work:', moved.content.toString(), `${moved.fields.exchange}/${moved.fields.routingKey}`, show(moved.properties.headers));
ch.nack(moved, false, false);
await pause(50);
const twice = await ch.get('conf-24-dead', { noAck: true });
console.log('dead twice:', `${twice.fields.exchange}/${twice.fields.routingKey}`, show(twice.properties.headers));

// The same queue and reason again: the entry counts up and moves first.
ch.publish('conf-24.dlx', 'x', Buffer.from('five'), { headers: twice.properties.headers });
await pause(50);
const again = await ch.get('conf-24-dead');
console.log('republished by hand:', show(again.properties.headers));
await ch.assertQueue('conf-24-loop', { durable: false, deadLetterExchange: '', deadLetterRoutingKey: 'conf-24-loop' });
ch.sendToQueue('conf-24-loop', Buffer.from('six'));
await pause(50);
for (let i = 0; i < 3; i++) {
  const m = await ch.get('conf-24-loop');
  ch.nack(m, false, false);
  await pause(50);
}
const looped = await ch.get('conf-24-loop', { noAck: true });
console.log('rejected three times from one queue:', show(looped.properties.headers));
ch.ack(again);

ch.sendToQueue('conf-24-plain', Buffer.from('seven'));
ch.sendToQueue('conf-24-lost', Buffer.from('eight'));
await pause(50);
ch.nack(await ch.get('conf-24-plain'), false, false);
ch.nack(await ch.get('conf-24-lost'), false, false);
await pause(50);
console.log('no DLX / missing DLX, then dead holds:', (await ch.checkQueue('conf-24-dead')).messageCount);

for (const q of ['conf-24-dead', 'conf-24-work', 'conf-24-retry', 'conf-24-plain', 'conf-24-lost', 'conf-24-loop']) {
  await ch.deleteQueue(q);
}
await ch.deleteExchange('conf-24.dlx');
await conn.close();
