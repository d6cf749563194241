/**
 * Lesson 13 (publisher confirms): the page loads cleanly, its simulation plays and shows what the Try callouts
 * promise (a broker restart wipes transient orders, counted lost; persistent orders in the durable queue come back),
 * the confirms example prints the confirms and the returned message, and the exercise (a broker restart in its
 * run) fails with the starter and passes with the solution; keyboard only; screenshots at 360 and 1280 px in light
 * and dark without overflow or overlapping controls. Patterns follow 62-lesson-03.ts and 63-lesson-14.ts.
 */
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, assertNoOverlappingControls, screenshot } from '../assert.ts';
import type { BrowserCase, OpenedPage } from '../context.ts';
import { knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L13 = 'lessons/13-publisher-confirms/';
const RUNNER = '[data-code-runner][data-runner-id="13-confirms"]';
const TAB_STOPS_MAX = 400;

async function counter(sim: Locator, name: string): Promise<number> {
  return Number(await sim.locator(`[data-counter="${name}"]`).first().textContent());
}

/** Scrolls the diagram into view and waits until the island is ready and playing. */
async function simPlaying(page: Page): Promise<Locator> {
  const sim = page.locator('[data-mq-sim]').first();
  await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 20_000 });
  return sim;
}

/** Sets a knob as a learner would (a radio button is checked, a slider gets a value), and waits for the re-run. */
async function setKnob(page: Page, sim: Locator, name: string, value: string | number): Promise<void> {
  const before = await knobsRuns(page);
  const radio = sim.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) {
    await radio.check();
  } else {
    await sim.locator(`input[name="${name}"]`).evaluate((el: HTMLInputElement, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }
  await waitKnobsRun(page, before);
}

/** Pauses the player and seeks it to `seconds` with the time scrubber. */
async function seek(page: Page, sim: Locator, seconds: number): Promise<void> {
  if ((await sim.getAttribute('data-state')) === 'playing') await sim.locator('[data-action="toggle"]').click();
  await sim.locator('[data-scrubber]').evaluate((el: HTMLInputElement, ms) => {
    el.value = String(ms);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, Math.round(seconds * 1000));
  await page.waitForTimeout(400);
}

/** Ready messages of queue `name` as the diagram shows them at the current time. */
async function readyInQueue(sim: Locator, name: string): Promise<number> {
  const text = (await sim.locator('svg.sim-svg').textContent()) ?? '';
  const m = new RegExp(`queue ${name.replace(/\./g, '\\.')}: (\\d+) ready`).exec(text);
  assert(m, `the diagram shows no "queue ${name}: N ready" status: ${text.slice(0, 300)}`);
  return Number(m[1]);
}

/** Checks the page's exercise with the starter code (must fail with `failPattern`), then with the solution. */
async function starterFailsSolutionPasses(opened: OpenedPage, failPattern: RegExp, shotsDir: string): Promise<void> {
  const { page } = opened;
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 30_000 });
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 60_000 });
  assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
  const failText = ((await ex.locator('[data-result]').textContent()) ?? '').replace(/\s+/g, ' ');
  assert(failPattern.test(failText), `the starter's feedback does not say ${failPattern}: ${failText}`);
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, shotsDir, 'lesson-13-exercise-failed-1280');
  await ex.locator('[data-action="hint"]').click();
  assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 60_000 })
    .catch(async () => {
      throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
    });
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, shotsDir, 'lesson-13-exercise-passed-1280');
}

/** Fails if anything but the known offender (the inspector's picker, see 62-lesson-03.ts) sticks out of the viewport. */
async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const culprits = await page.evaluate(() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => !el.closest('.sim-inspect-pick'))
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility())
      .filter((el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          const style = getComputedStyle(p);
          if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') return false;
        }
        return true;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
  assert(culprits.length === 0, `${what}: wider than the viewport: ${culprits.join('; ')}`);
}


/** Presses Restart now at the current time and waits until the fault list shows it. */
async function restartNow(page: Page, sim: Locator): Promise<number> {
  await sim.locator('[data-fault-id="restart-broker"]').click();
  await page.waitForFunction(() => /restarted at/.test(
    document.querySelector('[data-mq-sim] [data-crash-list]')?.textContent ?? ''), null, { timeout: 30_000 });
  const text = (await sim.locator('[data-crash-list]').textContent()) ?? '';
  const m = /restarted at ([\d.]+) s/.exec(text);
  assert(m, `no restart time in "${text}"`);
  return Number(m[1]);
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson 13: the page loads, a broker restart wipes transient orders and keeps persistent ones, and the confirms example runs',
    async run(ctx) {
      const opened = await ctx.openPage(L13);
      const { page } = opened;
      const sim = await simPlaying(page);

      // Try: transient orders, restart at about 3 s: the queue empties and lost jumps by what it held.
      await seek(page, sim, 3);
      const held = await readyInQueue(sim, 'tasks');
      const lostBefore = await counter(sim, 'lost');
      const t = await restartNow(page, sim);
      await seek(page, sim, t + 0.05);
      assert((await readyInQueue(sim, 'tasks')) === 0, 'the queue still holds orders after the restart');
      // By what it held, plus an order on its way at that moment (the broker never got it), as the text says.
      const jump = (await counter(sim, 'lost')) - lostBefore;
      assert(jump === held || jump === held + 1, `lost went from ${lostBefore} to ${await counter(sim, 'lost')}, not by ${held} (or ${held + 1})`);
      await seek(page, sim, t + 3);
      await screenshot(opened, ctx.shotsDir, 'lesson-13-restart-transient-1280');

      // Try: persistent orders: still there after the restart, lost stays 0.
      await setKnob(page, sim, 'persistent', 'yes');
      await seek(page, sim, 3);
      const kept = await readyInQueue(sim, 'tasks');
      const t2 = await restartNow(page, sim);
      await seek(page, sim, t2 + 0.05);
      assert((await readyInQueue(sim, 'tasks')) >= kept, 'persistent orders were not kept through the restart');
      await seek(page, sim, 20);
      assert((await counter(sim, 'lost')) <= 1, `with persistent orders lost is ${await counter(sim, 'lost')} (0, or the 1 on its way)`);
      await screenshot(opened, ctx.shotsDir, 'lesson-13-restart-persistent-1280');

      // The example: two confirms, a return, a confirm.
      await page.locator(RUNNER).scrollIntoViewIfNeeded();
      await page.locator(`${RUNNER} [data-action="run"]`).click();
      await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
        [`${RUNNER} [data-console]`, 'confirmed: order #3'] as const, { timeout: 60_000 });
      const text = (await page.locator(`${RUNNER} [data-console]`).textContent()) ?? '';
      assert(text.includes('returned: order #3 (NO_ROUTE, "l13.ordrs")') && text.includes('confirmed: order #3'),
        `the example did not print the return and the confirm: ${text}`);
      await screenshot(opened, ctx.shotsDir, 'lesson-13-example-1280');
      assertCleanPage(opened, 'lesson 13');
    },
  },
  {
    name: 'lesson 13: the exercise fails with the starter code (orders wiped by the restart) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L13);
      await starterFailsSolutionPasses(opened,
        /Orders #1, #2, #3 and #4 had reached the queue, but as transient messages/, ctx.shotsDir);
      assertCleanPage(opened, 'lesson 13 exercise');
    },
  },
  {
    name: 'lesson 13: keyboard only: a knob changes with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      const opened = await ctx.openPage(L13);
      const { page } = opened;
      const sim = await simPlaying(page);
      const slider = sim.locator('input[name="brokerDownMs"]');
      const before = Number(await slider.inputValue());
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      assert(Number(await slider.inputValue()) === before + 500, 'ArrowRight on Broker down for did not move it');

      const isAction = (action: string) => page.evaluate((a) => {
        const el = document.activeElement as HTMLElement | null;
        return el?.dataset.action === a && el.closest('[data-exercise]') !== null && !el.closest('[data-code-runner]');
      }, action);
      const tabTo = async (action: string, shift = false) => {
        for (let i = 0; i < TAB_STOPS_MAX; i++) {
          if (await isAction(action)) return;
          await pressTab(page, shift);
        }
        throw new Error(`Tab never reached the exercise's "${action}" button`);
      };
      await tabIntoExercise(page, () => pressTab(page));
      await tabTo('solution');
      await page.keyboard.press('Enter');
      assert(await isAction('solution-confirm'), 'the solution confirmation did not take the focus');
      await page.keyboard.press('Enter');
      await tabTo('solution-use');
      await page.keyboard.press('Enter');
      await tabTo('check', true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 60_000 });
      assertCleanPage(opened, 'lesson 13 keyboard only');
    },
  },
  {
    name: 'lesson 13 at 360 and 1280 px, light and dark: no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(L13, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await seek(page, sim, 4);
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-13 ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `lesson-13 ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-13-${width}-${colorScheme}`);
          await page.locator(RUNNER).scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-13 example ${width}px ${colorScheme}`);
          await page.locator('[data-exercise]').scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-13 exercise ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-13-exercise-${width}-${colorScheme}`);
          assertCleanPage(opened, `lesson-13 ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
    },
  },
];
