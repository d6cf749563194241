// A shop publishes its orders to the "invoice-requests" queue, and the invoicing service
// takes them from there. The invoicing service needs more than the body of each message:
// change the shop's publishOrder so that it gets it.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'invoice-requests';
const LEDGERS = { eu: 'EU ledger', us: 'US ledger' };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const connect = (name) => amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: name },
});

// ── The invoicing service: leave it as it is ──
async function startInvoicing() {
  const connection = await connect('invoicing');
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUE);
  await channel.prefetch(1);
  const invoiced = new Set(); // message ids of the orders invoiced so far

  await channel.consume(QUEUE, (msg) => {
    const { contentType, messageId, correlationId, headers } = msg.properties;
    const refuse = (why) => {
      console.log(`invoicing: refused a message: ${why}`);
      channel.nack(msg, false, false); // not requeued: it would only be refused again
    };
    if (contentType !== 'application/json') {
      return refuse(`its content type is ${contentType ?? 'not set'}, `
        + 'and only application/json can be read');
    }
    if (!messageId) {
      return refuse('it has no message id, so a copy sent twice would be invoiced twice');
    }
    if (invoiced.has(messageId)) {
      console.log(`invoicing: skipped ${messageId}, already invoiced`);
      return channel.ack(msg);
    }
    if (!correlationId) {
      return refuse('it has no correlation id, '
        + 'so nobody can tell which checkout it is for');
    }
    const ledger = LEDGERS[headers?.region];
    if (!ledger) {
      return refuse(`its region header is ${headers?.region ?? 'not set'}, `
        + 'so no ledger takes it');
    }
    const text = msg.content.toString('utf8');
    const order = JSON.parse(text);
    invoiced.add(messageId);
    console.log(`invoicing: invoiced order ${order.orderId} (${order.total}) `
      + `in the ${ledger} for ${correlationId}`);
    channel.ack(msg);
  });
  return connection;
}

// ── The shop ──
const ORDERS = [
  { orderId: 501, checkoutId: 'checkout-9f2c', region: 'eu', total: '42.50 EUR' },
  { orderId: 502, checkoutId: 'checkout-a771', region: 'us', total: '19.99 USD' },
  { orderId: 503, checkoutId: 'checkout-b03e', region: 'eu', total: '7.25 EUR' },
  { orderId: 504, checkoutId: 'checkout-c4d8', region: 'us', total: '120.00 USD' },
  { orderId: 505, checkoutId: 'checkout-d912', region: 'eu', total: '64.00 EUR' },
];

const invoicing = await startInvoicing();
const connection = await connect('shop');
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE);

function publishOrder(order) {
  const json = JSON.stringify({ orderId: order.orderId, total: order.total });
  const body = Buffer.from(json);
  channel.sendToQueue(QUEUE, body);
}

for (const order of ORDERS) publishOrder(order);
console.log(`shop: published ${ORDERS.length} orders`);

// The network hiccups: the shop cannot tell whether order 503 got through,
// so it sends it again.
await sleep(300);
publishOrder(ORDERS[2]);
console.log('shop: sent order 503 again');

await sleep(1000); // time for the invoicing service to finish, then shut down
await connection.close();
await invoicing.close();
