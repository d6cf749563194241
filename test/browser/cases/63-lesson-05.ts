/**
 * Lesson 05 (reliability): the page loads cleanly, its simulation plays and shows what the Try callouts promise (a
 * broker restart after the last publish loses nothing with a durable queue and persistent messages, and loses the
 * waiting messages when they are transient), the what-survives example prints what a restart keeps, and the exercise
 * fails with the starter code (orders lost with the killed worker) and passes with the solution; keyboard only; and
 * screenshots at 360 and 1280 px in light and dark without overflow or overlapping controls.
 */
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L05 = 'lessons/05-reliability/';
const TAB_STOPS_MAX = 400;

/** Simulated time shown by the player, in seconds. */
async function clockSeconds(sim: Locator): Promise<number> {
  const text = (await sim.locator('[data-clock]').first().textContent()) ?? '';
  const m = /([\d.]+)\s*s/.exec(text);
  assert(m, `clock text "${text}" has no seconds`);
  return Number(m[1]);
}

async function counter(sim: Locator, name: string): Promise<number> {
  return Number(await sim.locator(`[data-counter="${name}"]`).first().textContent());
}

/** Scrolls the diagram into view and waits until the island is ready and playing. */
async function simPlaying(page: Page): Promise<Locator> {
  const sim = page.locator('[data-mq-sim]').first();
  await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 10_000 });
  return sim;
}

/** Picks an option of a choice knob (a radio button) as a learner clicking it would, and waits for the re-run. */
async function choose(page: Page, sim: Locator, name: string, value: string): Promise<void> {
  const before = await knobsRuns(page);
  await sim.locator(`input[name="${name}"][value="${value}"]`).check();
  await waitKnobsRun(page, before);
}

/** Pauses the player and seeks it to `seconds` with the time scrubber. */
async function seek(page: Page, sim: Locator, seconds: number): Promise<void> {
  if ((await sim.getAttribute('data-state')) === 'playing') await sim.locator('[data-action="toggle"]').click();
  await sim.locator('[data-scrubber]').evaluate((el: HTMLInputElement, ms) => {
    el.value = String(Math.min(ms, Number(el.max)));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, Math.round(seconds * 1000));
  await page.waitForTimeout(300);
}

/** Presses the broker's "Restart now" at the player's current time, and waits for the forked run. */
async function restartBroker(page: Page, sim: Locator): Promise<void> {
  const before = await knobsRuns(page);
  await sim.locator('[data-fault="restart-broker"] [data-fault-id]').click();
  await waitKnobsRun(page, before);
}

/** Runs a code runner's program and returns its console text (one line per line) once `done` appears in it. */
async function runExample(page: Page, runnerId: string, done: string): Promise<string> {
  const runner = `[data-code-runner][data-runner-id="${runnerId}"]`;
  await page.locator(runner).scrollIntoViewIfNeeded();
  await page.locator(`${runner} [data-action="run"]`).click();
  await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
    [`${runner} [data-console]`, done] as const, { timeout: 20_000 });
  const lines = await page.locator(`${runner} [data-console]`).evaluate((el) => [...el.children].map((line) => line.textContent ?? ''));
  return lines.join('\n');
}

/** Fails if anything sticks out of the viewport (the simulation's known 5 px inspector picker aside: see 61-lesson-06-07.ts). */
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

/** Fails if two visible controls overlap on screen (see 30-journey.ts). */
async function assertNoOverlappingControls(page: Page, what: string): Promise<void> {
  const overlaps = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary')]
      .filter((el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      .filter((el) => !el.classList.contains('visually-hidden') && !el.closest('.visually-hidden, .skip-link'));
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label') || ''}]`;
    const rects = controls.map((el) => [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1));
    const found: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i];
        const b = controls[j];
        if (a.contains(b) || b.contains(a) || a.closest('label')?.contains(b) || b.closest('label')?.contains(a)) continue;
        const hit = rects[i].some((r) => rects[j].some((s) =>
          Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2 && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2));
        if (hit) found.push(`${describe(a)} ↔ ${describe(b)}`);
      }
    }
    return found.slice(0, 8);
  });
  assert(overlaps.length === 0, `${what}: overlapping controls: ${overlaps.join(', ')}`);
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson 05: the page loads, the simulation plays, a broker restart keeps durable persistent messages and loses transient ones, and the example prints what survives',
    async run(ctx) {
      const opened = await ctx.openPage(L05);
      const { page } = opened;
      const sim = await simPlaying(page);
      const t1 = await clockSeconds(sim);
      await page.waitForTimeout(700);
      assert((await clockSeconds(sim)) > t1, 'the clock did not move while playing');
      assert((await counter(sim, 'published')) > 0, 'no message published while playing');

      // Try: durable queue, persistent messages, restart at 4 s: nothing lost, all 30 acked, 2 redelivered.
      await choose(page, sim, 'persistent', 'no'); // loads the knobs' code, then back to the starting values
      await choose(page, sim, 'persistent', 'yes');
      await seek(page, sim, 4);
      await restartBroker(page, sim);
      await seek(page, sim, 120);
      const kept = [await counter(sim, 'acked'), await counter(sim, 'lost'), await counter(sim, 'redelivered')];
      assert(kept.join() === '30,0,2', `after a restart at 4 s: acked, lost, redelivered = ${kept.join(', ')}, not 30, 0, 2`);
      await screenshot(opened, ctx.shotsDir, 'lesson-05-restart-kept-1280');

      // Try: transient messages, the same restart: what was not acknowledged yet is lost.
      await choose(page, sim, 'persistent', 'no');
      await seek(page, sim, 3.99);
      const ackedBefore = await counter(sim, 'acked');
      await seek(page, sim, 120);
      const lost = await counter(sim, 'lost');
      assert(lost === 30 - ackedBefore && (await counter(sim, 'acked')) === ackedBefore,
        `with transient messages the restart lost ${lost} (acked before: ${ackedBefore})`);
      await screenshot(opened, ctx.shotsDir, 'lesson-05-restart-lost-1280');

      const text = await runExample(page, '05-what-survives', 'lesson05.not-durable: gone');
      assert(/the broker closed the connection \(320\)/.test(text), `no 320 close in the example's output: ${text}`);
      assert(/lesson05\.durable: persistent$/m.test(text), `the durable queue did not keep exactly the persistent message: ${text}`);
      await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 5_000 });
      assertCleanPage(opened, 'lesson 05');
    },
  },
  {
    name: 'lesson 05: the exercise fails with the starter code (orders lost with the killed worker) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L05);
      const { page } = opened;
      const ex = page.locator('[data-exercise]');
      await ex.scrollIntoViewIfNeeded();
      await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 20_000 });
      assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
      const failText = (await ex.locator('[data-result]').textContent()) ?? '';
      assert(/Orders 1, 2, 3, 4, 5 and 6 were never packed\./.test(failText) && /killed at 0\.60 s: it had received them with automatic acknowledgement/.test(failText),
        `the starter's feedback does not say the orders died with the worker: ${failText}`);
      await ex.locator('[data-action="hint"]').click();
      assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
      await ex.locator('[data-action="solution"]').click();
      await ex.locator('[data-action="solution-confirm"]').click();
      await ex.locator('[data-action="solution-use"]').click();
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 20_000 })
        .catch(async () => {
          throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
        });
      const passText = (await ex.locator('[data-result]').textContent()) ?? '';
      assert(/All 6 orders were packed/.test(passText), `the pass does not say all orders were packed: ${passText}`);
      await ex.locator('[data-result]').scrollIntoViewIfNeeded();
      await screenshot(opened, ctx.shotsDir, 'lesson-05-exercise-passed-1280');
      assertCleanPage(opened, 'lesson 05 exercise');
    },
  },
  {
    name: 'lesson 05: keyboard only: a choice knob changes with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      const opened = await ctx.openPage(L05);
      const { page } = opened;
      const sim = await simPlaying(page);
      const radio = sim.locator('input[name="persistent"]:checked');
      assert((await radio.getAttribute('value')) === 'yes', 'Messages does not start as persistent');
      const before = await knobsRuns(page);
      await radio.focus();
      await page.keyboard.press('ArrowLeft');
      await waitKnobsRun(page, before);
      assert((await sim.locator('input[name="persistent"]:checked').getAttribute('value')) === 'no', 'ArrowLeft did not pick transient');

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
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 20_000 });
      assertCleanPage(opened, 'lesson 05 keyboard only');
    },
  },
  {
    name: 'lesson 05 at 360 and 1280 px, light and dark: no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(L05, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await page.waitForTimeout(2500);
          await sim.locator('[data-action="toggle"]').click();
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson-05 ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `lesson-05 ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-05-${width}-${colorScheme}`);
          assertCleanPage(opened, `lesson-05 ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
    },
  },
];
