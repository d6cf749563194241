// A log watcher: binds a queue of its own to a direct exchange once for
// every severity it cares about. Start it with its name and severities:
// `node watcher.mjs pager error` or `node watcher.mjs screen warn error`.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'lesson10.logs';
const [name = 'screen', ...severities] = process.argv.slice(2);

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: name },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'direct', { durable: false });
const { queue } = await channel.assertQueue('', { exclusive: true });
// One binding per severity: the queue gets a message whose routing key
// equals any of its binding keys, and gets it once.
for (const severity of severities) {
  await channel.bindQueue(queue, EXCHANGE, severity);
}
console.log(`${name} watches ${severities.join(', ')}`);

await channel.consume(queue, (msg) => {
  console.log(`${name} got [${msg.fields.routingKey}] ${msg.content}`);
  channel.ack(msg);
});
