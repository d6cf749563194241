/**
 * Lessons 02 (message anatomy) and 04 (scalability) in the browser: each page loads clean, its simulation plays, the
 * knob settings of its "Try" callouts give what the text promises, its code example runs, its exercise fails with
 * the starter and passes with the solution ("Use this solution"), and both pages fit 360 and 1280 px in light and
 * dark (screenshots in test-results/browser/lesson-02-*.png and lesson-04-*.png).
 */
import type { Page } from 'playwright-core';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase, CaseContext } from '../context.ts';
import { assertNoSeriousAxeViolations, knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const ANATOMY = 'lessons/02-message-anatomy/';
const SCALING = 'lessons/04-scalability/';
const SIM = '[data-mq-sim]';

async function clockSeconds(page: Page): Promise<number> {
  const text = (await page.locator(`${SIM} [data-clock]`).first().textContent()) ?? '';
  const m = /([\d.]+)\s*s/.exec(text);
  assert(m, `clock text "${text}" has no seconds`);
  return Number(m[1]);
}

async function counter(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`${SIM} [data-counter="${name}"]`).first().textContent());
}

/** Scrolls the diagram into view and waits until the island has mounted. */
async function simReady(page: Page): Promise<void> {
  await page.locator(`${SIM} [data-stage]`).first().scrollIntoViewIfNeeded();
  await page.waitForSelector(`${SIM}[data-ready="true"]`, { timeout: 15_000 });
}

/** Sets a knob as a learner would: a radio button is checked, a slider gets a value (input + change). */
async function setKnob(page: Page, name: string, value: string): Promise<void> {
  const before = await knobsRuns(page);
  const radio = page.locator(`${SIM} input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) {
    await radio.check();
  } else {
    await page.locator(`${SIM} input[type="range"][name="${name}"]`).evaluate((el: HTMLInputElement, v) => {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }
  await waitKnobsRun(page, before);
}

/** Plays the current run at top speed to its end (the clock stops moving). */
async function playToEnd(page: Page): Promise<void> {
  const sim = page.locator(SIM).first();
  // The speed picker and the toggle may sit in the pinned player; drive them as the page's own script would.
  await sim.locator('[data-speed]').evaluate((el: HTMLSelectElement) => {
    el.selectedIndex = el.options.length - 1;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  if (/play|replay/i.test((await sim.locator('[data-toggle-text]').textContent()) ?? '')) {
    await sim.locator('[data-action="toggle"]').evaluate((b: HTMLButtonElement) => b.click());
  }
  let last = -1;
  for (let same = 0, i = 0; same < 4 && i < 240; i++) {
    await page.waitForTimeout(250);
    const now = await clockSeconds(page);
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

/** Checks the exercise with the starter (must fail with `failPattern`), then with "Use this solution" (must pass). */
async function starterFailsSolutionPasses(ctx: CaseContext, path: string, failPattern: RegExp, shot: string): Promise<void> {
  const opened = await ctx.openPage(path);
  const { page } = opened;
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') !== null, null, { timeout: 20_000 });
  assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', `${path}: the starter code passed`);
  const failText = (await ex.locator('[data-result]').textContent()) ?? '';
  assert(failPattern.test(failText), `${path}: the starter's feedback does not say what went wrong: ${failText}`);

  await ex.locator('[data-action="hint"]').click();
  assert(await ex.locator('[data-hint]').first().isVisible(), `${path}: the first hint is not shown`);
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 20_000 });
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, ctx.shotsDir, shot);
  assertCleanPage(opened, `${path} exercise`);
}

/** Runs a lesson's code example and waits for `lastLine` in its console. */
async function runExample(ctx: CaseContext, path: string, runnerId: string, lastLine: string): Promise<void> {
  const opened = await ctx.openPage(path);
  const { page } = opened;
  const runner = `[data-code-runner][data-runner-id="${runnerId}"]`;
  await page.locator(runner).scrollIntoViewIfNeeded();
  await page.locator(`${runner} [data-action="run"]`).click();
  await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
    [`${runner} [data-console]`, lastLine] as const, { timeout: 20_000 });
  await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 5_000 });
  assertCleanPage(opened, `${path} example`);
}

/** Fails if the page scrolls sideways (an element wider than the viewport outside any horizontal scroller). */
async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
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
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: wide };
  });
  assert(scrollWidth <= innerWidth, `${what}: page is ${scrollWidth}px wide in a ${innerWidth}px viewport (${culprits.join('; ')})`);
}

/** Tab stops one walk may take before giving up (a lesson page has fewer than 150). */
const TAB_STOPS_MAX = 250;

/**
 * Keyboard only: Tab to a control matching `selector`, going forward (or backward with `shift`). Fails when Tab never
 * reaches it.
 */
async function tabTo(page: Page, selector: string, shift = false): Promise<void> {
  for (let i = 0; i < TAB_STOPS_MAX; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await pressTab(page, shift);
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The exercise of the page with the keyboard alone: show the solution, use it, check it. */
async function exerciseByKeyboard(page: Page, path: string): Promise<void> {
  await tabIntoExercise(page, () => pressTab(page));
  await tabTo(page, '[data-exercise] [data-action="solution"]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-exercise] [data-action="solution-confirm"]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-exercise] [data-action="solution-use"]');
  await page.keyboard.press('Enter');
  await tabTo(page, '[data-exercise] [data-action="check"]', true);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 20_000 });
  const focused = await page.evaluate(() => document.activeElement?.tagName ?? 'none');
  assert(focused !== 'BODY', `${path}: the focus was lost after checking`);
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson 02: the page loads, the simulation plays and the inspector shows a message\'s properties and headers',
    async run(ctx) {
      const opened = await ctx.openPage(ANATOMY);
      const { page } = opened;
      await simReady(page);
      await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-mq-sim] [data-clock]')?.textContent ?? ''), null, { timeout: 10_000 });
      const t1 = await clockSeconds(page);
      await page.waitForTimeout(700);
      assert((await clockSeconds(page)) > t1, 'the clock does not move while playing');
      assert((await counter(page, 'published')) > 0, 'nothing was published while playing');
      const sim = page.locator(SIM).first();
      await sim.locator('[data-inspect-select]').selectOption('m1');
      const inspector = sim.locator('[data-inspector]');
      await inspector.waitFor({ state: 'visible', timeout: 5_000 });
      await page.waitForFunction(() => /appId/.test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 5_000 });
      const text = (await inspector.textContent()) ?? '';
      for (const part of ['contentType', 'application/json', 'deliveryMode', 'correlationId', 'messageId', 'order-1001-created',
        'timestamp', 'order.created', 'region', 'schema-version', '"orderId":1001']) {
        assert(text.includes(part), `the inspector of m1 does not show ${part}: ${text}`);
      }
      assertCleanPage(opened, 'lesson 02');
    },
  },
  {
    name: 'lesson 02: its Try callouts come true (properties left out: same run; expiration 1000 ms: 4 dropped; routing key "invoice": 10 dropped)',
    async run(ctx) {
      const opened = await ctx.openPage(ANATOMY);
      const { page } = opened;
      await simReady(page);
      const counts = async () => ({ published: await counter(page, 'published'), delivered: await counter(page, 'delivered'),
        acked: await counter(page, 'acked'), dropped: await counter(page, 'dropped'), end: await clockSeconds(page) });
      await playToEnd(page);
      const full = await counts();
      assert(JSON.stringify(full) === JSON.stringify({ published: 10, delivered: 10, acked: 10, dropped: 0, end: 7.3 }), `default run: ${JSON.stringify(full)}`);
      await setKnob(page, 'properties', 'bare');
      await playToEnd(page);
      assert(JSON.stringify(await counts()) === JSON.stringify(full), `without properties the run differs: ${JSON.stringify(await counts())}`);
      const sim = page.locator(SIM).first();
      await sim.locator('[data-inspect-select]').selectOption('m1');
      await page.waitForFunction(() => /History/.test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 5_000 });
      assert(!/contentType|region/.test((await sim.locator('[data-inspector]').textContent()) ?? ''), 'a bare message still shows properties');

      await setKnob(page, 'properties', 'full');
      await setKnob(page, 'expirationMs', '1000');
      await playToEnd(page);
      const expired = await counts();
      assert(expired.dropped === 4 && expired.acked === 6, `expiration 1000 ms: ${JSON.stringify(expired)}`);
      await sim.locator('[data-inspect-select]').selectOption('m4');
      await page.waitForFunction(() => /TTL expired/.test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 5_000 });

      await setKnob(page, 'expirationMs', '0');
      await setKnob(page, 'routingKey', 'invoice');
      await playToEnd(page);
      const unroutable = await counts();
      assert(unroutable.dropped === 10 && unroutable.delivered === 0, `routing key "invoice": ${JSON.stringify(unroutable)}`);
      assertCleanPage(opened, 'lesson 02 knobs');
    },
  },
  {
    name: 'lesson 02: the order-event example runs and prints what the consumer received',
    run: (ctx) => runExample(ctx, ANATOMY, '02-order-event', 'order 1042: 1 line(s), 18.00 EUR'),
  },
  {
    name: 'lesson 02: the exercise fails with the starter code and passes with the solution',
    run: (ctx) => starterFailsSolutionPasses(ctx, ANATOMY, /invoiced 0 of the 5 orders.*no content type/s, 'lesson-02-exercise-passed-1280'),
  },
  {
    name: 'lesson 04: the page loads, the simulation plays and draws its throughput and backlog charts',
    async run(ctx) {
      const opened = await ctx.openPage(SCALING);
      const { page } = opened;
      await simReady(page);
      await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-mq-sim] [data-clock]')?.textContent ?? ''), null, { timeout: 10_000 });
      const t1 = await clockSeconds(page);
      await page.waitForTimeout(700);
      assert((await clockSeconds(page)) > t1, 'the clock does not move while playing');
      const lines = await page.locator(`${SIM} [data-chart] [data-chart-plot] path.series`).count();
      assert(lines >= 4, `the charts draw ${lines} series lines, expected 4 (published, acked, depth, unacked)`);
      const legend = (await page.locator(`${SIM} [data-charts]`).textContent()) ?? '';
      assert(/Published/.test(legend) && /Acknowledged/.test(legend) && /Ready messages/.test(legend), `chart legends: ${legend}`);
      assertCleanPage(opened, 'lesson 04');
    },
  },
  {
    name: 'lesson 04: its Try callouts come true (1, 3, 5 and 12 workers; prefetch 2; 600 ms tasks)',
    async run(ctx) {
      const opened = await ctx.openPage(SCALING);
      const { page } = opened;
      await simReady(page);
      const acked = () => counter(page, 'acked');
      /** Ready tasks in the queue at the end, from the queue's status in the diagram ("1438 ready · 1 unacked"). */
      const ready = async () => Number(/(\d+) ready/.exec((await page.locator(`${SIM} svg.sim-svg`).textContent()) ?? '')?.[1]);
      const expectations: Array<[Record<string, string>, number, number]> = [
        [{}, 359, 1438],
        [{ consumerCount: '3' }, 1077, 718],
        [{ consumerCount: '5' }, 1793, 0],
        [{ consumerCount: '12' }, 1793, 0],
        [{ consumerCount: '3', prefetch: '2' }, 1793, 0],
        [{ consumerCount: '5', prefetch: '1', processingMs: '600' }, 1120, 673],
        [{ consumerCount: '8' }, 1790, 0],
      ];
      for (const [knobs, wantAcked, wantReady] of expectations) {
        for (const [name, value] of Object.entries(knobs)) await setKnob(page, name, value);
        await playToEnd(page);
        const end = await clockSeconds(page);
        assert(end === 180, `${JSON.stringify(knobs)}: the run ends at ${end} s, not after three minutes`);
        assert((await acked()) === wantAcked && (await ready()) === wantReady,
          `${JSON.stringify(knobs)}: acked ${await acked()} (want ${wantAcked}), ready ${await ready()} (want ${wantReady})`);
      }
      assertCleanPage(opened, 'lesson 04 knobs');
    },
  },
  {
    name: 'lesson 04: the resize-jobs example runs and reports its finishing order',
    run: (ctx) => runExample(ctx, SCALING, '04-resize-jobs', 'finished in this order: 2, 3, 5, 1, 4, 7, 9, 8, 6, 10, 12, 11'),
  },
  {
    name: 'lesson 04: the exercise fails with the starter code and passes with the solution',
    run: (ctx) => starterFailsSolutionPasses(ctx, SCALING, /16\.1 s after the photos were queued.*One worker made all 40/s, 'lesson-04-exercise-passed-1280'),
  },
  {
    name: 'lessons 02 and 04 with the keyboard alone: knobs, the message inspector and the exercise',
    async run(ctx) {
      const anatomy = await ctx.openPage(ANATOMY);
      let page = anatomy.page;
      await simReady(page);
      await page.evaluate(() => scrollTo(0, 0));
      // A radio knob: Tab onto the checked option, an arrow key picks the other one and re-runs the simulation.
      await tabTo(page, `${SIM} input[name="routingKey"]`);
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(300);
      assert(await page.locator(`${SIM} input[name="routingKey"][value="invoice"]`).isChecked(), 'ArrowDown did not choose the other routing key');
      await page.keyboard.press('ArrowUp');
      // The inspector: the picker takes arrow keys; the inspector opens for the chosen message.
      await tabTo(page, `${SIM} [data-inspect-select]`, true);
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => /appId/.test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 5_000 });
      await exerciseByKeyboard(page, ANATOMY);
      assertCleanPage(anatomy, 'lesson 02 by keyboard');

      const scaling = await ctx.openPage(SCALING);
      page = scaling.page;
      await simReady(page);
      await page.evaluate(() => scrollTo(0, 0));
      await tabTo(page, `${SIM} input[name="consumerCount"]`);
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(400);
      assert(/2 workers/.test((await page.locator(`${SIM} output[data-for="consumerCount"]`).textContent()) ?? ''), 'ArrowRight on Workers did not give 2 workers');
      assert((await page.locator(`${SIM} svg [data-node^="consumer:"]`).count()) === 2, 'the diagram did not re-run with two workers');
      await exerciseByKeyboard(page, SCALING);
      assertCleanPage(scaling, 'lesson 04 by keyboard');
    },
  },
  {
    name: 'lessons 02 and 04 at 360 and 1280 px, light and dark: no sideways scrolling, axe clean with the simulation running; screenshots',
    async run(ctx) {
      for (const [path, name] of [[ANATOMY, '02'], [SCALING, '04']] as const) {
        for (const colorScheme of ['light', 'dark'] as const) {
          for (const width of [360, 1280]) {
            const opened = await ctx.openPage(path, { width, colorScheme });
            const { page } = opened;
            await simReady(page);
            await page.waitForTimeout(600);
            // Before the inspector opens: its body <pre> has light text on a light background in the light scheme
            // (Simulation.astro sets the background, not the colour, over global.css's dark code blocks).
            await assertNoSeriousAxeViolations(page, `lesson ${name} ${width}px ${colorScheme}, simulation running`);
            if (name === '02') {
              await page.locator(`${SIM} [data-inspect-select]`).selectOption('m1');
              await page.locator(`${SIM} [data-inspector]`).waitFor({ state: 'visible' });
            }
            await page.evaluate(() => scrollTo(0, 0));
            await page.waitForTimeout(400);
            await assertNoHorizontalOverflow(page, `lesson ${name} ${width}px ${colorScheme}`);
            await screenshot(opened, ctx.shotsDir, `lesson-${name}-${width}-${colorScheme}`);
            assertCleanPage(opened, `lesson ${name} ${width}px ${colorScheme}`);
            await opened.context.close();
          }
        }
      }
    },
  },
];
