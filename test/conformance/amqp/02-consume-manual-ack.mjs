// basic.consume with manual acknowledgements: delivery tags count up per channel, nothing is redelivered, and the
// queue is empty once every message is acked.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-02-jobs';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });

for (const body of ['job-a', 'job-b', 'job-c']) {
  console.log('sendToQueue returned', ch.sendToQueue(queue, Buffer.from(body)));
}

const ok = await ch.consume(queue, (msg) => {
  if (msg === null) return; // the server cancels the consumer when the queue is deleted at the end
  console.log('received', msg.content.toString(), 'tag', msg.fields.deliveryTag, 'redelivered', msg.fields.redelivered);
  console.log('  routed via', JSON.stringify(msg.fields.exchange), 'with key', msg.fields.routingKey);
  ch.ack(msg);
}, { noAck: false });
console.log('consume reply has a consumer tag:', typeof ok.consumerTag === 'string' && ok.consumerTag.length > 0);

await sleep(300);
const after = await ch.checkQueue(queue);
console.log('ready after acks:', after.messageCount, 'consumers:', after.consumerCount);

await ch.deleteQueue(queue);
await conn.close();
