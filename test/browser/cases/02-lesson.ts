import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { checkWithSolution } from '../exercise.ts';

const LESSON = 'lessons/01-work-queue/';
/** Chunks that belong to the code editor: they must load only on demand. */
const EDITOR_CHUNK = /monaco-editor\.|editor\.worker|ts\.worker|tsMode|\/typescript\.[\w-]+\.js/;

/** Simulated time shown by the player, in seconds (`t = 12.40 s`). */
async function clockSeconds(page: Page, sim = '[data-mq-sim]'): Promise<number> {
  const text = (await page.locator(`${sim} [data-clock]`).first().textContent()) ?? '';
  const m = /([\d.]+)\s*s/.exec(text);
  assert(m, `clock text "${text}" has no seconds`);
  return Number(m[1]);
}

async function counter(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-mq-sim] [data-counter="${name}"]`).first().textContent());
}

/** Replaces a runner's code through its editor, as a learner would (click, select all, type). */
async function typeCode(page: Page, runner: string, code: string): Promise<void> {
  await page.locator(`${runner} [data-code-pre]`).click();
  await page.locator(`${runner} .monaco-editor`).waitFor({ timeout: 20_000 });
  // Monaco 0.5x takes input through EditContext where supported: click into the text, not a hidden textarea.
  await page.locator(`${runner} .monaco-editor .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** The module scripts an HTML file loads before any interaction, following static imports only. */
function initialChunks(distDir: string, htmlFile: string): string[] {
  const html = readFileSync(join(distDir, htmlFile), 'utf8');
  const pending = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const src = pending.pop()!;
    const file = src.replace(/^.*\/_assets\//, '_assets/');
    if (seen.has(file)) continue;
    seen.add(file);
    const js = readFileSync(join(distDir, file), 'utf8');
    // Static imports only: `import{a}from"./x.js"` and `import"./x.js"`, not `import("./x.js")`.
    for (const m of js.matchAll(/import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      pending.push(`/_assets/${m[1]}`);
    }
  }
  return [...seen];
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson: Monaco is not part of the initial JavaScript and is not requested before interaction',
    async run(ctx) {
      const chunks = initialChunks(resolve(process.env.MQLAB_TEST_OUT ?? 'dist-test'), `${LESSON}index.html`);
      assert(chunks.length > 0, 'the lesson page loads no module script');
      const editorChunks = chunks.filter((c) => EDITOR_CHUNK.test(c));
      assert(editorChunks.length === 0, `editor code in the initial JS: ${editorChunks.join(', ')}`);
      const opened = await ctx.openPage(LESSON);
      await opened.page.waitForTimeout(1500);
      const early = opened.requests.filter((u) => EDITOR_CHUNK.test(u));
      assert(early.length === 0, `editor chunks requested before interaction: ${early.join(', ')}`);
      assertCleanPage(opened, 'lesson page');
    },
  },
  {
    name: 'lesson: the simulation autoplays; pause, step, speed, restart and crash work',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const sim = page.locator('[data-mq-sim]').first();
      // The diagram in view (the section is taller than the window: scrolling to its middle would pin the player).
      await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-mq-sim] [data-clock]')?.textContent ?? ''), null, { timeout: 10_000 });
      const t1 = await clockSeconds(page);
      await page.waitForTimeout(700);
      const t2 = await clockSeconds(page);
      assert(t2 > t1, `clock did not move while playing (${t1} → ${t2})`);
      assert((await counter(page, 'published')) > 0, 'no message published while playing');
      await screenshot(opened, ctx.shotsDir, 'lesson-playing-1280');

      await sim.locator('[data-action="toggle"]').click();
      await page.waitForTimeout(150);
      const paused = await clockSeconds(page);
      await page.waitForTimeout(500);
      assert((await clockSeconds(page)) === paused, 'clock moved while paused');

      // Events can be a few ms apart and the clock shows hundredths: step until it visibly moves.
      let stepped = paused;
      for (let i = 0; i < 10 && stepped === paused; i++) {
        await sim.locator('[data-action="step"]').click();
        await page.waitForTimeout(150); // the clock is redrawn on the next animation frame
        stepped = await clockSeconds(page);
        assert(stepped >= paused, `step moved the clock backwards (${paused} → ${stepped})`);
      }
      assert(stepped > paused, `ten steps did not advance the clock (${paused} → ${stepped})`);
      await page.waitForTimeout(300);
      assert((await clockSeconds(page)) === stepped, 'clock moved after a step while paused');

      await sim.locator('[data-speed]').selectOption({ index: 0 });
      const slowSpeed = await sim.locator('[data-speed]').inputValue();
      await sim.locator('[data-action="toggle"]').click();
      const a = await clockSeconds(page);
      await page.waitForTimeout(800);
      const slowDelta = (await clockSeconds(page)) - a;
      const options = await sim.locator('[data-speed] option').count();
      await sim.locator('[data-speed]').selectOption({ index: options - 1 });
      const b = await clockSeconds(page);
      await page.waitForTimeout(800);
      const fastDelta = (await clockSeconds(page)) - b;
      assert(fastDelta > slowDelta * 4 || (await clockSeconds(page)) > 10,
        `speed ${slowSpeed} moved ${slowDelta}s, top speed moved ${fastDelta}s`);

      await sim.locator('[data-speed]').selectOption({ index: 0 });
      await sim.locator('[data-action="restart"]').click();
      await page.waitForTimeout(150);
      assert((await clockSeconds(page)) < 1, 'restart did not go back to t = 0');

      // Crash worker 1 while it holds a message: its unacked message is requeued and redelivered.
      await page.waitForFunction(() => Number(document.querySelector('[data-mq-sim] [data-counter="delivered"]')?.textContent) >= 1, null, { timeout: 20_000 });
      await sim.locator('select[name="crashWorker"]').selectOption({ index: 0 });
      await sim.locator('[data-action="crash"]').click();
      // The player is pinned now (the knobs are far below the diagram) and its pinned bar has no speed menu: the
      // keyboard shortcut speeds it up (the focus is on the crash button, inside the simulation).
      for (let i = 0; i < options; i++) await page.keyboard.press('+');
      await page.waitForFunction(() => Number(document.querySelector('[data-mq-sim] [data-counter="redelivered"]')?.textContent) >= 1, null, { timeout: 20_000 });
      const crashedText = await sim.locator('svg.sim-svg').textContent();
      assert(/crash/i.test(crashedText ?? ''), `no crashed worker shown in the diagram: ${crashedText}`);
      await screenshot(opened, ctx.shotsDir, 'lesson-after-crash-1280');
      assertCleanPage(opened, 'lesson page');
    },
  },
  {
    name: 'lesson: editing and running code updates the console and the animation',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
      await page.locator(runner).scrollIntoViewIfNeeded();
      await typeCode(page, runner, [
        "const amqp = require('amqplib');",
        "const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');",
        'const ch = await conn.createChannel();',
        "const { queue } = await ch.assertQueue('browser-test');",
        "for (const n of [1, 2, 3]) ch.sendToQueue(queue, Buffer.from('job ' + n));",
        'await ch.consume(queue, (msg) => { console.log("got", msg.content.toString()); ch.ack(msg); });',
        'setTimeout(() => conn.close(), 500);',
      ].join('\n'));
      await page.locator(`${runner} [data-action="run"]`).click();
      const consoleBox = page.locator(`${runner} [data-console]`);
      await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').includes('got job 3'),
        `${runner} [data-console]`, { timeout: 15_000 });
      const text = await consoleBox.textContent();
      assert(text?.includes('got job 1') && text.includes('got job 2'), `console shows: ${text}`);
      await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 5_000 });
      // The view plays a code run once it is on screen.
      await page.locator('[data-mq-sim]').first().scrollIntoViewIfNeeded();
      await page.waitForFunction(() => Number(document.querySelector('[data-mq-sim] [data-counter="acked"]')?.textContent) >= 1, null, { timeout: 15_000 });
      await screenshot(opened, ctx.shotsDir, 'lesson-code-run-1280');
      assertCleanPage(opened, 'lesson page after a run');
    },
  },
  {
    name: 'lesson: an infinite loop is stopped within 2 s and the page stays responsive',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
      await page.locator(runner).scrollIntoViewIfNeeded();
      await typeCode(page, runner, 'while (true) {}');
      const started = Date.now();
      await page.locator(`${runner} [data-action="run"]`).click();
      // The page answers while the loop runs in the worker.
      const ping = Date.now();
      await page.evaluate(() => 1 + 1);
      assert(Date.now() - ping < 500, 'the page did not answer while the program looped');
      await page.waitForFunction((sel) => /stopped/i.test(document.querySelector(sel)?.textContent ?? ''),
        `${runner} [data-run-status]`, { timeout: 5_000 });
      const elapsed = Date.now() - started;
      assert(elapsed < 3_000, `the loop was stopped after ${elapsed} ms`);
      const status = await page.locator(`${runner} [data-run-status]`).textContent();
      assert(/ran for more than 1\.5 seconds/.test(status ?? ''), `status does not explain the stop: ${status}`);
    },
  },
  {
    name: 'lesson: the exercise fails with the starter code and passes with the solution; progress shows on the home page',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const ex = page.locator('[data-exercise]');
      await ex.scrollIntoViewIfNeeded();
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') !== null, null, { timeout: 15_000 });
      assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
      const failText = await ex.locator('[data-result]').textContent();
      // It says what went wrong (which orders were never shipped) and points to the hints, without the fix.
      assert(/never shipped: #\d+/.test(failText ?? '') && /hint/i.test(failText ?? ''), `fail feedback does not explain: ${failText}`);
      assert(!/noAck|ack\(/.test(failText ?? ''), `fail feedback gives the fix away: ${failText}`);

      await ex.locator('[data-action="hint"]').click();
      assert(await ex.locator('[data-hint]').first().isVisible(), 'first hint not shown');
      const withSolution = await checkWithSolution(page);
      assert(withSolution.passed, `the solution did not pass: ${withSolution.text}`);
      await screenshot(opened, ctx.shotsDir, 'lesson-exercise-passed-1280');

      await page.goto(ctx.siteUrl);
      await page.waitForFunction(() => /passed/i.test(document.querySelector('main')?.textContent ?? ''), null, { timeout: 5_000 });
      assertCleanPage(opened, 'exercise run');
    },
  },
];
