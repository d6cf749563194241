// The application: publishes log lines to a direct exchange, each with
// its severity as the routing key. It does not know who is listening.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';
const EXCHANGE = 'lesson10.logs';
const LINES = [
  ['info', 'user 7 logged in'],
  ['warn', 'disk 80% full'],
  ['error', 'payment service unreachable'],
  ['debug', 'cache hit ratio 0.93'],
];

const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'app' },
});
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'direct', { durable: false });
for (const [severity, text] of LINES) {
  channel.publish(EXCHANGE, severity, Buffer.from(text));
  console.log(`app logged [${severity}] ${text}`);
}
await channel.close();
await connection.close();
