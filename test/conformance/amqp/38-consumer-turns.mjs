// Whose turn is it? RabbitMQ serves consumers in turn; one found full (at its prefetch) when its turn comes drops
// out of the line and, once an ack gives it room, rejoins at the END — behind consumers that got room earlier. So
// the order of the acks decides who gets the next message, not the order the consumers subscribed in.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const queue = 'conf-38-turns';
const log = [];
const held = {};
const channels = {};
const step = async (what) => {
  await pause(60);
  console.log(`${what}: ${log.splice(0).join(' ') || '-'}`);
};

await ch.deleteQueue(queue);
await ch.assertQueue(queue, { durable: false });
for (const name of ['ann', 'bob', 'cy']) {
  const c = await conn.createChannel();
  await c.prefetch(1);
  channels[name] = c;
  held[name] = [];
  await c.consume(queue, (m) => {
    if (m === null) return;
    log.push(`${name}<${m.content}`);
    held[name].push(m);
  });
}
const ack = (name) => channels[name].ack(held[name].shift());

for (const body of ['m1', 'm2', 'm3', 'm4']) ch.sendToQueue(queue, Buffer.from(body));
await step('four messages, three consumers with prefetch 1');
ack('cy');
await step('cy acks (m4 was waiting)');
ack('cy');
await pause(30);
ack('bob');
await pause(30);
ack('ann');
await step('cy, bob, ann ack while nothing waits');
for (const body of ['n1', 'n2', 'n3']) {
  ch.sendToQueue(queue, Buffer.from(body));
  await pause(30);
}
await step('three new messages');
ack('ann');
await pause(30);
ack('cy');
await pause(30);
ack('bob');
await pause(30);
for (const body of ['p1', 'p2']) ch.sendToQueue(queue, Buffer.from(body));
await step('ann, cy, bob ack, then two more');

for (const c of Object.values(channels)) await c.close();
await ch.deleteQueue(queue);
await conn.close();
