/**
 * QA fixes of the lesson's controls, checked in Chromium:
 * - the code runner's watchdog stops a warm `while (true) {}` within 2 s of the Run click;
 * - Run keeps keyboard focus while busy (aria-disabled, not disabled) and ignores a second press;
 * - Reset can be undone from the keyboard, and the status region says so;
 * - the "Crash a worker" picker selects a worker again after Workers went to 0 and back, and "Crash now" is
 *   disabled while there is no worker.
 */
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { LESSON, openWithProgram, RUNNER, RUNNER_ID } from './10-sandbox-support.ts';
import { knobsRuns, waitKnobsRun } from './20-a11y-support.ts';

/**
 * The watchdog fires 1.5 s after the click (RUN_WALL_LIMIT_MS); stopping the worker and showing it must fit in the
 * remaining 500 ms, so the run is over within 2 s of the click as the issue asks (measured in the page: click →
 * `data-running="false"`).
 */
const STOPPED_WITHIN_MS = 2_000;

export const cases: BrowserCase[] = [
  {
    name: 'qa controls: a warm while (true) {} run is stopped within 2 s of pressing Run, focus stays on Run',
    async run(ctx) {
      const { page } = await openWithProgram(ctx, 'while (true) {}');
      const run = page.locator(`${RUNNER} [data-action="run"]`);
      await run.focus();
      await page.evaluate((sel) => {
        const root = document.querySelector<HTMLElement>(sel)!;
        const w = window as unknown as { __qa: { clickAt: number; stopAt: number; clicks: number } };
        w.__qa = { clickAt: 0, stopAt: 0, clicks: 0 };
        root.querySelector('[data-action="run"]')!.addEventListener('click', () => {
          w.__qa.clicks++;
          if (w.__qa.clickAt === 0) w.__qa.clickAt = performance.now();
        }, { capture: true });
        new MutationObserver(() => {
          if (root.dataset.running === 'false' && w.__qa.clickAt !== 0 && w.__qa.stopAt === 0) w.__qa.stopAt = performance.now();
        }).observe(root, { attributes: true, attributeFilter: ['data-running'] });
      }, RUNNER);
      await page.keyboard.press('Enter');
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-running') === 'true', RUNNER, { timeout: 5_000, polling: 5 });
      const during = await page.evaluate(() => {
        const el = document.activeElement as HTMLButtonElement | null;
        return { focusIsRun: el?.dataset.action === 'run', disabled: el?.disabled, aria: el?.getAttribute('aria-disabled') };
      });
      assert(during.focusIsRun, 'keyboard focus left the Run button while the run was going');
      assert(during.disabled === false && during.aria === 'true', `Run while busy: disabled=${during.disabled}, aria-disabled=${during.aria}`);
      await page.keyboard.press('Enter'); // ignored while busy: the run is not restarted
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-running') === 'false', RUNNER, { timeout: 10_000, polling: 10 });
      const qa = await page.evaluate(() => (window as unknown as { __qa: { clickAt: number; stopAt: number } }).__qa);
      const stoppedAfterMs = Math.round(qa.stopAt - qa.clickAt);
      console.log(`      stopped ${stoppedAfterMs} ms after the Run click`);
      assert(stoppedAfterMs <= STOPPED_WITHIN_MS, `stopped ${stoppedAfterMs} ms after the click (limit ${STOPPED_WITHIN_MS} ms)`);
      const status = (await page.locator(`${RUNNER} [data-run-status]`).textContent()) ?? '';
      assert(/ran for more than 1\.5 seconds/.test(status), `status: ${status}`);
      const after = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action);
      assert(after === 'run', `focus after the run: ${after}`);
    },
  },
  {
    name: 'qa controls: Reset can be undone from the keyboard; the status says how',
    async run(ctx) {
      const edited = '// my edit\nconsole.log("mine");\n';
      const { page } = await openWithProgram(ctx, edited);
      const key = `mqlab:code:v1:${RUNNER_ID}`;
      const stored = () => page.evaluate((k) => localStorage.getItem(k), key);
      await page.locator(`${RUNNER} [data-action="reset"]`).focus();
      await page.keyboard.press('Enter');
      const status = (await page.locator(`${RUNNER} [data-run-status]`).textContent()) ?? '';
      assert(/Undo reset/.test(status), `the status does not offer the undo: ${status}`);
      assert(await page.locator(`${RUNNER} [data-action="undo-reset"]`).isVisible(), 'no visible "Undo reset" button');
      await page.waitForTimeout(600);
      assert((await stored()) === null, 'Reset kept the edit in storage');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action);
      assert(focused === 'undo-reset', `Tab after Reset reached ${focused}, not "Undo reset"`);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(600);
      const back = await stored();
      assert(back !== null && JSON.parse(back).code === edited, `the edit did not come back: ${back}`);
      assert(!(await page.locator(`${RUNNER} [data-action="undo-reset"]`).isVisible()), '"Undo reset" still shown');
      const focusAfter = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action);
      assert(focusAfter === 'reset', `focus after undo: ${focusAfter} (expected the Reset button, not <body>)`);
      assert(/edits are back/.test((await page.locator(`${RUNNER} [data-run-status]`).textContent()) ?? ''), 'no status after undo');
    },
  },
  {
    name: 'qa controls: Workers 0 then 2: the crash picker selects worker 1 again; Crash is disabled at 0 workers',
    async run(ctx) {
      const { page } = await ctx.openPage(LESSON);
      const sim = page.locator('[data-mq-sim]').first();
      await sim.scrollIntoViewIfNeeded();
      const setWorkers = (n: number) => sim.locator('input[name="consumerCount"]').evaluate((input, value) => {
        (input as HTMLInputElement).value = String(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, n);
      const min = Number(await sim.locator('input[name="consumerCount"]').getAttribute('min'));
      assert(min === 0, `the Workers slider's minimum is ${min}; this case needs 0`);
      let runs = await knobsRuns(page);
      await setWorkers(0);
      await waitKnobsRun(page, runs);
      assert(await sim.locator('[data-action="crash"]').isDisabled(), '"Crash now" is enabled with 0 workers');
      runs = await knobsRuns(page);
      await setWorkers(2);
      await waitKnobsRun(page, runs);
      const value = await sim.locator('select[name="crashWorker"]').inputValue();
      assert(value === '1', `the picker selected "${value}" after the workers came back`);
      await page.waitForFunction(() => {
        const b = document.querySelector<HTMLButtonElement>('[data-mq-sim] [data-action="crash"]');
        return b !== null && !b.disabled;
      }, null, { timeout: 10_000 });
      await sim.locator('[data-action="crash"]').click();
      const list = (await sim.locator('[data-crash-list]').textContent()) ?? '';
      assert(/Faults in this run \(kept when you change a knob\): worker 1 crashed at/.test(list), `"Crash now" did nothing: ${list}`);
    },
  },
];
