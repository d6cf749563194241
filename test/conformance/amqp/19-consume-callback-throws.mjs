// An exception thrown by a consume callback: amqplib catches it and closes the channel with 541 INTERNAL_ERROR;
// once RabbitMQ confirmed, the channel emits 'error' (the thrown error, code 541) and 'close', and the message
// goes back to the queue. With no channel 'error' listener it becomes a connection error instead.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const queue = 'conf-19-q';
const setup = await amqp.connect(url);
const admin = await setup.createChannel();
await admin.assertQueue(queue, { durable: false });
await admin.purgeQueue(queue);

async function consumeAndThrow(label, listenOnChannel) {
  const conn = await amqp.connect(url);
  conn.on('error', (err) => console.log(`${label}: connection error event:`, err.message, err.code));
  conn.on('close', (err) => console.log(`${label}: connection close event:`, err ? err.message : 'no error'));
  const ch = await conn.createChannel();
  if (listenOnChannel) {
    ch.on('error', (err) => console.log(`${label}: channel error event:`, err.name, err.message, err.code));
  }
  ch.on('close', () => console.log(`${label}: channel close event`));
  admin.sendToQueue(queue, Buffer.from(`${label} boom`));
  await ch.consume(queue, (msg) => {
    console.log(`${label}: got`, msg.content.toString());
    throw new TypeError(`cannot handle ${msg.content.toString()}`);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    await ch.checkQueue(queue);
  } catch (err) {
    console.log(`${label}: next call:`, err.name, '-', err.message);
  }
  const after = await admin.checkQueue(queue);
  console.log(`${label}: ready in the queue:`, after.messageCount, 'consumers:', after.consumerCount);
  return conn;
}

const first = await consumeAndThrow('with channel listener', true);
await first.close();
await admin.purgeQueue(queue);
await consumeAndThrow('connection listener only', false);
await admin.deleteQueue(queue);
await setup.close();
