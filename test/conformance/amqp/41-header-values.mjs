// Header values travel through amqplib's field-table encoding: what the consumer gets is what the frame can carry.
// Typed values ({'!': type, value}) arrive as plain values (timestamps and decimals keep their wrapper), a float as
// its 32-bit value, -0 as 0; undefined entries vanish; a Date, Map or typed array arrives as a plain object; the
// sender changing its objects after publishing changes nothing. A value that does not fit its type throws at once.
import amqp from 'amqplib';

const url = process.env.AMQP_URL ?? 'amqp://localhost';
const conn = await amqp.connect(url);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ch = await conn.createChannel();
const queue = 'conf-41-headers';
await ch.deleteQueue(queue);
await ch.assertQueue(queue, { durable: false });

const list = [1, 'two', true, null, 2.5];
const inherited = Object.create({ fromPrototype: 'yes' });
inherited.own = 1;
const headers = {
  int: { '!': 'int', value: 7 },
  truncatedInt: { '!': 'int', value: 1.5 },
  text: { '!': 'string', value: 's' },
  float: { '!': 'float', value: 1.1 },
  double: 1.1,
  unsigned: { '!': 'uint32', value: 4000000000 },
  big: 2 ** 40,
  negativeZero: -0,
  gone: undefined,
  nested: { kept: 1, dropped: undefined, deeper: { list } },
  list,
  bytes: Buffer.from('hi'),
  date: new Date(0),
  map: new Map([['a', 1]]),
  typedArray: new Uint8Array([9]),
  inherited,
  stamp: { '!': 'timestamp', value: 1700000000 },
  money: { '!': 'decimal', value: { places: 2, digits: 1999 } },
};
ch.sendToQueue(queue, Buffer.from('typed'), { headers });
list.push('added after publishing');
headers.nested.kept = 'changed after publishing';
await pause(50);
const m = await ch.get(queue, { noAck: true });
for (const [key, value] of Object.entries(m.properties.headers)) {
  const kind = Buffer.isBuffer(value) ? 'Buffer' : Array.isArray(value) ? 'Array' : value === null ? 'null' : typeof value;
  console.log(`${key}: ${kind} ${Buffer.isBuffer(value) ? value.toString() : JSON.stringify(value)}${Object.is(value, -0) ? ' (-0)' : ''}`);
}

for (const [what, value] of [['byte 200', { '!': 'byte', value: 200 }], ['short 40000', { '!': 'short', value: 40000 }],
  ['int 2^33', { '!': 'int', value: 2 ** 33 }], ['timestamp -1', { '!': 'timestamp', value: -1 }],
  ['decimal 5', { '!': 'decimal', value: 5 }], ['string 5', { '!': 'string', value: 5 }],
  ['2^50 + 0.5', 2 ** 50 + 0.5], ['a function', () => 1]]) {
  try {
    ch.sendToQueue(queue, Buffer.from(what), { headers: { value } });
    console.log(`${what}: sent`);
  } catch (e) {
    console.log(`${what}: ${e.name}: ${e.message}`);
  }
}
await pause(50);
console.log('left in the queue:', (await ch.checkQueue(queue)).messageCount);
await ch.deleteQueue(queue);
await conn.close();
