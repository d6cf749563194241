/**
 * A learner's exchange program in the lesson's code runner: a fanout exchange feeding two queues, each with its own
 * consumer. The run finishes, the console shows both consumers receiving every message, and the D3 view draws the
 * exchange, both queues and the published / delivered counts a fanout gives (each message delivered twice).
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
      const sim = page.locator('[data-mq-sim]');
      await sim.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('[data-mq-sim] [data-node="queue:mail"]') !== null, null,
        { timeout: 10_000 });
      const nodes = await page.evaluate(() =>
        [...document.querySelectorAll('[data-mq-sim] [data-node]')].map((n) => n.getAttribute('data-node')));
      for (const key of ['exchange:logs', 'queue:audit', 'queue:mail']) assert(nodes.includes(key), `view lacks ${key}: ${nodes.join(', ')}`);
      // Seek to the end and read the counters the view shows.
      await page.evaluate(() => {
        const scrubber = document.querySelector<HTMLInputElement>('[data-mq-sim] input[type="range"]');
        if (scrubber) {
          scrubber.value = scrubber.max;
          scrubber.dispatchEvent(new Event('input', { bubbles: true }));
        }
      });
      await page.waitForTimeout(300);
      const counters = (await sim.textContent()) ?? '';
      assert(/published\s*3/.test(counters) && /delivered\s*6/.test(counters), `counters: ${counters.replace(/\s+/g, ' ').slice(0, 300)}`);
      await sim.screenshot({ path: `${ctx.shotsDir}/exchanges-fanout.png` });
    },
  },
];
