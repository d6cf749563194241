// Redeclaring exchanges with different options: same options (ok), internal, alternateExchange / arguments,
// autoDelete, durable; checkExchange of the wrong type name; exchange names with odd characters; exchange types in
// other case; publish to an internal exchange.
import amqp from 'amqplib';
const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
conn.on('error', (e) => console.log('conn error:', e.message));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
async function attempt(label, op) {
  const c = await conn.createChannel();
  let err = null;
  c.on('error', (e) => { err = e.message; });
  try {
    const r = await op(c);
    await pause(50);
    console.log(`${label}:`, JSON.stringify(r), err ? `(then ${err})` : '');
  } catch (e) {
    console.log(`${label}: failed -`, e.message);
  }
  try { await c.close(); } catch { /* closed */ }
}
const ch = await conn.createChannel();
await ch.assertExchange('qa-p10.x', 'topic', { durable: false });
await attempt('same options', (c) => c.assertExchange('qa-p10.x', 'topic', { durable: false }));
await attempt('internal differs', (c) => c.assertExchange('qa-p10.x', 'topic', { durable: false, internal: true }));
await attempt('alternateExchange differs', (c) => c.assertExchange('qa-p10.x', 'topic', { durable: false, alternateExchange: 'qa-p10.alt' }));
await attempt('arguments differ', (c) => c.assertExchange('qa-p10.x', 'topic', { durable: false, arguments: { foo: 'bar' } }));
await attempt('new with type headers', (c) => c.assertExchange('qa-p10.h', 'headers', { durable: false }));
await attempt('checkExchange existing', (c) => c.checkExchange('qa-p10.x'));
await attempt('checkExchange amq.fanout', (c) => c.checkExchange('amq.fanout'));
await attempt('checkExchange default', (c) => c.checkExchange(''));
await attempt('name with spaces/unicode', (c) => c.assertExchange('qa-p10 ünï code', 'fanout', { durable: false, autoDelete: true }));
await attempt('name too long', (c) => c.assertExchange('qa-' + 'x'.repeat(260), 'fanout', { durable: false }));
await attempt('declare amq.direct same type', (c) => c.assertExchange('amq.direct', 'direct'));
await attempt('declare amq.direct other type', (c) => c.assertExchange('amq.direct', 'fanout'));
await attempt('declare amq.match as headers', (c) => c.assertExchange('amq.match', 'headers'));
await ch.assertExchange('qa-p10.internal', 'fanout', { durable: false, internal: true });
await ch.assertQueue('qa-p10-q', { durable: false });
await ch.bindQueue('qa-p10-q', 'qa-p10.internal', '');
await attempt('publish to internal', async (c) => { c.publish('qa-p10.internal', '', Buffer.from('x')); return 'sent'; });
console.log('queue behind internal:', (await ch.checkQueue('qa-p10-q')).messageCount);
await attempt('delete ifUnused unbound', (c) => c.deleteExchange('qa-p10.x', { ifUnused: true }));
await attempt('check after delete', (c) => c.checkExchange('qa-p10.x'));
await ch.deleteQueue('qa-p10-q');
await ch.deleteExchange('qa-p10.internal');
await ch.deleteExchange('qa-p10.h');
await ch.deleteExchange('qa-p10 ünï code');
await attempt('type in capitals', (c) => c.assertExchange('qa-p10.y', 'TOPIC', { durable: false }));
await pause(100);
await conn.close().catch((e) => console.log('close:', e.message));
