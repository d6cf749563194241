// Ten customers press "Place order" 50 ms apart, and every order needs an invoice PDF that
// takes 300 ms to render. The same rush is served twice: first by a handler that renders the
// invoice before it answers, then by one that puts a job in a queue and answers at once while
// a worker renders the invoices. Run it and compare the waits.
import amqp from 'amqplib';

const BROKER_URL = 'amqp://localhost';
const QUEUE = 'lesson06.invoices';
const ORDERS = 10;
const ARRIVE_EVERY_MS = 50; // a new customer every 50 ms
const RENDER_MS = 300; // CPU time to render one invoice
const WORKERS = 1; // try 3

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Rendering is CPU work, and a Node process runs JavaScript on a single thread, so a process
// renders one invoice at a time. oneAtATime(task) imitates that: each call waits for the
// previous call to finish.
function oneAtATime(task) {
  let previous = Promise.resolve();
  return (arg) => (previous = previous.then(() => task(arg)));
}
async function renderInvoice(order) {
  await sleep(RENDER_MS);
  return `invoice-${order}.pdf`;
}

// Handler 1: does the slow work first, then answers.
const renderInWebServer = oneAtATime(renderInvoice);
async function placeOrderInline(order) {
  const pdf = await renderInWebServer(order);
  return `Order ${order} confirmed, ${pdf} attached.`;
}

// Handler 2: writes the job down in a queue and answers at once.
const connection = await amqp.connect(BROKER_URL, {
  clientProperties: { connection_name: 'web server' },
});
const channel = await connection.createChannel();
await channel.assertQueue(QUEUE, { durable: true });
await channel.purgeQueue(QUEUE); // the demo starts from an empty queue
async function placeOrderQueued(order) {
  const job = { order, placedAt: Date.now() };
  channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(job)), { persistent: true });
  return `Order ${order} received. Your invoice will follow by email.`;
}

// The workers: each has its own connection (in production, its own process) and renders one
// invoice at a time.
const invoiceReadyAfter = []; // order → ms from the order to its finished invoice
let invoicesDone = 0;
let allDone;
const allInvoicesDone = new Promise((resolve) => { allDone = resolve; });
async function startWorker(n) {
  const workerConnection = await amqp.connect(BROKER_URL, {
    clientProperties: { connection_name: `worker ${n}` },
  });
  const workerChannel = await workerConnection.createChannel();
  await workerChannel.assertQueue(QUEUE, { durable: true });
  await workerChannel.prefetch(1);
  const render = oneAtATime(renderInvoice);
  await workerChannel.consume(QUEUE, async (msg) => {
    const job = JSON.parse(msg.content.toString());
    await render(job.order);
    invoiceReadyAfter[job.order] = Date.now() - job.placedAt;
    workerChannel.ack(msg); // only now is the job done
    if (++invoicesDone === ORDERS) allDone();
  });
  return workerConnection;
}

// The rush: ORDERS customers, ARRIVE_EVERY_MS apart. Each measures how long it waited.
async function rush(placeOrder) {
  const waited = [];
  const customers = [];
  for (let order = 1; order <= ORDERS; order++) {
    customers.push(sleep((order - 1) * ARRIVE_EVERY_MS).then(async () => {
      const start = Date.now();
      await placeOrder(order);
      waited[order] = Date.now() - start;
    }));
  }
  await Promise.all(customers);
  return waited;
}

const inline = await rush(placeOrderInline);
const workers = [];
for (let n = 1; n <= WORKERS; n++) workers.push(await startWorker(n));
const queued = await rush(placeOrderQueued);
await allInvoicesDone;

// A narrow table: ms from each customer's click to their answer (both handlers), and to
// their invoice (queued handler).
const row = (...cells) => cells.map((cell, i) => String(cell).padStart([5, 8, 8, 9][i])).join('');
console.log(row('order', 'answer', 'answer', 'invoice'));
console.log(row('', 'inline', 'queued', 'queued'));
for (let order = 1; order <= ORDERS; order++) {
  console.log(row(order, inline[order], queued[order], invoiceReadyAfter[order]));
}
console.log('(ms after the click)');

for (const c of [...workers, connection]) await c.close();
