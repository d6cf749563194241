// One order event, published with a body, properties and headers,
// then read back the way a consumer gets it.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'order-events';

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'shop' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE);

// The body is bytes: here JSON text in UTF-8. The broker never looks inside.
const order = { orderId: 1042, items: [{ sku: 'MUG-01', qty: 2 }], total: '18.00 EUR' };
const text = JSON.stringify(order);
const body = Buffer.from(text, 'utf8');

channel.sendToQueue(QUEUE, body, {
  contentType: 'application/json', // how to read the body
  persistent: true, // deliveryMode 2: keep it on disk
  messageId: 'order-1042-created', // names this message: a duplicate can be spotted
  correlationId: 'checkout-77', // the request this message belongs to
  timestamp: Math.floor(Date.now() / 1000), // seconds since 1970
  type: 'order.created',
  appId: 'shop',
  headers: { region: 'eu', 'schema-version': 2 }, // our own key/value pairs
});
console.log(`published ${body.length} bytes of body`);

await channel.consume(QUEUE, (msg) => {
  const { exchange, routingKey, redelivered } = msg.fields;
  console.log('fields:', exchange === '' ? '(default exchange)' : exchange,
    'routing key', routingKey, 'redelivered', redelivered);
  const { contentType, messageId, correlationId, type, appId, deliveryMode } =
    msg.properties;
  console.log('properties:',
    { contentType, messageId, correlationId, type, appId, deliveryMode });
  console.log('headers:', msg.properties.headers);
  const props = msg.properties;
  const unset = Object.keys(props)
    .filter((key) => props[key] === undefined);
  console.log('not set:', unset.join(', '));
  if (contentType === 'application/json') {
    const json = msg.content.toString('utf8');
    const data = JSON.parse(json);
    console.log(`order ${data.orderId}: ${data.items.length} line(s), ${data.total}`);
  }
  channel.ack(msg);
});

setTimeout(() => connection.close(), 500);
