/**
 * Share links (issue 8, item 9): "Share" puts the simulation's knobs, seed, faults and moment, and the code
 * runner's edited files into the URL's hash; opening that link in a fresh browser restores them (the shared code is
 * shown, not saved); a damaged link says so and the page works with the learner's own state untouched.
 */
import type { Page } from 'playwright-core';
import { assert, assertCleanPage } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { knobsRuns, LESSON, simClockSeconds, waitKnobsRun, waitSimReady } from './20-a11y-support.ts';
import { RUNNER, RUNNER_ID } from './10-sandbox-support.ts';

const MARKER = '// shared-edit-4711';
/** The learner's edit of lesson 1's runner, as the code store keeps it. */
const PLANT_EDIT = `(() => {
  try { localStorage.setItem('mqlab:code:v1:${RUNNER_ID}', JSON.stringify({ code: ${JSON.stringify(`${MARKER}\nconsole.log('edited');\n`)}, savedAt: 1 })); } catch {}
})();`;
/** Clipboard that records what was copied (headless Chromium refuses clipboard writes without a permission). */
const RECORD_CLIPBOARD = `(() => {
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: {
    writeText: async (text) => { window.__copied = text; },
  } });
})();`;

/** Sets a range or number input as a learner would (value, then input and change events). */
async function setField(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(selector).first().evaluate((el: HTMLInputElement, v: string) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

export const cases: BrowserCase[] = [
  {
    name: 'share: a link round-trips knobs, seed, time and edited code into a fresh browser',
    async run(ctx) {
      const a = await ctx.openPage(LESSON, { initScript: `${PLANT_EDIT}\n${RECORD_CLIPBOARD}` });
      await waitSimReady(a.page);
      await a.page.locator('[data-mq-sim] [data-knobs]').first().scrollIntoViewIfNeeded();
      await a.page.waitForSelector('[data-mq-sim] [data-knob-seed]');
      let before = await knobsRuns(a.page);
      await setField(a.page, '[data-mq-sim] input[name="consumerCount"]', '3');
      await waitKnobsRun(a.page, before);
      before = await knobsRuns(a.page);
      await setField(a.page, '[data-mq-sim] [data-knob-seed]', '77');
      await waitKnobsRun(a.page, before);
      // Pause, then move the player to 2.5 s.
      await a.page.evaluate(() => {
        const sim = document.querySelector<HTMLElement>('[data-mq-sim]');
        if (sim?.dataset.state === 'playing') sim.querySelector<HTMLButtonElement>('[data-action="toggle"]')?.click();
      });
      await a.page.waitForTimeout(600); // the seed field's re-run is debounced: let it land before seeking
      await setField(a.page, '[data-mq-sim] [data-scrubber]', '2500');
      await a.page.waitForFunction(() => /\b2\.5\d*\s*s/.test(document.querySelector('[data-mq-sim] [data-clock]')?.textContent ?? ''),
        null, { timeout: 5_000 }).catch(() => undefined);
      const clockA = await simClockSeconds(a.page);
      assert(Math.abs(clockA - 2.5) < 0.05, `the player should be at 2.5 s before sharing, is at ${clockA} s`);
      // Share sits in the simulation's toolbar (the pinned player leaves it out): back to the top of the simulation.
      await a.page.evaluate(() => document.querySelector('[data-mq-sim]')?.scrollIntoView({ block: 'start' }));
      await a.page.locator('[data-mq-sim] [data-action="share"]').first().click();
      await a.page.waitForFunction(() => typeof (window as unknown as { __copied?: string }).__copied === 'string', null, { timeout: 10_000 });
      const link = await a.page.evaluate(() => (window as unknown as { __copied: string }).__copied);
      const status = await a.page.locator('[data-mq-sim] [data-share-status]').first().textContent();
      assert(/Link copied/.test(status ?? ''), `the share status reads "${status}"`);
      const hash = link.slice(link.indexOf('#'));
      assert(hash.startsWith('#share='), `the copied link has no #share= hash: ${link.slice(0, 120)}`);
      assertCleanPage(a, 'sharing page');

      // A fresh browser profile (no stored edit) opens the link.
      const b = await ctx.openPage(`${LESSON}${hash}`);
      await waitSimReady(b.page);
      await b.page.locator('[data-mq-sim] [data-knobs]').first().scrollIntoViewIfNeeded();
      await b.page.waitForFunction(() => Number(document.querySelector('[data-mq-sim]')?.getAttribute('data-knobs-runs') ?? 0) > 0,
        null, { timeout: 15_000 });
      const workers = await b.page.locator('[data-mq-sim] input[name="consumerCount"]').first().inputValue();
      const seed = await b.page.locator('[data-mq-sim] [data-knob-seed]').first().inputValue();
      assert(workers === '3', `Workers after opening the link: ${workers} (expected 3)`);
      assert(seed === '77', `Seed after opening the link: ${seed} (expected 77)`);
      const clockB = await simClockSeconds(b.page);
      assert(Math.abs(clockB - 2.5) < 0.05, `the opened link's player is at ${clockB} s (expected 2.5 s)`);
      await b.page.locator(RUNNER).scrollIntoViewIfNeeded();
      await b.page.waitForFunction(([sel, marker]) => (document.querySelector(sel)?.textContent ?? '').includes(marker),
        [RUNNER, MARKER] as const, { timeout: 15_000 });
      const note = await b.page.locator(`${RUNNER} [data-edited-note], ${RUNNER} .code-runner__edited`).first().textContent().catch(() => '');
      const stored = await b.page.evaluate((key) => localStorage.getItem(key), `mqlab:code:v1:${RUNNER_ID}`);
      assert(stored === null, 'opening a share link must not save the shared code as the learner\'s edit');
      assert(note === '' || /shared link/.test(note ?? ''), `the runner's note reads "${note}"`);
      assertCleanPage(b, 'opened share link');
    },
  },
  {
    name: 'share: a damaged link shows a message, keeps the learner\'s own code and the simulation plays',
    async run(ctx) {
      const opened = await ctx.openPage(`${LESSON}#share=N4Ig%%%damaged`, { initScript: PLANT_EDIT });
      const { page } = opened;
      await waitSimReady(page);
      const alert = page.locator('[data-share-error]');
      await alert.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await alert.textContent()) ?? '';
      assert(/damaged|not a share link/.test(text) && /unchanged/.test(text), `the alert reads "${text}"`);
      const t0 = await simClockSeconds(page);
      await page.waitForTimeout(1_200);
      const t1 = await simClockSeconds(page);
      assert(t1 > t0, `the simulation should play after a bad link (clock ${t0} s → ${t1} s)`);
      await page.locator(RUNNER).scrollIntoViewIfNeeded();
      await page.waitForFunction(([sel, marker]) => (document.querySelector(sel)?.textContent ?? '').includes(marker),
        [RUNNER, MARKER] as const, { timeout: 15_000 });
      const stored = await page.evaluate((key) => localStorage.getItem(key), `mqlab:code:v1:${RUNNER_ID}`);
      assert(stored !== null && stored.includes('shared-edit-4711'), 'the learner\'s stored edit must survive a bad link');
      await page.locator('[data-share-error] button').click();
      assert(await page.locator('[data-share-error]').count() === 0, 'Dismiss should remove the message');
      assertCleanPage(opened, 'damaged share link');
    },
  },
];
