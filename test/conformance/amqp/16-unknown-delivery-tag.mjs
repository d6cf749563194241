// Acking a delivery tag the channel never delivered is a channel error: 406 PRECONDITION_FAILED, the channel
// closes (other channels of the connection keep working).
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const queue = 'conf-16-tags';

const conn = await amqp.connect(url);
const other = await conn.createChannel();
await other.assertQueue(queue, { durable: false });

const ch = await conn.createChannel();
ch.on('error', (err) => {
  console.log('channel error event:', err.message);
  console.log('reply code:', err.code);
});
ch.on('close', () => console.log('channel close event'));

ch.ack({ fields: { deliveryTag: 42 } });
await sleep(300);

other.sendToQueue(queue, Buffer.from('still fine'));
await sleep(300);
const msg = await other.get(queue, { noAck: true });
console.log('other channel still works:', msg.content.toString());

await other.deleteQueue(queue);
await conn.close();
