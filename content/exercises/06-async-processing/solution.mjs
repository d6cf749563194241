// Twelve people sign up to the shop's newsletter, 50 ms apart. The sign-up handler sends each
// of them a welcome email, and the mail server is slow: 400 ms per email, one at a time.
// The handler puts a job in the queue and answers at once; the two workers send the emails.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'ex06.welcome-emails';
const SIGNUPS = 12;
const ARRIVE_EVERY_MS = 50;
const EMAIL_MS = 400; // the mail server needs this long for one email

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Each process talks to the mail server through its own mailer, which sends one email at a time.
function createMailer(who) {
  let previous = Promise.resolve();
  return (address) => (previous = previous.then(async () => {
    await sleep(EMAIL_MS);
    console.log(`${who} sent the welcome email to ${address}`);
  }));
}

// The web server.
const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'web server' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });
await channel.purgeQueue(QUEUE); // the exercise starts from an empty queue

// The sign-up handler: what it returns is the answer the visitor sees.
async function handleSignup(address) {
  const job = { address };
  // sendToQueue does not wait for the broker: the handler can answer right away.
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(job)), { persistent: true });
  return `Welcome, ${address}! Your welcome email is on its way.`;
}

// The workers: each has its own connection (in production, its own process) and its own mailer.
async function startWorker(n) {
  const workerConnection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: `worker ${n}` },
  });
  const workerChannel = await workerConnection.createChannel();
  await workerChannel.assertQueue(QUEUE, { durable: true });
  await workerChannel.prefetch(1); // one job at a time: the rest wait for whoever is free
  const send = createMailer(`worker ${n}`);
  await workerChannel.consume(QUEUE, async (msg) => {
    const job = JSON.parse(msg.content.toString());
    await send(job.address);
    // Only now, after the email went out: if the worker died before this line, the broker
    // would give the job to the other worker.
    workerChannel.ack(msg);
  });
  return workerConnection;
}
const workers = [await startWorker(1), await startWorker(2)];

// The visitors (keep this part as it is): each signs up and reports how long it waited.
for (let i = 1; i <= SIGNUPS; i++) {
  setTimeout(async () => {
    const address = `visitor-${i}@example.com`;
    console.log(`visitor ${i} signs up`);
    const started = Date.now();
    const answer = await handleSignup(address);
    console.log(`visitor ${i} got "${answer}" after ${Date.now() - started} ms`);
  }, (i - 1) * ARRIVE_EVERY_MS);
}

await sleep(6000); // time enough for every email, then shut down
for (const c of [...workers, connection]) await c.close();
