/**
 * A learner's exchange programs in the lesson's code runner. A fanout exchange feeding two queues, each with its own
 * consumer: the run finishes, the console shows both consumers receiving every message, and the D3 view draws the
 * exchange, both queues and the published / delivered counts a fanout gives (each message delivered twice). A topic
 * exchange bound to that fanout exchange (exchange-to-exchange binding): matching keys reach both queues, the
 * console shows them in RabbitMQ's delivery order (queue names descending), and the view draws both exchanges.
 * A consumer that rejects every message of a queue with a dead-letter exchange: the rejected messages reach the
 * parking queue, and the view draws the dead-letter line from the queue back to that exchange.
 */
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { openWithProgram, runAndWait } from './10-sandbox-support.ts';

const FANOUT_PROGRAM = `const amqp = require('amqplib');

async function main() {
  const conn = await amqp.connect('amqp://localhost');
  const ch = await conn.createChannel();
  await ch.assertExchange('logs', 'fanout', { durable: false });
  for (const q of ['audit', 'mail']) {
    await ch.assertQueue(q, { durable: false });
    await ch.bindQueue(q, 'logs', '');
  }
  await ch.consume('audit', (m) => { console.log('audit got', m.content.toString()); ch.ack(m); });
  await ch.consume('mail', (m) => { console.log('mail got', m.content.toString()); ch.ack(m); });
  for (let i = 1; i <= 3; i++) ch.publish('logs', '', Buffer.from('event ' + i));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await conn.close();
}
main();
`;

const E2E_PROGRAM = `const amqp = require('amqplib');

const conn = await amqp.connect('amqp://localhost');
const ch = await conn.createChannel();
await ch.assertExchange('orders', 'topic', { durable: false });
await ch.assertExchange('everyone', 'fanout', { durable: false });
await ch.bindExchange('everyone', 'orders', 'order.*');
for (const q of ['audit', 'billing']) {
  await ch.assertQueue(q, { durable: false });
  await ch.bindQueue(q, 'everyone', '');
  await ch.consume(q, (m) => console.log(q, 'got', m.fields.routingKey));
}
ch.publish('orders', 'order.new', Buffer.from('{}'));
ch.publish('orders', 'refund', Buffer.from('{}'));
await new Promise((resolve) => setTimeout(resolve, 300));
await conn.close();
`;

const DEAD_LETTER_PROGRAM = `const amqp = require('amqplib');

const conn = await amqp.connect('amqp://localhost');
const ch = await conn.createChannel();
await ch.assertExchange('dead', 'fanout', { durable: false });
await ch.assertQueue('parked', { durable: false });
await ch.bindQueue('parked', 'dead', '');
await ch.assertQueue('jobs', { durable: false, deadLetterExchange: 'dead' });
await ch.consume('jobs', (m) => ch.nack(m, false, false));
for (let i = 1; i <= 3; i++) ch.sendToQueue('jobs', Buffer.from('job ' + i));
await new Promise((resolve) => setTimeout(resolve, 500));
console.log('parked:', (await ch.checkQueue('parked')).messageCount);
await conn.close();
`;

/** Seeks the lesson's view to the end of the run and returns its text (counters included). */
async function viewAtEnd(page: import('playwright-core').Page): Promise<string> {
  await page.evaluate(() => {
    const scrubber = document.querySelector<HTMLInputElement>('[data-mq-sim] input[type="range"]');
    if (scrubber) {
      scrubber.value = scrubber.max;
      scrubber.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  await page.waitForTimeout(300);
  return (await page.locator('[data-mq-sim]').textContent()) ?? '';
}

/** The `data-node` keys the view draws, once `waitFor` is among them. */
async function viewNodes(page: import('playwright-core').Page, waitFor: string): Promise<string[]> {
  await page.locator('[data-mq-sim]').scrollIntoViewIfNeeded();
  await page.waitForFunction((key) => document.querySelector(`[data-mq-sim] [data-node="${key}"]`) !== null, waitFor,
    { timeout: 10_000 });
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-mq-sim] [data-node]')].map((n) => n.getAttribute('data-node') ?? ''));
}

export const cases: BrowserCase[] = [
  {
    name: 'exchanges: a fanout program runs in the lesson and the view draws the exchange, both queues and 2 deliveries per message',
    async run(ctx) {
      const { page } = await openWithProgram(ctx, FANOUT_PROGRAM);
      const run = await runAndWait(page);
      assert(/Finished/.test(run.status), `status: ${run.status}`);
      for (const who of ['audit', 'mail']) {
        for (let i = 1; i <= 3; i++) assert(run.console.includes(`${who} got event ${i}`), `console lacks "${who} got event ${i}": ${run.console}`);
      }
      const nodes = await viewNodes(page, 'queue:mail');
      for (const key of ['exchange:logs', 'queue:audit', 'queue:mail']) assert(nodes.includes(key), `view lacks ${key}: ${nodes.join(', ')}`);
      const counters = await viewAtEnd(page);
      assert(/published\s*3/.test(counters) && /delivered\s*6/.test(counters), `counters: ${counters.replace(/\s+/g, ' ').slice(0, 300)}`);
      await page.locator('[data-mq-sim]').screenshot({ path: `${ctx.shotsDir}/exchanges-fanout.png` });
    },
  },
  {
    name: 'exchanges: a topic exchange bound to a fanout exchange routes matching keys to both queues; the view draws both exchanges',
    async run(ctx) {
      const { page } = await openWithProgram(ctx, E2E_PROGRAM);
      const run = await runAndWait(page);
      assert(/Finished/.test(run.status), `status: ${run.status}`);
      // One channel: RabbitMQ's order, queue names descending (conformance program 34).
      const got = run.console.match(/(audit|billing) got (order\.new|refund)/g) ?? [];
      assert(got.join(', ') === 'billing got order.new, audit got order.new', `console: ${got.join(', ') || run.console}`);
      const nodes = await viewNodes(page, 'queue:billing');
      for (const key of ['exchange:orders', 'exchange:everyone', 'queue:audit', 'queue:billing']) {
        assert(nodes.includes(key), `view lacks ${key}: ${nodes.join(', ')}`);
      }
      const counters = await viewAtEnd(page);
      assert(/published\s*2/.test(counters) && /delivered\s*2/.test(counters), `counters: ${counters.replace(/\s+/g, ' ').slice(0, 300)}`);
      await page.locator('[data-mq-sim]').screenshot({ path: `${ctx.shotsDir}/exchanges-e2e.png` });
    },
  },
  {
    name: 'exchanges: rejected messages are dead-lettered to a parking queue; the view draws the dead-letter line',
    async run(ctx) {
      const { page } = await openWithProgram(ctx, DEAD_LETTER_PROGRAM);
      const run = await runAndWait(page);
      assert(/Finished/.test(run.status) && /parked:\s*3/.test(run.console), `status: ${run.status}; console: ${run.console}`);
      const nodes = await viewNodes(page, 'queue:parked');
      for (const key of ['exchange:dead', 'queue:jobs', 'queue:parked']) assert(nodes.includes(key), `view lacks ${key}: ${nodes.join(', ')}`);
      const deadLetterLines = await page.locator('[data-mq-sim] path.edge--dead-letter').count();
      assert(deadLetterLines === 1, `${deadLetterLines} dead-letter lines in the view`);
      await viewAtEnd(page);
      await page.locator('[data-mq-sim]').screenshot({ path: `${ctx.shotsDir}/exchanges-dead-letter.png` });
    },
  },
];
