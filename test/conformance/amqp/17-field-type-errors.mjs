// Arguments of the wrong type: amqplib checks each field when it encodes a frame (lib/defs.js). publish and ack
// throw at once; an RPC (assertQueue, deleteQueue, cancel, …) returns a promise that rejects — and, a quirk of
// amqplib 0.10, leaves its channel waiting for a reply that never comes, so each case uses a fresh channel.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const queue = 'conf-17-q';
const conn = await amqp.connect(url);
const ch = await conn.createChannel();
await ch.assertQueue(queue, { durable: false });

function sync(label, fn) {
  try {
    console.log(label, 'returned', fn());
  } catch (err) {
    console.log(label, 'threw', err.name, '-', err.message);
  }
}
sync('sendToQueue(123):', () => ch.sendToQueue(123, Buffer.from('x')));
sync('priority "high":', () => ch.sendToQueue(queue, Buffer.from('x'), { priority: 'high' }));
sync('priority 300:', () => ch.sendToQueue(queue, Buffer.from('x'), { priority: 300 }));
sync('messageId 5:', () => ch.sendToQueue(queue, Buffer.from('x'), { messageId: 5 }));
sync('headers "h":', () => ch.sendToQueue(queue, Buffer.from('x'), { headers: 'h' }));
sync('publish(5, …):', () => ch.publish(5, 'k', Buffer.from('x')));
sync('ack with tag "1":', () => ch.ack({ fields: { deliveryTag: '1' } }));
sync('assertQueue arguments "x":', () => ch.assertQueue('', { arguments: 'x' }));

async function rpc(label, fn) {
  const fresh = await conn.createChannel();
  fresh.on('error', (err) => console.log('  channel error event:', err.message));
  let promise;
  try {
    promise = fn(fresh);
  } catch (err) {
    console.log(label, 'threw', err.name, '-', err.message);
    return;
  }
  try {
    console.log(label, 'resolved', await promise);
  } catch (err) {
    console.log(label, 'rejected', err.name, '-', err.message);
  }
}
await rpc('assertQueue({ name }):', (c) => c.assertQueue({ name: 'x' }));
await rpc('deleteQueue(123):', (c) => c.deleteQueue(123));
await rpc('purgeQueue({}):', (c) => c.purgeQueue({}));
await rpc('cancel(undefined):', (c) => c.cancel(undefined));
await rpc('cancel(5):', (c) => c.cancel(5));
await rpc('consume(5, …):', (c) => c.consume(5, () => {}));
await rpc('get(null):', (c) => c.get(null));
await rpc('prefetch("3"):', (c) => c.prefetch('3'));
await rpc('checkQueue():', (c) => c.checkQueue());

// The wedge: after an RPC that failed to encode, the next RPC on that channel never gets an answer.
const stuck = await conn.createChannel();
await stuck.checkQueue({}).catch((err) => console.log('first RPC:', err.message));
const next = stuck.checkQueue(queue).then(() => 'answered', (err) => `rejected: ${err.message}`);
const timeout = new Promise((resolve) => setTimeout(() => resolve('still waiting after 500 ms'), 500));
console.log('next RPC on that channel:', await Promise.race([next, timeout]));
stuck.sendToQueue(queue, Buffer.from('publish still works'));
await stuck.close();
console.log('after close, the waiting RPC:', await next);

const ok = await ch.checkQueue(queue);
console.log('messages in the queue:', ok.messageCount);
await ch.deleteQueue(queue);
await conn.close();
