// The shop: places ten orders, one every 250 ms, then closes. Each
// order is persistent and published on a confirm channel; an order
// the broker has not confirmed is published again after a reconnect.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const QUEUE = 'ex13.orders';
const ORDERS = 10;
const pause = (ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));

const unconfirmed = new Map(); // id -> order
for (let id = 1; id <= ORDERS; id++) {
  unconfirmed.set(id, { id, item: 'lamp' });
}

async function publishAll() {
  const connection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: 'shop' },
  });
  connection.on('error', (err) => {
    console.log(`broker: ${err.message}`);
  });
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(QUEUE, { durable: true });
    for (const order of [...unconfirmed.values()]) {
      const body = Buffer.from(JSON.stringify(order));
      const options = { persistent: true };
      channel.sendToQueue(QUEUE, body, options, (err) => {
        if (err === null) unconfirmed.delete(order.id);
      });
      console.log(`sent order #${order.id}`);
      await pause(250);
    }
    await channel.waitForConfirms(); // every callback has run
    await connection.close();
  } catch (err) {
    console.log(`publishing stopped: ${err.message}`);
  }
}

while (unconfirmed.size > 0) {
  try {
    await publishAll();
  } catch (err) {
    console.log(`cannot connect: ${err.message}`);
  }
  if (unconfirmed.size > 0) {
    const ids = [...unconfirmed.keys()].map((id) => `#${id}`);
    console.log(`not confirmed: ${ids.join(' ')}; trying again`);
    await pause(500);
  }
}
console.log('shop closed: every order confirmed');
