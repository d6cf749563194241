// Redeclaring a queue that has DLX / TTL / length-limit arguments with the same, different, missing and extra
// arguments; argument given via `arguments` vs the amqplib option; bad argument types for the new features.
import amqp from 'amqplib';
const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
conn.on('error', (e) => console.log('conn error:', e.message));
async function attempt(label, options, name = 'qa-p22-q') {
  const c = await conn.createChannel();
  c.on('error', () => {});
  try {
    const r = await c.assertQueue(name, options);
    console.log(`${label}: ok ${r.messageCount}/${r.consumerCount}`);
  } catch (e) {
    console.log(`${label}:`, e.message.replace(/^Operation failed: QueueDeclare; /, ''));
  }
  try { await c.close(); } catch { /* closed */ }
}
const base = { durable: false, messageTtl: 1000, maxLength: 5, overflow: 'reject-publish', deadLetterExchange: 'qa-p22.dlx', deadLetterRoutingKey: 'dead' };
await attempt('first declare', base);
await attempt('same again', base);
await attempt('same via arguments', { durable: false, arguments: { 'x-message-ttl': 1000, 'x-max-length': 5, 'x-overflow': 'reject-publish', 'x-dead-letter-exchange': 'qa-p22.dlx', 'x-dead-letter-routing-key': 'dead' } });
await attempt('no arguments at all', { durable: false });
await attempt('other messageTtl', { ...base, messageTtl: 2000 });
await attempt('other maxLength', { ...base, maxLength: 6 });
await attempt('other overflow', { ...base, overflow: 'drop-head' });
await attempt('other DLX', { ...base, deadLetterExchange: 'qa-p22.other' });
await attempt('without DLK', { ...base, deadLetterRoutingKey: undefined });
await attempt('extra maxPriority', { ...base, maxPriority: 3 });
await attempt('extra expires', { ...base, expires: 60000 });
await attempt('messageTtl as string', { durable: false, arguments: { 'x-message-ttl': '1000' } }, 'qa-p22-bad');
await attempt('DLX as number', { durable: false, arguments: { 'x-dead-letter-exchange': 5 } }, 'qa-p22-bad');
await attempt('DLK without DLX', { durable: false, deadLetterRoutingKey: 'k' }, 'qa-p22-bad5');
await attempt('overflow with DLX-less reject-publish-dlx', { durable: false, overflow: 'reject-publish-dlx' }, 'qa-p22-bad2');
await attempt('maxLength as float arg', { durable: false, arguments: { 'x-max-length': 2.5 } }, 'qa-p22-bad3');
await attempt('messageTtl huge', { durable: false, messageTtl: 2 ** 32 + 1 }, 'qa-p22-bad4');
const ch = await conn.createChannel();
for (const q of ['qa-p22-q', 'qa-p22-bad', 'qa-p22-bad2', 'qa-p22-bad3', 'qa-p22-bad4', 'qa-p22-bad5']) await ch.deleteQueue(q);
await conn.close();
