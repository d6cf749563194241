// x-queue-type: which declarations RabbitMQ refuses, with which 406 (or worse) and in which order. Each type
// accepts its own queue arguments and refuses those of the other types; quorum (and stream) queues must be
// durable, shared and not auto-delete, and cannot be server-named; an unknown type is refused. (A stream queue
// that RabbitMQ would accept is not declared here: the simulator refuses it as not simulated.)
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
conn.on('error', (err) => console.log('connection error:', err.message));
const Q = 'conf-44';
const short = (message) => message.replace(/^Operation failed: QueueDeclare; /, '');
async function declare(label, name, options) {
  const ch = await conn.createChannel();
  ch.on('error', () => {});
  try {
    const ok = await ch.assertQueue(name, options);
    console.log(`${label}: ok`, ok.queue.startsWith('amq.gen-') ? 'amq.gen-…' : ok.queue);
    await ch.deleteQueue(ok.queue);
    await ch.close();
  } catch (err) {
    console.log(`${label}:`, short(err.message));
  }
}
const quorum = (args = {}) => ({ arguments: { 'x-queue-type': 'quorum', ...args } });

// The type itself.
for (const type of ['foo', 'QUORUM', 1, null, 'classic']) {
  await declare(`type ${JSON.stringify(type)}`, Q, { arguments: { 'x-queue-type': type } });
}

// What quorum queues must be: durable, not exclusive, not auto-delete (checked in this order, after the arguments).
await declare('quorum, durable (amqplib default)', Q, quorum());
await declare('quorum, durable false', Q, { durable: false, ...quorum() });
await declare('quorum, exclusive', Q, { exclusive: true, ...quorum() });
await declare('quorum, autoDelete', Q, { autoDelete: true, ...quorum() });
await declare('quorum, all three wrong', Q, { durable: false, exclusive: true, autoDelete: true, ...quorum() });
await declare('quorum, durable false and a refused argument', Q, { durable: false, ...quorum({ 'x-max-priority': 5 }) });
await declare('stream, exclusive', Q, { exclusive: true, arguments: { 'x-queue-type': 'stream' } });
await declare('server-named quorum', '', quorum());
await declare('server-named stream', '', { arguments: { 'x-queue-type': 'stream' } });
await declare('server-named classic', '', { durable: false, arguments: { 'x-queue-type': 'classic' } });

// Arguments of other types.
for (const [arg, value] of [['x-max-priority', 5], ['x-queue-mode', 'lazy'], ['x-queue-master-locator', 'min-masters'],
  ['x-queue-version', 2], ['x-max-age', '1D'], ['x-delivery-limit', 3], ['x-max-in-memory-length', 2],
  ['x-dead-letter-strategy', 'at-least-once'], ['x-quorum-initial-group-size', 1], ['x-queue-leader-locator', 'balanced'],
  ['x-stream-max-segment-size-bytes', 1000], ['x-initial-cluster-size', 1]]) {
  await declare(`quorum ${arg}`, Q, quorum({ [arg]: value }));
  await declare(`classic ${arg}`, Q, { durable: false, arguments: { [arg]: value } });
}
await declare('stream x-max-length', Q, { arguments: { 'x-queue-type': 'stream', 'x-max-length': 5 } });
await declare('quorum, unknown argument x-foo', Q, quorum({ 'x-foo': 1 }));
await declare('quorum, x-delivery-limit is not checked', Q, quorum({ 'x-delivery-limit': 'lots' }));

// Order: dead-letter exchange type first, then x-queue-type, then the values of the arguments the type accepts,
// then the arguments it refuses (in the order they were sent).
await declare('quorum, bad x-max-length and x-max-priority', Q, quorum({ 'x-max-priority': 5, 'x-max-length': -1 }));
await declare('quorum, x-queue-mode then x-max-priority', Q, quorum({ 'x-queue-mode': 'lazy', 'x-max-priority': 5 }));
await declare('quorum, x-max-priority then bad x-queue-mode', Q, quorum({ 'x-max-priority': 5, 'x-queue-mode': 'bad' }));
await declare('classic, bad x-max-in-memory-length', Q, { durable: false, arguments: { 'x-max-in-memory-length': -1 } });
await declare('quorum, bad x-max-in-memory-length', Q, quorum({ 'x-max-in-memory-length': -1 }));
await declare('quorum, bad x-dead-letter-strategy', Q, quorum({ 'x-dead-letter-strategy': 'bad', 'x-max-in-memory-bytes': 'x' }));
await declare('quorum, x-quorum-initial-group-size 0', Q, quorum({ 'x-quorum-initial-group-size': 0 }));
await declare('quorum, bad x-queue-leader-locator', Q, quorum({ 'x-queue-leader-locator': 'bad' }));
await declare('classic, bad x-queue-mode', Q, { durable: false, arguments: { 'x-queue-mode': 'bad' } });
await declare('unknown type, bad x-expires', Q, { arguments: { 'x-expires': -1, 'x-queue-type': 'foo' } });
await declare('unknown type, bad dead-letter exchange', Q, { arguments: { 'x-queue-type': 'foo', 'x-dead-letter-exchange': 5 } });

// Declaring again: the type counts (absent = classic), and each type compares its own arguments in its own order.
const ch = await conn.createChannel();
await ch.assertQueue(`${Q}-q`, quorum({ 'x-delivery-limit': 2 }));
await ch.assertQueue(`${Q}-c`, { durable: true, arguments: { 'x-max-length': 2 } });
await declare('quorum again without the type', `${Q}-q`, { arguments: { 'x-delivery-limit': 2 } });
await declare('quorum again as classic', `${Q}-q`, { arguments: { 'x-queue-type': 'classic', 'x-delivery-limit': 2 } });
await declare('quorum again, other delivery limit', `${Q}-q`, quorum({ 'x-delivery-limit': 3 }));
await declare('quorum again, durable false', `${Q}-q`, { durable: false, ...quorum({ 'x-delivery-limit': 2 }) });
await declare('quorum again, all the same (then deleted)', `${Q}-q`, quorum({ 'x-delivery-limit': 2 }));
await declare('classic again as quorum, other x-max-length', `${Q}-c`, quorum({ 'x-max-length': 3 }));
await declare('classic again with x-queue-type classic (then deleted)', `${Q}-c`, { arguments: { 'x-queue-type': 'classic', 'x-max-length': 2 } });
const qArgs = { 'x-expires': 100000, 'x-message-ttl': 1000, 'x-dead-letter-exchange': 'd', 'x-dead-letter-routing-key': 'k',
  'x-dead-letter-strategy': 'at-most-once', 'x-max-length': 5, 'x-max-length-bytes': 5000, 'x-max-in-memory-length': 5,
  'x-overflow': 'drop-head', 'x-single-active-consumer': true, 'x-delivery-limit': 3, 'x-queue-leader-locator': 'balanced' };
const qOther = { 'x-expires': 200000, 'x-message-ttl': 2000, 'x-dead-letter-exchange': 'e', 'x-dead-letter-routing-key': 'j',
  'x-dead-letter-strategy': 'at-least-once', 'x-max-length': 6, 'x-max-length-bytes': 6000, 'x-max-in-memory-length': 6,
  'x-overflow': 'reject-publish', 'x-single-active-consumer': false, 'x-delivery-limit': 4, 'x-queue-leader-locator': 'client-local' };
const cArgs = { 'x-expires': 100000, 'x-message-ttl': 1000, 'x-dead-letter-exchange': 'd', 'x-max-length': 5,
  'x-max-priority': 3, 'x-queue-mode': 'default', 'x-queue-version': 1, 'x-single-active-consumer': true,
  'x-queue-master-locator': 'min-masters' };
const cOther = { 'x-expires': 200000, 'x-message-ttl': 2000, 'x-dead-letter-exchange': 'e', 'x-max-length': 6,
  'x-max-priority': 4, 'x-queue-mode': 'lazy', 'x-queue-version': 2, 'x-single-active-consumer': false,
  'x-queue-master-locator': 'client-local' };
for (const [type, base, other] of [['quorum', { 'x-queue-type': 'quorum', ...qArgs }, qOther], ['classic', cArgs, cOther]]) {
  await ch.assertQueue(`${Q}-order`, { arguments: base });
  const order = [];
  const changed = { ...other };
  while (Object.keys(changed).length > 0) {
    const c = await conn.createChannel();
    c.on('error', () => {});
    try {
      await c.assertQueue(`${Q}-order`, { arguments: { ...base, ...changed } });
      order.push('(accepted)');
      break;
    } catch (err) {
      const arg = /inequivalent arg '([^']+)'/.exec(err.message)?.[1];
      if (arg === undefined) {
        order.push(err.message);
        break;
      }
      order.push(arg);
      delete changed[arg];
    }
  }
  console.log(`${type} compares in this order:`, order.join(' '));
  await ch.deleteQueue(`${Q}-order`);
}
await ch.deleteQueue(`${Q}-q`);
await ch.deleteQueue(`${Q}-c`);

// A server-named queue of an unknown type crashes RabbitMQ 3.10's check: the connection closes with 541.
const other = await amqp.connect(url);
other.on('error', (err) => console.log('other connection error:', err.message));
const closed = new Promise((resolve) => other.on('close', resolve));
try {
  await (await other.createChannel()).assertQueue('', { arguments: { 'x-queue-type': 'foo' } });
} catch (err) {
  console.log('server-named, unknown type:', err.message);
}
await closed;
await conn.close();
