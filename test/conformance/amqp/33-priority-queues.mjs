// Priorities. A queue declared with maxPriority keeps one FIFO per priority and delivers the highest first; a
// message without a priority counts as 0, one above the maximum as the maximum (its property is delivered as sent).
// A requeued message returns to its place within its priority; drop-head drops the highest-priority head; message
// TTL expires a message only once it is the head of the whole queue. maxPriority must be an integer 0..255. Consumers can have priorities
// too: the highest-priority consumers with spare prefetch get messages, lower ones only while those are full.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const label = (m) => `${m.content}${m.properties.priority === undefined ? '' : `(p${m.properties.priority})`}`;
const drain = async (queue) => {
  const out = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) out.push(label(m));
  return out.join(' ') || '-';
};
const fresh = async (queue, options) => {
  await ch.deleteQueue(queue);
  await ch.assertQueue(queue, { durable: false, ...options });
};
const publish = (queue, list) => {
  for (const [body, priority] of list) {
    ch.sendToQueue(queue, Buffer.from(body), priority === undefined ? {} : { priority });
  }
};

// Delivery order: by priority (capped at maxPriority 4), FIFO within one.
const mixed = [['a'], ['b', 2], ['c', 7], ['d', 0], ['e', 4], ['f', 2], ['g', 255], ['h', 1]];
await fresh('conf-33-order', { maxPriority: 4 });
publish('conf-33-order', mixed);
await pause(50);
console.log('order:', await drain('conf-33-order'));

// Requeue: back to the original place within the priority, whatever the order of the nacks.
publish('conf-33-order', mixed);
await pause(50);
const first = await ch.get('conf-33-order');
const second = await ch.get('conf-33-order');
const third = await ch.get('conf-33-order');
console.log('got:', label(first), label(second), label(third));
ch.nack(third, false, true);
ch.nack(first, false, true);
await pause(50);
console.log('after requeueing the 3rd and the 1st:', await drain('conf-33-order'));
ch.ack(second);

// Length limit, drop-head: the head is the oldest message of the highest priority, even one just published.
await fresh('conf-33-limit', { maxPriority: 3, maxLength: 3 });
publish('conf-33-limit', [['x1', 0], ['x2', 3], ['x3', 1], ['x4', 0], ['x5', 3]]);
await pause(50);
console.log('maxLength 3:', await drain('conf-33-limit'));

// Message TTL: a low-priority message past its expiry still counts while a higher one is ahead of it; it is
// dropped once it reaches the head.
await fresh('conf-33-ttl', { maxPriority: 2 });
ch.sendToQueue('conf-33-ttl', Buffer.from('high'), { priority: 2 });
ch.sendToQueue('conf-33-ttl', Buffer.from('low-short-lived'), { priority: 0, expiration: '40' });
await pause(120);
const ttlCheck = await ch.checkQueue('conf-33-ttl');
console.log('after 120 ms the queue holds', ttlCheck.messageCount, 'message(s):', await drain('conf-33-ttl'));

// Counts add up across priorities.
await fresh('conf-33-count', { maxPriority: 2 });
publish('conf-33-count', [['c0', 0], ['c1', 1], ['c2', 2], ['c2b', 2]]);
await pause(50);
console.log('check:', (await ch.checkQueue('conf-33-count')).messageCount);
const got = await ch.get('conf-33-count', { noAck: true });
console.log('get:', label(got), 'messageCount', got.fields.messageCount);

// Bad maxPriority values fail the declare with 406.
for (const value of [0, 255, 256, -1, 'high', 1.5]) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    await c.assertQueue(`conf-33-max-${value}`, { durable: false, maxPriority: value });
    console.log(`maxPriority ${value}: ok`);
    await c.deleteQueue(`conf-33-max-${value}`);
    await c.close();
  } catch (e) {
    console.log(`maxPriority ${value}: ${e.message}`);
  }
}

// Consumer priorities: high (10) and low (0) take 2 at a time, mid (5) and plain (no priority) 1 at a time.
await fresh('conf-33-consumers', {});
const received = {};
for (const [name, priority, prefetch] of [['low', 0, 2], ['high', 10, 2], ['mid', 5, 1], ['plain', undefined, 1]]) {
  const c = await conn.createChannel();
  await c.prefetch(prefetch);
  received[name] = [];
  await c.consume('conf-33-consumers', (m) => {
    if (m === null) return; // cancelled: the queue is deleted at the end
    received[name].push(m.content.toString());
    setTimeout(() => c.ack(m), 100);
  }, priority === undefined ? {} : { priority });
}
for (let i = 1; i <= 8; i++) ch.sendToQueue('conf-33-consumers', Buffer.from(`m${i}`));
await pause(400);
for (const [name, list] of Object.entries(received)) console.log(`consumer ${name}:`, list.join(' ') || '-');

// A consumer priority must be an integer.
for (const value of [-5, 2.5, 'x']) {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    await c.consume('conf-33-consumers', () => {}, { priority: value });
    console.log(`consumer priority ${value}: ok`);
    await c.close();
  } catch (e) {
    console.log(`consumer priority ${value}: ${e.message}`);
  }
}

for (const q of ['conf-33-order', 'conf-33-limit', 'conf-33-ttl', 'conf-33-count', 'conf-33-consumers']) await ch.deleteQueue(q);
await conn.close();
