// Publisher confirms in one program: the broker answers each publish
// once it has taken the message. A mandatory message that no queue
// takes comes back through the 'return' event, and is confirmed too.
import amqp from 'amqplib';

const BROKER_URL = process.env.AMQP_URL ?? 'amqp://localhost';

const connection = await amqp.connect(BROKER_URL);
const channel = await connection.createConfirmChannel();
await channel.assertQueue('l13.orders', { durable: true });

channel.on('return', (msg) => {
  const why = `${msg.fields.replyText}, "${msg.fields.routingKey}"`;
  console.log(`returned: ${msg.content} (${why})`);
});

// Answers can arrive in any order (a persistent message waits for
// the disk), so they are kept and printed in publishing order.
const sent = [];
const answers = new Map();
function send(queue, text) {
  const options = { persistent: true, mandatory: true };
  channel.publish('', queue, Buffer.from(text), options, (err) => {
    answers.set(text, err === null ? 'confirmed' : 'NACKED');
  });
  sent.push(text);
  console.log(`published: ${text}`);
}

send('l13.orders', 'order #1');
send('l13.orders', 'order #2');
send('l13.ordrs', 'order #3'); // a typo: no queue has that name
await channel.waitForConfirms();
for (const text of sent) console.log(`${answers.get(text)}: ${text}`);
await connection.close();
