// A queue that holds at most 3 messages, and a publisher that
// asks the broker to confirm each message.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'lesson15.orders';
const DEAD = 'lesson15.orders.dead';
const OVERFLOW = 'reject-publish';

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.deleteQueue(QUEUE);
await channel.deleteQueue(DEAD);
await channel.assertQueue(DEAD, { durable: false });
await channel.assertQueue(QUEUE, {
  durable: false,
  maxLength: 3,
  overflow: OVERFLOW,
  deadLetterExchange: '',
  deadLetterRoutingKey: DEAD,
});

for (let n = 1; n <= 5; n++) {
  channel.sendToQueue(QUEUE, Buffer.from(`order ${n}`), {},
    (err) => console.log(`order ${n}:`,
      err ? 'nack, the queue refused it' : 'ack, the broker has it'));
}
try {
  await channel.waitForConfirms();
} catch {
  console.log('waitForConfirms failed: at least one nack');
}

for (const queue of [QUEUE, DEAD]) {
  const bodies = [];
  for (;;) {
    const msg = await channel.get(queue, { noAck: true });
    if (msg === false) break;
    const deaths = msg.properties.headers?.['x-death'];
    bodies.push(`${msg.content}${deaths ? ` (${deaths[0].reason})` : ''}`);
  }
  console.log(`${queue}: ${bodies.join(', ') || 'empty'}`);
}
await connection.close();
