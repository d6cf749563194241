// The empty queue name as a shortcut: purgeQueue(''), deleteQueue(''), consume('') and get('') act on the queue
// this channel declared last (assertQueue, a server-named queue, or a successful checkQueue). A channel that has
// declared nothing gets 404 "no previously declared queue"; checkQueue('') itself is not a shortcut.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `op` on a fresh channel after `setup`, printing its result or its error. */
async function attempt(label, setup, op) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    if (setup) await setup(ch);
    console.log(`${label}:`, JSON.stringify(await op(ch)));
  } catch (err) {
    console.log(`${label}: failed -`, err.message ?? 'channel closed');
  }
  try {
    await ch.close();
  } catch {
    // already closed by the server
  }
}

const Q = 'conf-21-tasks';
const P = 'conf-21-other';
const declareWithTwo = async (ch) => {
  await ch.assertQueue(Q, { durable: false });
  await ch.purgeQueue(Q);
  ch.sendToQueue(Q, Buffer.from('first'));
  ch.sendToQueue(Q, Buffer.from('second'));
  await pause(50);
};

await attempt('purge("") with nothing declared', null, (ch) => ch.purgeQueue(''));
await attempt('consume("") with nothing declared', null, (ch) => ch.consume('', () => {}));
await attempt('delete("") with nothing declared', null, (ch) => ch.deleteQueue(''));
await attempt('get("") with nothing declared', null, (ch) => ch.get('', { noAck: true }));
await attempt('checkQueue("") after a declare', declareWithTwo, (ch) => ch.checkQueue(''));
await attempt('purge("") after a declare', declareWithTwo, (ch) => ch.purgeQueue(''));
await attempt('get("") after a declare', declareWithTwo, async (ch) => (await ch.get('', { noAck: true })).content.toString());
await attempt('consume("") after a declare', declareWithTwo, async (ch) => {
  const seen = [];
  await ch.consume('', (msg) => seen.push(msg.content.toString()), { noAck: true });
  await pause(100);
  return seen;
});
await attempt('the last of two declares wins', async (ch) => {
  await declareWithTwo(ch);
  await ch.assertQueue(P, { durable: false });
}, async (ch) => {
  const purged = await ch.purgeQueue('');
  await ch.deleteQueue(P);
  return purged;
});
await attempt('a passive declare counts too', async (ch) => {
  await declareWithTwo(ch);
  const other = await conn.createChannel();
  await other.checkQueue(Q);
  console.log('  other channel purge(""):', JSON.stringify(await other.purgeQueue('')));
  await other.close();
}, (ch) => ch.checkQueue(Q));
await attempt('delete("") after a declare', declareWithTwo, async (ch) => {
  const deleted = await ch.deleteQueue('');
  console.log('  deleted:', JSON.stringify(deleted));
  return ch.purgeQueue(''); // still names the deleted queue
});
await attempt('a server-named queue', async (ch) => {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  ch.sendToQueue(queue, Buffer.from('x'));
  await pause(50);
}, (ch) => ch.purgeQueue(''));
await conn.close();
