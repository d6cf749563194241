// basic.get: false on an empty queue; otherwise one message whose fields include messageCount (ready messages
// left after this one) and no consumer tag.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-10-get';

const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });

console.log('get on empty queue:', await ch.get(queue));

ch.sendToQueue(queue, Buffer.from('alpha'));
ch.sendToQueue(queue, Buffer.from('beta'));
await sleep(300);

const msg = await ch.get(queue, { noAck: false });
const { deliveryTag, redelivered, exchange, routingKey, messageCount } = msg.fields;
console.log('got', msg.content.toString(), { deliveryTag, redelivered, exchange, routingKey, messageCount });
console.log('has consumerTag field:', 'consumerTag' in msg.fields);
ch.ack(msg);

const second = await ch.get(queue, { noAck: true });
console.log('then', second.content.toString(), 'messageCount', second.fields.messageCount);
console.log('then empty again:', await ch.get(queue));

await ch.deleteQueue(queue);
await conn.close();
