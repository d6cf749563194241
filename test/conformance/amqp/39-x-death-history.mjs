// The x-death history of a message dead-lettered many times. Dying again from the same queue for the same reason
// only increments that entry's count (its exchange and routing-keys stay those of the first such death) and moves
// it to the front. RabbitMQ 3.10 also reverses the older entries whenever it adds to a history of two or more, so
// a chain q1 → q2 → q3 → q4 lists q4, q2, q1, q3. Entries written after the first one have their keys sorted.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const chain = ['conf-39-q1', 'conf-39-q2', 'conf-39-q3', 'conf-39-q4', 'conf-39-end'];
const entry = (d) => Object.entries(d)
  .map(([k, v]) => `${k}=${k === 'time' ? typeof v : JSON.stringify(v)}`).join(' ');
const rejectFrom = async (queue) => {
  const m = await ch.get(queue);
  if (m) ch.nack(m, false, false);
  await pause(40);
};

for (const q of chain) await ch.deleteQueue(q);
for (let i = 0; i < chain.length; i++) {
  const next = chain[i + 1];
  await ch.assertQueue(chain[i], next === undefined ? { durable: false }
    : { durable: false, deadLetterExchange: '', deadLetterRoutingKey: next });
}
ch.sendToQueue('conf-39-q1', Buffer.from('traveller'), { headers: { note: 'kept' } });
await pause(40);
for (const q of chain.slice(0, 4)) await rejectFrom(q);
const end = await ch.get('conf-39-end', { noAck: true });
console.log('chain of four deaths:');
for (const d of end.properties.headers['x-death']) console.log(`  ${entry(d)}`);
console.log('other headers:', Object.keys(end.properties.headers).filter((k) => k !== 'x-death').join(', '));

// A loop back into the same queue: Q dead-letters through a fanout exchange bound to Q itself.
await ch.deleteQueue('conf-39-loop');
await ch.deleteExchange('conf-39-back');
await ch.assertExchange('conf-39-back', 'fanout', { durable: false });
await ch.assertQueue('conf-39-loop', { durable: false, deadLetterExchange: 'conf-39-back', deadLetterRoutingKey: 'again' });
await ch.bindQueue('conf-39-loop', 'conf-39-back', '');
ch.sendToQueue('conf-39-loop', Buffer.from('boomerang'));
await pause(40);
for (let round = 1; round <= 3; round++) {
  await rejectFrom('conf-39-loop');
  const peek = await ch.get('conf-39-loop');
  console.log(`after ${round} rejection(s): key ${peek.fields.routingKey} via ${peek.fields.exchange};`,
    peek.properties.headers['x-death'].map(entry).join(' | '));
  ch.nack(peek, false, true); // back where it was
  await pause(40);
}

for (const q of [...chain, 'conf-39-loop']) await ch.deleteQueue(q);
await ch.deleteExchange('conf-39-back');
await conn.close();
