// A team that follows some of the shop's events. Start it with its name:
// `node team.mjs refunds`. Its own queue is bound with the binding keys
// listed for it below.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'ex10.shop-events';
// refunds: every refund, wherever it happens.
// eu-sales: every order placed in Europe, express orders included.
// us-all: every event from the US.
const BINDINGS = {
  refunds: ['*.*.refund'],
  'eu-sales': ['eu.*.order.#'],
  'us-all': ['us.#'],
};
const team = process.argv[2] ?? 'refunds';

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: team }, // the check knows a team by it
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'topic', { durable: false });
const { queue } = await channel.assertQueue('', { exclusive: true });
for (const key of BINDINGS[team]) {
  await channel.bindQueue(queue, EXCHANGE, key);
}
console.log(`${team} listens to ${BINDINGS[team].join(' and ')}`);

await channel.consume(queue, (msg) => {
  console.log(`${team} got ${msg.fields.routingKey}`);
  channel.ack(msg);
});
