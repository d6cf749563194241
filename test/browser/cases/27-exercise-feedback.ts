/**
 * Exercise feedback in the page (issue 11): a pass with the revealed solution is recorded and shown as such (the
 * result, the "passed" badge, the stored progress, the course map), and a program that closes its connection too
 * early is told what its IllegalOperationError means.
 */
import { readFileSync } from 'node:fs';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { checkExercise, checkWithSolution } from '../exercise.ts';

const LESSON = 'lessons/01-work-queue/';
const SLUG = '01-work-queue';

export const cases: BrowserCase[] = [
  {
    name: 'exercise feedback: passing with the revealed solution is recorded and shown as "passed with the solution shown"',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const ex = page.locator('[data-exercise]');
      await ex.scrollIntoViewIfNeeded();
      await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
      const { passed, text: result } = await checkWithSolution(page);
      assert(passed, `the solution did not pass: ${result}`);
      assert(/^Passed with the solution shown\./.test(result), `result reads: ${result}`);
      const badge = ((await ex.locator('[data-passed-before]').innerText()) ?? '').replace(/\s+/g, ' ');
      assert(/passed with the solution shown/i.test(badge), `badge reads: ${badge}`);
      const stored = await page.evaluate(() => localStorage.getItem('mqlab:progress:v1'));
      const entry = (JSON.parse(stored ?? '{}') as { lessons?: Record<string, Record<string, boolean>> }).lessons?.[SLUG];
      assert(entry?.exercisePassed === true && entry.passedWithSolution === true, `stored progress: ${stored}`);
      await screenshot(opened, ctx.shotsDir, 'exercise-passed-with-solution-1280');

      await page.goto(ctx.siteUrl);
      const status = page.locator(`.lesson-card[data-lesson-id="${SLUG}"] .lesson-status`);
      await page.waitForFunction((id) => document.querySelector(`.lesson-card[data-lesson-id="${id}"] .lesson-status`)?.getAttribute('data-status') === 'done', SLUG, { timeout: 5_000 });
      assert((await status.textContent()) === 'Passed with the solution shown', `course map status: ${await status.textContent()}`);
      const summary = (await page.locator('[data-course-summary]').textContent()) ?? '';
      assert(/with the solution shown/.test(summary), `course summary: ${summary}`);
      assertCleanPage(opened, 'exercise passed with the solution');
    },
  },
  {
    name: 'exercise feedback: a program that closes its connection too early is told what "IllegalOperationError: Channel closed" means',
    async run(ctx) {
      const solution = readFileSync('content/exercises/01-work-queue/solution.mjs', 'utf8');
      const early = solution.replace('await sleep(4000);', 'await sleep(100);');
      assert(early !== solution, 'the solution no longer waits 4 s before closing: update this case');
      // The page's own frame only: the runner's sandboxed frame has no storage.
      const seed = `if (window.top === window) localStorage.setItem('mqlab:code:v1:exercise-${SLUG}', ${JSON.stringify(JSON.stringify({ code: early, savedAt: 1 }))});`;
      const opened = await ctx.openPage(LESSON, { initScript: seed });
      const { page } = opened;
      await page.locator('[data-exercise]').scrollIntoViewIfNeeded();
      await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
      const { text: result } = await checkExercise(page);
      assert(/IllegalOperationError: Channel closed \(line \d+\)/.test(result), `result reads: ${result}`);
      assert(/used a channel that was already closed/.test(result) && /close\(\) that runs too early/.test(result),
        `the result does not explain the error: ${result}`);
      assertCleanPage(opened, 'exercise with an early close');
    },
  },
];
