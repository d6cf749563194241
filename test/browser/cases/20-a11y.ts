/**
 * Accessibility bars (issue 3): axe-core on every page in light and dark, and on the lesson in its interactive
 * states; every Tab stop has a visible focus; the exercise can be done with the keyboard alone; reduced motion
 * stops autoplay and CSS motion; the live region narrates the simulation at most about once a second.
 */
import { assert, assertCleanPage } from '../assert.ts';
import { tabIntoExercise } from '../exercise.ts';
import type { BrowserCase, CaseContext } from '../context.ts';
import {
  assertNoSeriousAxeViolations, focusKey, inspectFocus, LESSON, pressTab, simClockSeconds, skippedControls, waitSimReady,
} from './20-a11y-support.ts';

/** Every built page (two of the look-alike "coming soon" pages) plus the 404 page (served for an unknown path). */
function allPages(ctx: CaseContext): string[] {
  return [...ctx.distinctPages(), 'no-such-page-for-a11y/'];
}

/** Most Tab presses one walk may take before it is considered stuck (the lesson has < 100 stops). */
const TAB_STOPS_MAX = 250;

async function axeEveryPage(ctx: CaseContext, colorScheme: 'light' | 'dark'): Promise<void> {
  const failures: string[] = [];
  for (const path of allPages(ctx)) {
    const opened = await ctx.openPage(path, { colorScheme });
    await opened.page.waitForTimeout(300);
    try {
      await assertNoSeriousAxeViolations(opened.page, `/${path} (${colorScheme})`);
    } catch (err) {
      failures.push((err as Error).message);
    }
    await opened.context.close();
  }
  assert(failures.length === 0, failures.join('\n\n'));
}

export const cases: BrowserCase[] = [
  {
    name: 'a11y: axe finds no serious or critical violation on any page in the light colour scheme',
    run: (ctx) => axeEveryPage(ctx, 'light'),
  },
  {
    name: 'a11y: axe finds no serious or critical violation on any page in the dark colour scheme',
    run: (ctx) => axeEveryPage(ctx, 'dark'),
  },
  {
    name: 'a11y: the lesson passes axe while the simulation plays, with Monaco loaded, after a run and with an exercise result',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const opened = await ctx.openPage(LESSON, { colorScheme });
        const { page } = opened;
        await waitSimReady(page);
        await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 10_000 });
        await page.waitForTimeout(800);
        await assertNoSeriousAxeViolations(page, `lesson, simulation playing (${colorScheme})`);

        const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
        await page.locator(`${runner} [data-code-pre]`).click();
        await page.locator(`${runner} .monaco-editor`).waitFor({ timeout: 20_000 });
        await page.waitForTimeout(500);
        await assertNoSeriousAxeViolations(page, `lesson, Monaco loaded and focused (${colorScheme})`);

        await page.locator(`${runner} [data-action="run"]`).click();
        await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').trim() !== '',
          `${runner} [data-run-status]`, { timeout: 15_000 });
        await page.waitForTimeout(500);
        await assertNoSeriousAxeViolations(page, `lesson, after a code run (console, source banner) (${colorScheme})`);

        const ex = page.locator('[data-exercise]');
        await ex.scrollIntoViewIfNeeded();
        await ex.locator('[data-action="hint"]').click();
        await ex.locator('[data-action="check"]').click();
        await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 15_000 });
        await ex.locator('[data-action="solution"]').click();
        await assertNoSeriousAxeViolations(page, `lesson, exercise failed + hint + solution confirmation (${colorScheme})`);
        await ex.locator('[data-action="solution-confirm"]').click();
        await ex.locator('[data-action="solution-use"]').click();
        await ex.locator('[data-action="check"]').click();
        await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 15_000 });
        await assertNoSeriousAxeViolations(page, `lesson, exercise passed, solution shown (${colorScheme})`);
        assertCleanPage(opened, `lesson (${colorScheme})`);
        await opened.context.close();
      }
    },
  },
  {
    name: 'a11y: every Tab stop on every page shows a visible focus indicator, and Tab skips no visible control',
    async run(ctx) {
      const problems: string[] = [];
      for (const path of allPages(ctx)) {
        const opened = await ctx.openPage(path);
        const { page } = opened;
        const seen = new Set<string>();
        const labels: string[] = [];
        let first = '';
        let cycled = false;
        for (let i = 0; i < TAB_STOPS_MAX && !cycled; i++) {
          await pressTab(page);
          for (const m of await skippedControls(page)) problems.push(`/${path}: Tab skipped a visible control: ${m}`);
          const key = await focusKey(page);
          if (key === 'body') continue;
          if (key === first) cycled = true;
          if (first === '') first = key;
          if (cycled || seen.has(key)) continue;
          const stop = await inspectFocus(page);
          if (!stop) continue;
          if (stop.problem) problems.push(`/${path}: ${stop.label}: ${stop.problem}`);
          labels.push(stop.label);
          seen.add(key);
        }
        if (!cycled) problems.push(`/${path}: Tab never came back to the first stop after ${TAB_STOPS_MAX} presses`);
        assert(labels.length > 0, `/${path}: Tab reached nothing`);
        await opened.context.close();
      }
      assert(problems.length === 0, `keyboard focus problems:\n${problems.join('\n')}`);
    },
  },
  {
    name: 'a11y: the simulation is operated from the keyboard: play/pause, step, speed, a knob slider, crash',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      await waitSimReady(page);
      const sim = page.locator('[data-mq-sim]').first();
      const state = () => sim.getAttribute('data-state');
      await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 10_000 });
      await sim.locator('[data-action="toggle"]').focus();
      await page.keyboard.press('Space');
      await page.waitForTimeout(100);
      assert((await state()) === 'paused', `Space on Pause left the player ${await state()}`);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
      assert((await state()) === 'playing', `Enter on Play left the player ${await state()}`);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(100);
      const paused = await simClockSeconds(page);
      await sim.locator('[data-action="step"]').focus();
      for (let i = 0; i < 10 && (await simClockSeconds(page)) === paused; i++) {
        await page.keyboard.press('Enter');
        await page.waitForTimeout(120);
      }
      assert((await simClockSeconds(page)) > paused, 'Enter on Step does not advance the clock');
      const speed = sim.locator('select[data-speed]');
      const before = await speed.inputValue();
      await speed.focus();
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(100);
      assert((await speed.inputValue()) !== before, 'ArrowDown on the speed picker does not change the speed');
      const slider = sim.locator('input[name="consumerCount"]');
      const workersBefore = await slider.inputValue();
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(400);
      assert(Number(await slider.inputValue()) === Number(workersBefore) + 1, 'ArrowRight on the Workers slider does not change it');
      assert(/3 workers/.test((await sim.locator('output[data-for="consumerCount"]').textContent()) ?? ''), 'the Workers output does not follow the slider');
      assert((await sim.locator('svg [data-node^="consumer:"]').count()) === Number(workersBefore) + 1, 'the diagram did not re-run with one more worker');
      await sim.locator('[data-action="toggle"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => Number(document.querySelector('[data-mq-sim] [data-counter="delivered"]')?.textContent) >= 1, null, { timeout: 15_000 });
      await sim.locator('[data-action="crash"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(200);
      assert(/Faults in this run \(kept when you change a knob\): worker 1 crashed at/.test((await sim.locator('[data-crash-list]').textContent()) ?? ''), 'Enter on "Crash now" did not crash worker 1');
      assertCleanPage(opened, 'keyboard simulation');
    },
  },
  {
    name: 'a11y: the exercise can be completed with the keyboard alone (Tab, Enter)',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
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
      // The confirmation takes the focus; Enter confirms.
      assert(await isAction('solution-confirm'), 'the solution confirmation did not take the focus');
      await page.keyboard.press('Enter');
      assert(await page.locator('[data-exercise] [data-solution]').isVisible(), 'Enter on "Yes, show the solution" did not show it');
      await tabTo('solution-use');
      await page.keyboard.press('Enter');
      await tabTo('check', true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 15_000 });
      const focusedAfter = await page.evaluate(() => document.activeElement?.tagName ?? 'none');
      assert(focusedAfter !== 'BODY', 'the focus was lost (went to <body>) after checking');
      assertCleanPage(opened, 'keyboard-only exercise');
    },
  },
  {
    name: 'a11y: with reduced motion the simulation does not autoplay and no CSS animation or transition runs',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON, { reducedMotion: 'reduce' });
      const { page } = opened;
      await waitSimReady(page);
      await page.waitForTimeout(1500);
      const state = await page.locator('[data-mq-sim]').first().getAttribute('data-state');
      assert(state === 'paused', `the simulation is "${state}" on load with reduced motion (expected paused)`);
      assert((await simClockSeconds(page)) === 0, 'the clock moved without the reader pressing Play');
      const running = () => page.evaluate(() => document.getAnimations()
        .filter((a) => a.playState === 'running')
        .map((a) => `${a.constructor.name} ${(a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty ?? ''} on ${
          (a.effect as KeyframeEffect | null)?.target?.outerHTML.slice(0, 80) ?? '?'}`));
      const stylesWithMotion = () => page.evaluate(() => [...document.querySelectorAll('*')].flatMap((el) => {
        const s = getComputedStyle(el);
        const anim = s.animationName !== 'none' && parseFloat(s.animationDuration) > 0;
        const trans = s.transitionProperty !== 'none' && s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
        return anim || trans ? [`${el.tagName.toLowerCase()}.${el.className}: animation ${s.animationName} ${s.animationDuration}, transition ${s.transitionProperty} ${s.transitionDuration}`] : [];
      }));
      // Interact: hover and focus buttons, press Play, load the editor, show a hint.
      const sim = page.locator('[data-mq-sim]').first();
      await sim.locator('[data-action="toggle"]').hover();
      await sim.locator('[data-action="toggle"]').click();
      await page.waitForTimeout(400);
      assert((await simClockSeconds(page)) > 0, 'Play does not start the simulation with reduced motion');
      const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
      await page.locator(`${runner} [data-code-pre]`).click();
      await page.locator(`${runner} .monaco-editor`).waitFor({ timeout: 20_000 });
      await page.locator('[data-exercise] [data-action="hint"]').click();
      await page.keyboard.press('Tab');
      const anims = await running();
      assert(anims.length === 0, `animations run with reduced motion:\n${anims.join('\n')}`);
      const styled = (await stylesWithMotion()).filter((s) => !s.includes('monaco'));
      assert(styled.length === 0, `elements declare motion with reduced motion:\n${styled.slice(0, 20).join('\n')}`);
      assertCleanPage(opened, 'lesson with reduced motion');
    },
  },
  {
    name: 'a11y: the live region narrates the playing simulation ("m3 delivered to worker 2") at most about once a second',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      await waitSimReady(page);
      await page.evaluate(() => {
        const live = document.querySelector('[data-mq-sim] [data-live]')!;
        const log: { atMs: number; text: string }[] = [];
        (globalThis as unknown as { liveLog: typeof log }).liveLog = log;
        new MutationObserver(() => log.push({ atMs: performance.now(), text: live.textContent ?? '' }))
          .observe(live, { childList: true, characterData: true, subtree: true });
      });
      const sim = page.locator('[data-mq-sim]').first();
      assert(await sim.locator('[data-live][aria-live="polite"]').count() === 1, 'no polite live region in the simulation');
      await sim.locator('[data-action="restart"]').click();
      await page.waitForTimeout(7000);
      const log = await page.evaluate(() => (globalThis as unknown as { liveLog: { atMs: number; text: string }[] }).liveLog);
      const texts = log.map((l) => l.text);
      assert(log.length >= 3, `the live region changed ${log.length} times in 7 s of playing: ${JSON.stringify(texts)}`);
      assert(texts.some((t) => /^m\d+ (re)?delivered to worker \d+$|^m\d+ acknowledged by worker \d+$|^m\d+ published by producer$/.test(t)),
        `no plain sentence about a message in: ${JSON.stringify(texts)}`);
      const gaps = log.slice(1).map((l, i) => l.atMs - log[i].atMs);
      assert(gaps.every((g) => g >= 900), `the live region changed faster than once a second (gaps ${gaps.map(Math.round).join(', ')} ms)`);
      assert(log.length <= 8, `the live region changed ${log.length} times in 7 s`);
      assertCleanPage(opened, 'live region');
    },
  },
];
