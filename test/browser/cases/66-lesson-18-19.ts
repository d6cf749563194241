/**
 * Lesson 18 (consumer groups and committed offsets): the page loads cleanly and loads no RabbitMQ code, its
 * simulation plays and shows what the Try callouts promise (one owner per partition, a fifth member idle, a member
 * joining and one crashing at 9 s, a slow record getting its member evicted and its commit rejected, a commit
 * before the work losing a task to a crash, two groups each handling all 40), the member.mjs example prints the
 * rebalances the text talks about, the exercise fails with the starter (the right feedback) and passes with the
 * solution, keyboard only; axe clean while playing, and screenshots at 360 and 1280 px in light and dark without
 * overflow or overlapping controls.
 * Lesson 19 (consumer lag) the same way: the lag chart and the rate chart draw, members 5 and 6 are idle with four
 * partitions, one member alone is 655 behind at 100 s, one partition leaves every member but one idle, four
 * members from the start are caught up at 66 s; exercise 19 fails (still behind at 25 s) and passes.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, assertNoOverlappingControls, screenshot } from '../assert.ts';
import type { BrowserCase, OpenedPage } from '../context.ts';
import { assertNoSeriousAxeViolations, knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L18 = 'lessons/18-kafka-consumer-groups/';
const L19 = 'lessons/19-kafka-lag/';
const TAB_STOPS_MAX = 400;

async function counter(sim: Locator, name: string): Promise<number> {
  return Number(await sim.locator(`[data-counter="${name}"]`).first().textContent());
}

/** Scrolls the diagram into view and waits until the island is ready and playing. */
async function simPlaying(page: Page): Promise<Locator> {
  const sim = page.locator('[data-mq-sim]').first();
  await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 15_000 });
  return sim;
}

/** Sets a knob as a learner would (a radio button checked, a slider moved: input + change) and waits for the re-run. */
async function setKnob(page: Page, sim: Locator, name: string, value: number | string): Promise<void> {
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

/** Applies fault `id` (to `target`, when it has a picker) at the player's current time, and waits for the re-run. */
async function fault(page: Page, sim: Locator, id: string, target?: string): Promise<void> {
  if (target !== undefined) await sim.locator(`[data-fault="${id}"] [data-fault-target]`).selectOption(target);
  const before = await knobsRuns(page);
  await sim.locator(`[data-fault-id="${id}"]`).click();
  await waitKnobsRun(page, before);
}

async function clearFaults(page: Page, sim: Locator): Promise<void> {
  const before = await knobsRuns(page);
  await sim.locator('[data-action="clear-faults"]').click();
  await waitKnobsRun(page, before);
}

/** The text alternative of the diagram's node whose spoken text starts with `prefix` ("consumer member 1", …). */
async function spoken(sim: Locator, prefix: string): Promise<string> {
  const labels = await sim.locator('svg.sim-svg [role="img"]').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  const found = labels.find((l) => l.startsWith(prefix));
  assert(found !== undefined, `no node of the diagram says "${prefix}…": ${labels.join(' | ')}`);
  return found;
}

/** Runs a code runner's program and returns its console lines once `done` appears in it. */
async function runExample(page: Page, runnerId: string, done: string): Promise<string> {
  const runner = `[data-code-runner][data-runner-id="${runnerId}"]`;
  await page.locator(runner).scrollIntoViewIfNeeded();
  await page.locator(`${runner} [data-action="run"]`).click();
  await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
    [`${runner} [data-console]`, done] as const, { timeout: 45_000 }).catch(async () => {
    throw new Error(`the console never said "${done}": ${await page.locator(`${runner} [data-console]`).textContent()}`);
  });
  const lines = await page.locator(`${runner} [data-console]`).evaluate((el) => [...el.children].map((line) => line.textContent ?? ''));
  return lines.join('\n');
}

/** Fails if anything sticks out of the viewport (see 65-lesson-16-17.ts). */
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

/** Checks the page's exercise with the starter (must fail with `failPattern`), then with the solution (must pass). */
async function starterFailsSolutionPasses(opened: OpenedPage, failPattern: RegExp, shot: string, shotsDir: string): Promise<void> {
  const { page } = opened;
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 20_000 });
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 45_000 });
  assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
  const failText = ((await ex.locator('[data-result]').textContent()) ?? '').replace(/`/g, '');
  assert(failPattern.test(failText), `the starter's feedback does not say ${failPattern}: ${failText}`);
  await ex.locator('[data-action="hint"]').click();
  assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 45_000 })
    .catch(async () => {
      throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
    });
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, shotsDir, shot);
}

/** Fails if the page fetched RabbitMQ code (the AMQP model's error names, its run queries). */
async function assertNoRabbitMqCode(opened: OpenedPage, what: string): Promise<void> {
  const scripts = [...new Set(opened.requests.filter((url) => /\.js(\?|$)/.test(url)))];
  const amqp = await opened.page.evaluate(async (urls) => {
    const found: string[] = [];
    for (const url of urls) {
      const text = await (await fetch(url)).text();
      if (/PRECONDITION_FAILED|settledSentAtMs/.test(text)) found.push(url);
    }
    return found;
  }, scripts);
  assert(scripts.length > 0 && amqp.length === 0, `${what} loaded RabbitMQ code: ${amqp.join(', ')}`);
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson 18: the page loads, members own partitions, a fifth is idle, join / crash / slow record / commit before the work / two groups do what the Try callouts say, and the example prints the rebalances',
    async run(ctx) {
      const opened = await ctx.openPage(L18);
      const { page } = opened;
      const sim = await simPlaying(page);
      await page.waitForTimeout(700);
      assert((await sim.locator('[data-chart] [data-chart-plot] path').count()) > 0, 'the lag chart drew no line');
      assert((await sim.locator('svg.sim-svg .log-lane').count()) === 4, 'the topic is not drawn with four lanes');

      // Try 1: at 20 s one owner per partition, all 40 handled once, one rebalance.
      await seek(page, sim, 20);
      assert(/owns p0, p2 · lag 0$/.test(await spoken(sim, 'consumer member 1')), `member 1: ${await spoken(sim, 'consumer member 1')}`);
      assert(/owns p1, p3 · lag 0$/.test(await spoken(sim, 'consumer member 2')), `member 2: ${await spoken(sim, 'consumer member 2')}`);
      assert((await counter(sim, 'consumed')) === 40 && (await counter(sim, 'rebalances')) === 1,
        `at 20 s Handled ${await counter(sim, 'consumed')}, Rebalances ${await counter(sim, 'rebalances')}`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-18-stage-default-1280.png') });

      // Try 2: five members, member 5 idle.
      await setKnob(page, sim, 'members', 5);
      await seek(page, sim, 15);
      assert((await spoken(sim, 'consumer member 5')).endsWith('idle: no partition'), `member 5 is not idle: ${await spoken(sim, 'consumer member 5')}`);
      await setKnob(page, sim, 'members', 2);

      // Try 3: Join now at 9 s.
      await seek(page, sim, 9);
      await fault(page, sim, 'add-member');
      await seek(page, sim, 11);
      assert(/owns p0, p3 · lag \d+$/.test(await spoken(sim, 'consumer member 1')), `after a join member 1: ${await spoken(sim, 'consumer member 1')}`);
      assert(/owns p2 · lag \d+$/.test(await spoken(sim, 'consumer member 3')), `after a join member 3: ${await spoken(sim, 'consumer member 3')}`);
      await clearFaults(page, sim);

      // Try 5: member 2 crashes at 9 s; removed at 18.5 s, member 1 owns all four by 21.3 s; one task handled again.
      await seek(page, sim, 9);
      await fault(page, sim, 'crash-member', '2');
      await seek(page, sim, 21.3);
      assert(/owns p0, p1, p2, p3/.test(await spoken(sim, 'consumer member 1')), `after the crash member 1: ${await spoken(sim, 'consumer member 1')}`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-18-stage-crash-1280.png') });
      await seek(page, sim, 60);
      assert((await counter(sim, 'duplicates')) === 1, `after the crash Handled again is ${await counter(sim, 'duplicates')}, not 1`);

      // Try 7: commit before the work + the same crash: 39 of 40.
      await setKnob(page, sim, 'commit', 'before');
      await seek(page, sim, 60);
      assert((await counter(sim, 'consumed')) === 39 && (await counter(sim, 'duplicates')) === 0,
        `commit before + crash: Handled ${await counter(sim, 'consumed')}, again ${await counter(sim, 'duplicates')}`);
      await setKnob(page, sim, 'commit', 'after');
      await seek(page, sim, 60);
      assert((await counter(sim, 'consumed')) === 40, `commit after + crash: Handled ${await counter(sim, 'consumed')}`);
      await clearFaults(page, sim);

      // Try 6: a 30 s slow record (commit after): evicted, the commit rejected, handled again, 3 rebalances.
      await setKnob(page, sim, 'slowHandlerMs', 30_000);
      await seek(page, sim, 25);
      assert((await spoken(sim, 'consumer member 1')).endsWith('evicted'), `member 1 is not evicted at 25 s: ${await spoken(sim, 'consumer member 1')}`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-18-stage-evicted-1280.png') });
      await seek(page, sim, 60);
      assert((await counter(sim, 'rejectedCommits')) === 1 && (await counter(sim, 'duplicates')) === 1 && (await counter(sim, 'rebalances')) === 3,
        `slow record: rejected ${await counter(sim, 'rejectedCommits')}, again ${await counter(sim, 'duplicates')}, rebalances ${await counter(sim, 'rebalances')}`);
      await setKnob(page, sim, 'slowHandlerMs', 0);
      await setKnob(page, sim, 'commit', 'auto');

      // Try 8: two groups, 80 handled.
      await setKnob(page, sim, 'groups', 2);
      await seek(page, sim, 30);
      assert((await counter(sim, 'consumed')) === 80, `two groups: Handled ${await counter(sim, 'consumed')}, not 80`);

      const text = await runExample(page, '18-members', 'cy did job 7');
      for (const line of ['ana owns partitions 0, 1', 'ben owns partitions 1', 'cy owns no partition (idle)', 'ben left the group',
        'cy owns partitions 1', 'cy did job 5 (p1)']) {
        assert(text.includes(line), `the example's console has no "${line}": ${text}`);
      }
      assertCleanPage(opened, 'lesson 18');
    },
  },
  {
    name: 'lesson 18: the exercise fails with the starter code (a photo committed before it was resized) and passes with the solution; no RabbitMQ code',
    async run(ctx) {
      const opened = await ctx.openPage(L18);
      await starterFailsSolutionPasses(opened, /photo-4\.jpg \(photos p0, offset 3\) never got a thumbnail\. The group had committed offset 4/,
        'lesson-18-exercise-passed-1280', ctx.shotsDir);
      await assertNoRabbitMqCode(opened, 'lesson 18');
      assertCleanPage(opened, 'lesson 18 exercise');
    },
  },
  {
    name: 'lessons 18 and 19: keyboard only: a knob slider moves with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      for (const path of [L18, L19]) await keyboardOnly(ctx, path);
    },
  },
  {
    name: 'lesson 18 at 360 and 1280 px, light and dark: axe clean while playing, no overflow, no overlapping controls (screenshots)',
    run: (ctx) => lookAtEveryWidth(ctx, L18, 'lesson-18', 12),
  },
  {
    name: 'lesson 19 at 360 and 1280 px, light and dark: axe clean while playing, no overflow, no overlapping controls (screenshots)',
    run: (ctx) => lookAtEveryWidth(ctx, L19, 'lesson-19', 40),
  },
  {
    name: 'lesson 19: the page loads, both charts draw, members beyond the partition count idle, one member or one partition stays behind, four members keep up, as the Try callouts say',
    async run(ctx) {
      const opened = await ctx.openPage(L19);
      const { page } = opened;
      const sim = await simPlaying(page);
      await page.waitForTimeout(700);
      assert((await sim.locator('[data-chart] [data-chart-plot] path').count()) >= 3, 'the lag and rate charts drew no lines');
      await seek(page, sim, 100);
      for (const m of [5, 6]) {
        assert((await spoken(sim, `consumer member ${m}`)).endsWith('idle: no partition'), `member ${m} is not idle: ${await spoken(sim, `consumer member ${m}`)}`);
      }
      assert((await counter(sim, 'consumed')) === 1200, `at 100 s Handled is ${await counter(sim, 'consumed')}, not 1200`);
      await seek(page, sim, 60);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-19-stage-peak-1280.png') });

      await setKnob(page, sim, 'maxMembers', 1);
      await seek(page, sim, 100);
      assert(/owns p0, p1, p2, p3 · lag 655$/.test(await spoken(sim, 'consumer member 1')), `one member at 100 s: ${await spoken(sim, 'consumer member 1')}`);
      await seek(page, sim, 150);
      assert((await counter(sim, 'consumed')) === 885, `one member: Handled ${await counter(sim, 'consumed')}, not 885`);

      await setKnob(page, sim, 'maxMembers', 6);
      await setKnob(page, sim, 'partitions', 1);
      await seek(page, sim, 150);
      assert((await counter(sim, 'consumed')) === 840, `one partition: Handled ${await counter(sim, 'consumed')}, not 840`);
      assert((await spoken(sim, 'consumer member 2')).endsWith('idle: no partition'), `one partition, member 2: ${await spoken(sim, 'consumer member 2')}`);

      await setKnob(page, sim, 'partitions', 4);
      await setKnob(page, sim, 'initialMembers', 4);
      await setKnob(page, sim, 'maxMembers', 4);
      await seek(page, sim, 66);
      for (const m of [1, 2, 3, 4]) {
        assert(/ · lag 0$/.test(await spoken(sim, `consumer member ${m}`)), `four members at 66 s, member ${m}: ${await spoken(sim, `consumer member ${m}`)}`);
      }
      assertCleanPage(opened, 'lesson 19');
    },
  },
  {
    name: 'lesson 19: the exercise fails with the starter code (still behind at 25 s) and passes with the solution; no RabbitMQ code',
    async run(ctx) {
      const opened = await ctx.openPage(L19);
      await starterFailsSolutionPasses(opened, /At 25\.00 s the group analytics was still \d+ clicks behind/, 'lesson-19-exercise-passed-1280', ctx.shotsDir);
      await assertNoRabbitMqCode(opened, 'lesson 19');
      assertCleanPage(opened, 'lesson 19 exercise');
    },
  },
];

/** Keyboard only on `path`: Partitions moves with ArrowRight, and the exercise is solved with Tab and Enter. */
async function keyboardOnly(ctx: Parameters<BrowserCase['run']>[0], path: string): Promise<void> {
      const opened = await ctx.openPage(path);
      const { page } = opened;
      const sim = await simPlaying(page);
      const slider = sim.locator('input[name="partitions"]');
      const before = Number(await slider.inputValue());
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(300);
      assert(Number(await slider.inputValue()) === before + 1, `${path}: ArrowRight on Partitions did not move it`);
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
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 45_000 });
      assertCleanPage(opened, `${path} keyboard only`);
      await opened.context.close();
}

/** `path` at 360 and 1280 px, light and dark: axe while playing, no overflow or overlapping controls, screenshots. */
async function lookAtEveryWidth(ctx: Parameters<BrowserCase['run']>[0], path: string, name: string, seconds: number): Promise<void> {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(path, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await page.waitForTimeout(1500);
          await assertNoSeriousAxeViolations(page, `${name} ${width}px ${colorScheme}, the simulation playing`);
          await seek(page, sim, seconds);
          await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, `${name}-stage-${width}-${colorScheme}.png`) });
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `${name} ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `${name} ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `${name}-${width}-${colorScheme}`);
          assertCleanPage(opened, `${name} ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
}
