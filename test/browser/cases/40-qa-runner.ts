/**
 * QA fixes of the code runner, checked in Chromium (the sandboxed iframe + blob worker of the site):
 * - an unhandled rejection ends the run before the next engine step, exactly as under Node (`npm run sim`);
 * - a long console output shows its first and last lines with a correct count of the lines left out between.
 */
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { openWithProgram, runAndWait } from './10-sandbox-support.ts';

const POISON_MESSAGE = `
const amqp = require('amqplib');
const conn = await amqp.connect('amqp://localhost');
const ch = await conn.createChannel();
await ch.assertQueue('jobs');
for (const body of ['{"n":1}', '{"n":2}', 'oops', '{"n":4}', '{"n":5}']) ch.sendToQueue('jobs', Buffer.from(body));
await ch.consume('jobs', async (msg) => {
  const job = JSON.parse(msg.content.toString());
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log('done', job.n);
  ch.ack(msg);
});
`;

export const cases: BrowserCase[] = [
  {
    name: 'qa runner: an async consumer that throws on the 3rd message stops the run at once (no "done" line after)',
    async run(ctx) {
      const { page } = await openWithProgram(ctx, POISON_MESSAGE);
      const { console: text } = await runAndWait(page);
      assert(!text.includes('done'), `lines printed after the throw: ${text}`);
      assert(/SyntaxError/.test(text), `the JSON.parse error is not reported: ${text}`);
    },
  },
  {
    name: 'qa runner: Promise.reject(...) ends the run before a 100 ms timer prints "later"',
    async run(ctx) {
      const { page } = await openWithProgram(ctx,
        `Promise.reject(new Error('boom')); setTimeout(() => console.log('later'), 100);`);
      const { console: text } = await runAndWait(page);
      assert(!text.includes('later'), `"later" was printed after the unhandled rejection: ${text}`);
      assert(text.includes('boom'), `the rejection is not reported: ${text}`);
    },
  },
  {
    name: 'qa runner: 200,000 console lines show the first lines, the runner\'s notice and the last line "end"',
    async run(ctx) {
      const { page } = await openWithProgram(ctx,
        `for (let i = 0; i < 200000; i++) console.log('line', i); console.log('end');`);
      await runAndWait(page, 30_000);
      const rows = await page.locator('[data-console] .console-line').allTextContents();
      const texts = rows.map((row) => row.replace(/^[\d.]+ m?s/, ''));
      assert(texts.some((t) => t.endsWith('line 0')), 'the first line is not shown');
      const end = texts.findIndex((t) => t.endsWith('end'));
      assert(end !== -1, `the last line "end" is not shown: ${texts.slice(-5).join(' | ')}`);
      assert(texts.some((t) => /194951 lines left out here/.test(t)), 'the runner\'s truncation notice is not shown');
      // The panel: 300 first + 100 last of the 5,051 lines the runner kept ⇒ 4,651 not shown.
      assert(texts.some((t) => t.startsWith('… 4651 lines not shown here')),
        `wrong panel count: ${texts.filter((t) => t.startsWith('…')).join(' | ')}`);
    },
  },
];
