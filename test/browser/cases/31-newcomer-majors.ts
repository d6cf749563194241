/**
 * Issue 11's two majors about the diagram, as a newcomer met them (the third, the editor taking the focus, is in
 * 23-editor-focus.ts):
 * - at 360 px the queue and every worker of lesson 1's diagram are inside the viewport (the diagram reflows into
 *   rows instead of scrolling sideways in a narrow box);
 * - two producers of one program show their own counts, not the total of both.
 */
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { openWithProgram, RUNNER } from './10-sandbox-support.ts';
import { LESSON, waitSimReady } from './20-a11y-support.ts';

/** Producer A publishes 1 message, producer B (its own connection) publishes 5. */
const TWO_PRODUCERS = `const amqp = require('amqplib');

(async () => {
  const a = await amqp.connect('amqp://localhost');
  const b = await amqp.connect('amqp://localhost');
  const channelA = await a.createChannel();
  const channelB = await b.createChannel();
  await channelA.assertQueue('counts');
  channelA.sendToQueue('counts', Buffer.from('from A'));
  for (let i = 1; i <= 5; i++) channelB.sendToQueue('counts', Buffer.from('from B ' + i));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await a.close();
  await b.close();
  console.log('sent 1 + 5');
})();
`;

export const cases: BrowserCase[] = [
  {
    name: 'newcomer: at 360 px the queue and every worker of the diagram are inside the viewport',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const opened = await ctx.openPage(LESSON, { width: 360, height: 740, colorScheme });
        const { page } = opened;
        await waitSimReady(page);
        // waitSimReady scrolls the (tall) simulation into view, which can scroll its top past the viewport and
        // pin the player; bring the diagram itself to the top so the simulation is not pinned.
        await page.evaluate(() => document.querySelector('[data-mq-sim]')?.scrollIntoView({ block: 'start' }));
        await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-mq-sim]')?.dataset.docked !== 'true',
          null, { timeout: 5_000 });
        const stage = page.locator('[data-mq-sim] [data-stage]').first();
        await page.waitForFunction(() => document.querySelectorAll('[data-mq-sim] svg.sim-svg [data-shape="worker"]').length > 0,
          null, { timeout: 10_000 });
        const boxes = await page.evaluate(() => [...document.querySelectorAll<SVGGElement>(
          '[data-mq-sim] svg.sim-svg [data-shape="queue"], [data-mq-sim] svg.sim-svg [data-shape="worker"]')]
          .map((g) => {
            const r = g.getBoundingClientRect();
            return { shape: g.dataset.shape ?? '', left: r.left, right: r.right, width: r.width };
          }));
        assert(boxes.some((b) => b.shape === 'queue'), 'no queue in the diagram');
        assert(boxes.filter((b) => b.shape === 'worker').length >= 2, `expected the lesson's workers, got ${boxes.length - 1}`);
        const outside = boxes.filter((b) => b.left < 0 || b.right > 360 || b.width < 40);
        assert(outside.length === 0, `outside the 360 px viewport (or drawn too small): ${JSON.stringify(outside)}`);
        const scrolls = await stage.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
        assert(!scrolls, 'the diagram scrolls sideways inside its box');
        await screenshot(opened, ctx.shotsDir, `newcomer-diagram-360-${colorScheme}`);
        assertCleanPage(opened, `lesson 1 at 360 px (${colorScheme})`);
      }
    },
  },
  {
    name: 'newcomer: two producers in one program show their own counts (1 and 5), not the total on both',
    async run(ctx) {
      const opened = await openWithProgram(ctx, TWO_PRODUCERS);
      const { page } = opened;
      await page.locator(`${RUNNER} [data-action="run"]`).click();
      await page.waitForFunction((sel) => /sent 1 \+ 5/.test(document.querySelector(sel)?.textContent ?? ''),
        `${RUNNER} [data-console]`, { timeout: 20_000 });
      await page.locator('[data-source-banner]').first().waitFor({ state: 'attached', timeout: 10_000 });
      // Seek the diagram to the end of the run (the scrubber's maximum).
      await page.locator('[data-mq-sim] [data-scrubber]').first().evaluate((el: HTMLInputElement) => {
        el.value = el.max;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await page.waitForTimeout(300);
      const producers = await page.evaluate(() => [...document.querySelectorAll<SVGGElement>('[data-mq-sim] svg.sim-svg [data-shape="client"]')]
        .map((g) => g.querySelector('.node-status')?.textContent ?? ''));
      const published = producers.map((text) => /published (\d+)/.exec(text)?.[1]).filter((n) => n !== undefined).sort();
      assert(JSON.stringify(published) === JSON.stringify(['1', '5']),
        `the producer nodes read ${JSON.stringify(producers)} (expected one "published 1" and one "published 5")`);
      assertCleanPage(opened, 'two producers');
    },
  },
];
