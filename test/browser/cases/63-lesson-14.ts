/**
 * Lesson 14 (dead-lettering): the page loads cleanly, its simulation plays and shows what the Try callouts promise
 * (a requeued poison order comes back for ever and the orders behind it wait; rejected without requeue it is
 * dropped, dead-lettered along a drawn dead-letter edge, or retried and parked), the x-death example prints the
 * header's fields, and the exercise fails with the starter (order #3 blocks the queue) and passes with the
 * solution; keyboard only; screenshots at 360 and 1280 px in light and dark without overflow or overlapping
 * controls. Patterns follow 62-lesson-03.ts.
 */
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, assertNoOverlappingControls, screenshot } from '../assert.ts';
import type { BrowserCase, OpenedPage } from '../context.ts';
import { knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L14 = 'lessons/14-dead-lettering/';
const RUNNER = '[data-code-runner][data-runner-id="14-dead-letters"]';
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
  await screenshot(opened, shotsDir, 'lesson-14-exercise-failed-1280');
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
  await screenshot(opened, shotsDir, 'lesson-14-exercise-passed-1280');
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

export const cases: BrowserCase[] = [
  {
    name: 'lesson 14: the page loads, a requeued poison order blocks the queue, and the other Tries come true',
    async run(ctx) {
      const opened = await ctx.openPage(L14);
      const { page } = opened;
      const sim = await simPlaying(page);

      // Try (starting values): acked stays at 3, 8 orders wait, 116 redeliveries by 60 s.
      await seek(page, sim, 60);
      assert((await counter(sim, 'acked')) === 3, `acked is ${await counter(sim, 'acked')}, not 3`);
      assert((await counter(sim, 'redelivered')) === 116, `redelivered is ${await counter(sim, 'redelivered')}, not 116`);
      assert((await readyInQueue(sim, 'orders')) === 8, `orders holds ${await readyInQueue(sim, 'orders')}, not 8`);
      await seek(page, sim, 20);
      await screenshot(opened, ctx.shotsDir, 'lesson-14-requeue-loop-1280');

      // Try: three workers: acked stops at 9 and the queue is empty.
      await setKnob(page, sim, 'consumerCount', 3);
      await seek(page, sim, 60);
      assert((await counter(sim, 'acked')) === 9, `with 3 workers acked is ${await counter(sim, 'acked')}, not 9`);
      assert((await readyInQueue(sim, 'orders')) === 0, 'with 3 workers orders is not empty');

      // Try: no requeue, no dead-letter exchange: acked 9, rejected 3.
      await setKnob(page, sim, 'consumerCount', 1);
      await setKnob(page, sim, 'onFailure', 'drop');
      await seek(page, sim, 6.3);
      assert((await counter(sim, 'acked')) === 9 && (await counter(sim, 'nacked')) === 3,
        `dropping: acked ${await counter(sim, 'acked')}, rejected ${await counter(sim, 'nacked')}`);

      // Try: a dead-letter exchange: a dashed edge from orders to orders.dlx, 3 orders in orders.dead.
      await setKnob(page, sim, 'onFailure', 'dead-letter');
      await seek(page, sim, 7);
      assert((await counter(sim, 'deadLettered')) === 3, `dead-lettered is ${await counter(sim, 'deadLettered')}, not 3`);
      assert((await readyInQueue(sim, 'orders.dead')) === 3, 'orders.dead does not hold 3 orders');
      assert((await sim.locator('svg.sim-svg .edge--dead-letter').count()) >= 1, 'the diagram draws no dead-letter edge');
      await sim.locator('[data-inspect-select]').selectOption('m4');
      await page.waitForFunction(() => /dead-lettered from orders \(rejected\) to exchange orders\.dlx with routing key "orders"/
        .test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 10_000 });
      await screenshot(opened, ctx.shotsDir, 'lesson-14-dead-letter-1280');

      // Try: retry 2000 ms, 3 attempts: 3 parked at 12.1 s, dead-lettered 12, acked 12.
      await setKnob(page, sim, 'onFailure', 'retry');
      await seek(page, sim, 12.1);
      assert((await readyInQueue(sim, 'orders.parked')) === 3, 'orders.parked does not hold 3 orders');
      assert((await counter(sim, 'deadLettered')) === 12, `retry: dead-lettered is ${await counter(sim, 'deadLettered')}, not 12`);
      assert((await counter(sim, 'acked')) === 12, `retry: acked is ${await counter(sim, 'acked')}, not 12`);
      assert((await sim.locator('svg.sim-svg .edge--dead-letter').count()) >= 2, 'the retry loop draws fewer than 2 dead-letter edges');
      await seek(page, sim, 5);
      await screenshot(opened, ctx.shotsDir, 'lesson-14-retry-1280');

      // Try: one attempt: nothing dead-lettered.
      await setKnob(page, sim, 'maxAttempts', 1);
      await seek(page, sim, 7.1);
      assert((await counter(sim, 'deadLettered')) === 0, 'one attempt: something was dead-lettered');
      assert((await readyInQueue(sim, 'orders.parked')) === 3, 'one attempt: orders.parked does not hold 3 orders');

      // The example: the x-death entry of the rejected order.
      await page.locator(RUNNER).scrollIntoViewIfNeeded();
      await page.locator(`${RUNNER} [data-action="run"]`).click();
      await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
        [`${RUNNER} [data-console]`, 'routing keys'] as const, { timeout: 60_000 });
      const text = (await page.locator(`${RUNNER} [data-console]`).textContent()) ?? '';
      assert(text.includes('x-death: count 1, reason rejected, queue l14.orders, exchange "", routing keys l14.orders'),
        `the example did not print the x-death entry: ${text}`);
      await screenshot(opened, ctx.shotsDir, 'lesson-14-example-1280');
      assertCleanPage(opened, 'lesson 14');
    },
  },
  {
    name: 'lesson 14: the exercise fails with the starter code (order #3 blocks the queue) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L14);
      await starterFailsSolutionPasses(opened,
        /Order #3 failed \d+ times in a row: each time it went back to the head of `?ex14\.orders`?/, ctx.shotsDir);
      assertCleanPage(opened, 'lesson 14 exercise');
    },
  },
  {
    name: 'lesson 14: keyboard only: a knob changes with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      const opened = await ctx.openPage(L14);
      const { page } = opened;
      const sim = await simPlaying(page);
      const slider = sim.locator('input[name="consumerCount"]');
      const before = Number(await slider.inputValue());
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      assert(Number(await slider.inputValue()) === before + 1, 'ArrowRight on Workers did not move it');

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
      assertCleanPage(opened, 'lesson 14 keyboard only');
    },
  },
  {
    name: 'lesson 14 at 360 and 1280 px, light and dark: no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(L14, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await setKnob(page, sim, 'onFailure', 'retry');
          await seek(page, sim, 5);
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-14 ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `lesson-14 ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-14-${width}-${colorScheme}`);
          await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await screenshot(opened, ctx.shotsDir, `lesson-14-diagram-${width}-${colorScheme}`);
          await page.locator(RUNNER).scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-14 example ${width}px ${colorScheme}`);
          await page.locator('[data-exercise]').scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-14 exercise ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-14-exercise-${width}-${colorScheme}`);
          assertCleanPage(opened, `lesson-14 ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
    },
  },
];
