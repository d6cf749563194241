/**
 * Lessons 10 (routing with direct and topic exchanges) and 11 (request-reply): each page loads cleanly, its
 * simulation plays and shows what the lesson's Try callouts promise, its runnable example prints what the text
 * says, and its exercise fails with the starter code (with the right feedback) and passes with the solution;
 * keyboard only; screenshots at 360 and 1280 px in light and dark, axe-clean, without overflow or overlapping
 * controls.
 */
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, assertNoOverlappingControls, screenshot } from '../assert.ts';
import type { BrowserCase, CaseContext, OpenedPage } from '../context.ts';
import { assertNoSeriousAxeViolations, knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L10 = 'lessons/10-routing/';
const L11 = 'lessons/11-request-reply/';
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

/** Scrolls the diagram into view and waits until the island is ready and playing (the machine is loaded). */
async function simPlaying(page: Page): Promise<Locator> {
  const sim = page.locator('[data-mq-sim]').first();
  await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 20_000 });
  return sim;
}

/** Sets a knob as a learner would (a radio button is checked, a slider gets a value) and waits for the re-run. */
async function setKnob(page: Page, sim: Locator, name: string, value: number | string): Promise<void> {
  const before = await knobsRuns(page);
  const radio = sim.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) {
    // The panel may still be settling from the previous run on a loaded machine: try again once it has.
    for (let attempt = 1; ; attempt++) {
      try {
        await radio.check({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        await page.waitForTimeout(1000);
      }
    }
  } else {
    await sim.locator(`input[name="${name}"]`).evaluate((el: HTMLInputElement, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }
  await waitKnobsRun(page, before);
}

/** Pauses the player and moves the time scrubber to `seconds`. */
async function seek(page: Page, sim: Locator, seconds: number): Promise<void> {
  if ((await sim.getAttribute('data-state')) === 'playing') await sim.locator('[data-action="toggle"]').click();
  await sim.locator('[data-scrubber]').evaluate((el: HTMLInputElement, ms) => {
    el.value = String(Math.min(ms, Number(el.max)));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, Math.round(seconds * 1000));
  await page.waitForTimeout(400);
}

/** The diagram's text (node labels and statuses, edge labels) at the current time. */
async function diagramText(sim: Locator): Promise<string> {
  return (await sim.locator('svg.sim-svg').textContent()) ?? '';
}

/** Runs a code runner (optionally with another run line); returns its console lines once `done` shows. */
async function runExample(page: Page, runnerId: string, done: string | RegExp, runLine?: string): Promise<string[]> {
  const runner = `[data-code-runner][data-runner-id="${runnerId}"]`;
  await page.locator(runner).scrollIntoViewIfNeeded();
  if (runLine !== undefined) await page.locator(`${runner} [data-run-line]`).fill(runLine);
  await page.locator(`${runner} [data-action="run"]`).click();
  const pattern = typeof done === 'string' ? done : done.source;
  await page.waitForFunction(([sel, text, isRegex]) => {
    const content = document.querySelector(sel)?.textContent ?? '';
    return isRegex ? new RegExp(text).test(content) : content.includes(text);
  }, [`${runner} [data-console]`, pattern, typeof done !== 'string'] as const, { timeout: 40_000 }).catch(async (error: Error) => {
    const shown = await page.locator(`${runner} [data-console]`).textContent();
    throw new Error(`${runnerId}: "${pattern}" never showed in the console (${error.message}); it shows: ${shown}`);
  });
  await page.waitForTimeout(500);
  return page.locator(`${runner} [data-console]`).evaluate((el) => [...el.children].map((line) => line.textContent ?? ''));
}

/** Checks the page's exercise with the starter code (must fail with `failPattern`), then with the solution. */
async function starterFailsSolutionPasses(opened: OpenedPage, failPattern: RegExp, shot: string, shotsDir: string): Promise<void> {
  const { page } = opened;
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 30_000 });
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 40_000 });
  assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
  const failText = (await ex.locator('[data-result]').textContent()) ?? '';
  assert(failPattern.test(failText), `the starter's feedback does not say ${failPattern}: ${failText}`);
  await ex.locator('[data-action="hint"]').click();
  assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 40_000 })
    .catch(async () => {
      throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
    });
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, shotsDir, shot);
}

/** Fails if anything but the known offender (the inspector's picker, 5 px at 360 px) sticks out of the viewport. */
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

/** Keyboard only: a knob slider moves with the arrow keys, and the exercise is solved with Tab and Enter. */
async function keyboardOnly(ctx: CaseContext, path: string, knob: string): Promise<void> {
  const opened = await ctx.openPage(path);
  const { page } = opened;
  const sim = await simPlaying(page);
  const slider = sim.locator(`input[name="${knob}"]`);
  const before = Number(await slider.inputValue());
  await slider.focus();
  await page.keyboard.press(before >= Number(await slider.getAttribute('max')) ? 'ArrowLeft' : 'ArrowRight');
  await page.waitForTimeout(400);
  assert(Number(await slider.inputValue()) !== before, `${path}: an arrow key on ${knob} did not move it`);

  const isAction = (action: string) => page.evaluate((a) => {
    const el = document.activeElement as HTMLElement | null;
    return el?.dataset.action === a && el.closest('[data-exercise]') !== null && !el.closest('[data-code-runner]');
  }, action);
  const tabTo = async (action: string, shift = false) => {
    for (let i = 0; i < TAB_STOPS_MAX; i++) {
      if (await isAction(action)) return;
      await pressTab(page, shift);
    }
    throw new Error(`${path}: Tab never reached the exercise's "${action}" button`);
  };
  await tabIntoExercise(page, () => pressTab(page));
  await tabTo('solution');
  await page.keyboard.press('Enter');
  assert(await isAction('solution-confirm'), `${path}: the solution confirmation did not take the focus`);
  await page.keyboard.press('Enter');
  await tabTo('solution-use');
  await page.keyboard.press('Enter');
  await tabTo('check', true);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 40_000 });
  assertCleanPage(opened, `${path} keyboard only`);
  await opened.context.close();
}

/** Screenshots of a page at 360 and 1280 px, light and dark, checked with axe and for overflow and overlapping controls. */
async function lookAtEveryWidth(ctx: CaseContext, path: string, name: string, pauseAtS: number): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [360, 1280]) {
      const opened = await ctx.openPage(path, { width, colorScheme });
      const { page } = opened;
      const sim = await simPlaying(page);
      await page.waitForTimeout(2500);
      await assertNoSeriousAxeViolations(page, `${name} ${width}px ${colorScheme}, the simulation playing`);
      await seek(page, sim, pauseAtS);
      await assertNoHorizontalOverflow(page, `${name} ${width}px ${colorScheme}`);
      await assertNoOverlappingControls(page, `${name} ${width}px ${colorScheme}`);
      await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
      await screenshot(opened, ctx.shotsDir, `${name}-sim-${width}-${colorScheme}`);
      await page.evaluate(() => scrollTo(0, 0));
      await page.waitForTimeout(300);
      await screenshot(opened, ctx.shotsDir, `${name}-${width}-${colorScheme}`);
      assertCleanPage(opened, `${name} ${width}px ${colorScheme}`);
      await opened.context.close();
    }
  }
}


/** What the diagram says a consumer received so far ("consumer alerts: unacked 0/1 · received 3"). */
async function received(sim: Locator, consumer: string): Promise<number> {
  const text = await diagramText(sim);
  const m = new RegExp(`consumer ${consumer}: unacked \\d+(?:/\\d+)? · received (\\d+)`).exec(text);
  assert(m, `the diagram shows no "received N" for ${consumer}: ${text.slice(0, 400)}`);
  return Number(m[1]);
}

const lesson10Cases: BrowserCase[] = [
  {
    name: 'lesson 10: the page loads, the simulation plays, the topic bindings pick their messages with their keys on the edges, a direct exchange drops the patterns, *.error and * match nothing, and the watchers example routes by severity',
    async run(ctx) {
      const opened = await ctx.openPage(L10);
      const { page } = opened;
      const sim = await simPlaying(page);
      const t1 = await clockSeconds(sim);
      await page.waitForTimeout(800);
      assert((await clockSeconds(sim)) > t1, 'the clock did not move while playing');

      // Try 1: topic; alerts 3, billing team 3, archive 9; 15 delivered, 0 dropped; keys on the edges.
      await seek(page, sim, 30);
      const counts = async () => [await received(sim, 'alerts'), await received(sim, 'billing team'), await received(sim, 'archive')];
      assert((await counts()).join() === '3,3,9', `alerts, billing team and archive received ${(await counts()).join(', ')}, not 3, 3, 9`);
      for (const [name, value] of [['published', 9], ['delivered', 15], ['dropped', 0]] as const) {
        assert((await counter(sim, name)) === value, `${name} is ${await counter(sim, name)}, not ${value}`);
      }
      const labels = await sim.locator('svg.sim-svg .edge-label').allTextContents();
      for (const key of ['error.*', '*.billing', '#']) assert(labels.includes(key), `no edge labelled ${key}: ${labels.join(' | ')}`);
      await seek(page, sim, 5.15);
      await screenshot(opened, ctx.shotsDir, 'lesson-10-routing-1280');
      // Try 2: direct: nothing delivered, 9 dropped; an exact key error.billing gets 1.
      await setKnob(page, sim, 'exchangeType', 'direct');
      await seek(page, sim, 30);
      assert((await counter(sim, 'delivered')) === 0 && (await counter(sim, 'dropped')) === 9,
        `direct: delivered ${await counter(sim, 'delivered')} and dropped ${await counter(sim, 'dropped')}, not 0 and 9`);
      assert((await sim.locator('svg.sim-svg .edge-label').allTextContents()).includes('error.*'), 'the unmatched binding error.* is not drawn');
      await setKnob(page, sim, 'alertsKey', 'error.billing');
      await seek(page, sim, 30);
      assert((await received(sim, 'alerts')) === 1, `with error.billing alerts received ${await received(sim, 'alerts')}, not 1`);
      // Try 3: topic, *.error: nothing; error.#: 3.
      await setKnob(page, sim, 'exchangeType', 'topic');
      await setKnob(page, sim, 'alertsKey', '*.error');
      await seek(page, sim, 30);
      assert((await received(sim, 'alerts')) === 0, `with *.error alerts received ${await received(sim, 'alerts')}, not 0`);
      await setKnob(page, sim, 'alertsKey', 'error.#');
      await seek(page, sim, 30);
      assert((await received(sim, 'alerts')) === 3, `with error.# alerts received ${await received(sim, 'alerts')}, not 3`);
      // Try 4: error.* and archive *: archive 0, 4 dropped; *.*: 9.
      await setKnob(page, sim, 'alertsKey', 'error.*');
      await setKnob(page, sim, 'archiveKey', '*');
      await seek(page, sim, 30);
      assert((await received(sim, 'archive')) === 0, `with * the archive received ${await received(sim, 'archive')}, not 0`);
      assert((await counter(sim, 'dropped')) === 4, `with * dropped is ${await counter(sim, 'dropped')}, not 4`);
      await setKnob(page, sim, 'archiveKey', '*.*');
      await seek(page, sim, 30);
      assert((await received(sim, 'archive')) === 9, `with *.* the archive received ${await received(sim, 'archive')}, not 9`);

      // The example: error to three watchers, warn to two, info to one, debug to nobody.
      const lines = await runExample(page, '10-watchers', 'pager got [error]');
      const got = (who: string) => lines.filter((l) => l.includes(`${who} got [`)).length;
      assert(got('pager') === 1 && got('screen') === 2 && got('disk') === 3, `the watchers got ${got('pager')}, ${got('screen')} and ${got('disk')} lines, not 1, 2 and 3: ${lines.join('\n')}`);
      assert(!lines.some((l) => l.includes('got [debug]')), `someone got the debug line: ${lines.join('\n')}`);
      // Try: a dev watcher bound with debug gets the debug line, nobody else does.
      const again = await runExample(page, '10-watchers', 'pager got [error]',
        '"watcher.mjs dev debug" "watcher.mjs pager error" "watcher.mjs screen warn error" "watcher.mjs disk info warn error" logger.mjs');
      const debug = again.filter((l) => l.includes('got [debug]'));
      assert(debug.length === 1 && debug[0].includes('dev got [debug] cache hit ratio 0.93'), `the debug line did not reach dev alone: ${again.join('\n')}`);
      // The simulation below replays the example's run ("Showing the run of …").
      await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 10_000 });
      assertCleanPage(opened, 'lesson 10');
    },
  },
  {
    name: 'lesson 10: the exercise fails with the starter code (no team got anything) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L10);
      await starterFailsSolutionPasses(opened, /Refunds received none of its 3 events/, 'lesson-10-exercise-passed-1280', ctx.shotsDir);
      assertCleanPage(opened, 'lesson 10 exercise');
    },
  },
  {
    name: 'lesson 10: keyboard only: a knob slider moves with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      await keyboardOnly(ctx, L10, 'processingMs');
    },
  },
  {
    name: 'lesson 10 at 360 and 1280 px, light and dark: axe clean while playing, no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      await lookAtEveryWidth(ctx, L10, 'lesson-10', 5.15);
    },
  },
];

export const cases: BrowserCase[] = [
  ...lesson10Cases,
  {
    name: 'lesson 11: the page loads, the simulation plays, replies travel back on reply edges and overtake the slow request, one server answers in order, an exclusive reply queue shows, and the price example times out and ignores the late reply',
    async run(ctx) {
      const opened = await ctx.openPage(L11);
      const { page } = opened;
      const sim = await simPlaying(page);
      const t1 = await clockSeconds(sim);
      await page.waitForTimeout(800);
      assert((await clockSeconds(sim)) > t1, 'the clock did not move while playing');

      // Try 1: at 2.5 s the shop has 2 replies; at the end 8 / 8 / 4 / 4. The reply path is drawn dotted.
      await seek(page, sim, 2.5);
      const midway = await diagramText(sim);
      assert(midway.includes('consumer shop: auto-ack · received 2') || /shop[^]*auto-ack · received 2/.test(midway),
        `at 2.5 s the shop has not received 2 replies: ${midway.slice(0, 500)}`);
      assert((await sim.locator('svg.sim-svg .edge--reply').count()) >= 2, 'the reply path is not drawn as reply edges');
      assert(midway.includes('amq.rabbitmq.reply-to'), 'the diagram does not show amq.rabbitmq.reply-to');
      await seek(page, sim, 1.85);
      await screenshot(opened, ctx.shotsDir, 'lesson-11-reply-travelling-1280');
      await seek(page, sim, 30);
      for (const [name, value] of [['published', 8], ['delivered', 8], ['acked', 4], ['autoAcked', 4]] as const) {
        assert((await counter(sim, name)) === value, `${name} is ${await counter(sim, name)}, not ${value}`);
      }
      assert(Math.abs((await clockSeconds(sim)) - 2.9) < 0.15, `the run ends at ${await clockSeconds(sim)} s, not 2.9 s`);
      // Try 2: one server: the last reply at 4.4 s.
      await setKnob(page, sim, 'serverCount', 1);
      await seek(page, sim, 60);
      assert(Math.abs((await clockSeconds(sim)) - 4.4) < 0.15, `with one server the run ends at ${await clockSeconds(sim)} s, not 4.4 s`);
      // Try 3: an exclusive server-named reply queue.
      await setKnob(page, sim, 'serverCount', 2);
      await setKnob(page, sim, 'replyQueue', 'exclusive');
      await seek(page, sim, 30);
      assert(/amq\.gen-/.test(await diagramText(sim)), 'no amq.gen-… reply queue in the diagram');
      assert((await counter(sim, 'published')) === 8 && (await counter(sim, 'delivered')) === 8, 'the counters did not end at 8 and 8');

      // The example: apple and bread answered, cheese times out, its late reply is ignored.
      const lines = await runExample(page, '11-prices', 'reply q2 ignored');
      const text = lines.join('\n');
      for (const line of ['apple: 0.40', 'bread: 2.30', 'cheese: no reply to q2 in 1000 ms', 'reply q2 ignored: no request is waiting for it']) {
        assert(lines.some((l) => l.endsWith(line)), `the example did not print "${line}": ${text}`);
      }
      // Try: milk instead of cheese: no timeout, nothing ignored.
      const again = await runExample(page, '11-prices', 'bread: 2.30', 'price-server.mjs "price-client.mjs apple milk bread"');
      assert(again.some((l) => l.endsWith('milk: 1.10')), `milk got no answer: ${again.join('\n')}`);
      assert(!again.some((l) => /no reply|ignored/.test(l)), `with milk a request timed out or a reply was ignored: ${again.join('\n')}`);
      await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 10_000 });
      assertCleanPage(opened, 'lesson 11');
    },
  },
  {
    name: 'lesson 11: the exercise fails with the starter code (parcels printed with other requests\' answers) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L11);
      await starterFailsSolutionPasses(opened, /3 of 4 parcels were printed with the answer to another request: parcel 1 to JP got 6\.00/,
        'lesson-11-exercise-passed-1280', ctx.shotsDir);
      assertCleanPage(opened, 'lesson 11 exercise');
    },
  },
  {
    name: 'lesson 11: keyboard only: a knob slider moves with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      await keyboardOnly(ctx, L11, 'serverCount');
    },
  },
  {
    name: 'lesson 11 at 360 and 1280 px, light and dark: axe clean while playing, no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      await lookAtEveryWidth(ctx, L11, 'lesson-11', 1.85);
    },
  },
];
