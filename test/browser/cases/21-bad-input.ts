/**
 * Bad input (issue 3): corrupted localStorage under every `mqlab:*` key, storage that throws, malformed URL state,
 * absurd knob values and syntax errors in learner code. Each must give a clear message (where the reader caused
 * it) and never break a page: no uncaught errors, no console errors, the simulation keeps playing.
 */
import type { Page } from 'playwright-core';
import { assert, assertCleanPage } from '../assert.ts';
import { checkWithSolution, exerciseReady } from '../exercise.ts';
import type { BrowserCase, CaseContext, OpenedPage } from '../context.ts';
import { LESSON, simClockSeconds, waitSimReady } from './20-a11y-support.ts';

/** Values a corrupted, outdated or hostile store could hold under any `mqlab:*` key. */
const GARBAGE: string[] = [
  '{not json',
  'null',
  '[1,2,3]',
  '42',
  '"dark"',
  '{"lessons":[1,2],"code":7,"theme":{"x":1}}',
  '{"lessons":{"__proto__":{"exercisePassed":true},"01-work-queue":"yes"}}',
  '\uD800\u0000',
  'x'.repeat(200_000),
];

/** Storage keys the site is known to use; other `mqlab:*` keys are covered by the getItem override. */
const KNOWN_KEYS = [
  'mqlab:progress:v1', 'mqlab:code:v1:01-first-worker', 'mqlab:code:v1:exercise-01-work-queue', 'mqlab:theme',
  'mqlab:theme:v1', 'mqlab:sidebar', 'mqlab:glossary', 'mqlab:search',
];

/**
 * An init script that stores `garbage` under the known keys and makes `localStorage.getItem` return it for EVERY
 * key that starts with `mqlab:` (so keys added later are covered too), also for `localStorage[key]` reads.
 */
function garbageStorageScript(garbage: string): string {
  return `(() => {
    const garbage = ${JSON.stringify(garbage)};
    try { for (const k of ${JSON.stringify(KNOWN_KEYS)}) localStorage.setItem(k, garbage); } catch {}
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = function (key) {
      return String(key).startsWith('mqlab:') ? garbage : getItem.call(this, key);
    };
  })();`;
}

/** localStorage that throws on any access, like a browser that blocks storage for the site. */
const THROWING_STORAGE_SCRIPT = `(() => {
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
  });
})();`;

/** Query strings and hashes with junk: malformed percent-encoding, NaN, huge values, markup, selector syntax. */
const BAD_URL_SUFFIXES = [
  '?speed=NaN&seed=%E0%A4%A&prefetch=-1&consumerCount=1e9&knobs=%%%#%E0%A4%A',
  `#${'x'.repeat(100_000)}`,
  // Query strings go to the server (Node and most hosts cap a request head near 8-16 kB); hashes stay in the page.
  `?state=${'A'.repeat(4_000)}#simulation%`,
  '#%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
  '?q=%00%FF%FE&__proto__[polluted]=1&constructor[prototype][x]=1#:not(',
  '#exercise-01-work-queue]',
];

/** Fails unless the first simulation on the page plays: its clock advances (pressing Play first if paused). */
async function assertSimulationPlays(page: Page, what: string): Promise<void> {
  await waitSimReady(page);
  const sim = page.locator('[data-mq-sim]').first();
  if ((await sim.getAttribute('data-state')) !== 'playing') await sim.locator('[data-action="toggle"]').click();
  const t1 = await simClockSeconds(page);
  await page.waitForTimeout(600);
  const t2 = await simClockSeconds(page);
  assert(t2 > t1 || (await sim.getAttribute('data-state')) === 'ended', `${what}: the simulation does not play (clock ${t1} → ${t2})`);
}

/** Fails unless the page rendered its main content. */
async function assertPageRendered(opened: OpenedPage, what: string): Promise<void> {
  const text = (await opened.page.locator('main h1').first().textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
  assert(text.trim().length > 0, `${what}: the page shows no heading in <main>`);
}

/** Opens `pages` (default: every page) with `options` and checks each renders cleanly; a simulation must play. */
async function everyPageSurvives(ctx: CaseContext, what: string, initScript?: string, suffix = '',
  pages: string[] = ctx.distinctPages()): Promise<void> {
  const failures: string[] = [];
  for (const path of pages) {
    const opened = await ctx.openPage(path + suffix, initScript === undefined ? {} : { initScript });
    try {
      await opened.page.waitForTimeout(250);
      await assertPageRendered(opened, `/${path}`);
      if ((await opened.page.locator('[data-mq-sim]').count()) > 0) await assertSimulationPlays(opened.page, `/${path}`);
      assertCleanPage(opened, `/${path}${suffix.slice(0, 60)}`);
    } catch (err) {
      failures.push((err as Error).message);
    }
    await opened.context.close();
  }
  assert(failures.length === 0, `${what}:\n${failures.join('\n')}`);
}

/**
 * The pages that get bad input number `i` of `count`: every page gets one of the inputs (in turn), and the home
 * page and lesson 1 get all of them. All pages read storage and the URL through the same few modules, so each
 * input on every page would repeat the same checks (it took 8 minutes with 19 lessons) without finding more.
 */
function pagesForInput(ctx: CaseContext, i: number, count: number): string[] {
  const pages = ctx.distinctPages();
  return pages.filter((path, j) => j % count === i || j === 0 || path === LESSON);
}

/** Sets a knob the way a script or devtools would (any string, bypassing the slider's own clamping if `asText`). */
async function setKnob(page: Page, name: string, value: string, asText: boolean): Promise<void> {
  await page.evaluate(({ name, value, asText }) => {
    const input = document.querySelector<HTMLInputElement>(`[data-mq-sim] input[name="${name}"]`)!;
    if (asText) input.type = 'text';
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, { name, value, asText });
}

const KNOBS = ['producerRatePerSec', 'messageCount', 'consumerCount', 'prefetch', 'processingMs'];
const ABSURD = ['-5', 'NaN', '1e9', '', '1e400', 'abc', '0x1F', '-0'];

export const cases: BrowserCase[] = [
  {
    name: 'bad input: garbage under every mqlab:* localStorage key leaves every page working (each page with one kind of garbage, home and lesson 1 with all)',
    async run(ctx) {
      for (const [i, garbage] of GARBAGE.entries()) {
        await everyPageSurvives(ctx, `storage holding ${JSON.stringify(garbage.slice(0, 40))}`, garbageStorageScript(garbage),
          '', pagesForInput(ctx, i, GARBAGE.length));
      }
    },
  },
  {
    name: 'bad input: with corrupted storage the code runner shows the lesson code and the exercise still checks',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON, { initScript: garbageStorageScript('{"code":{"evil":true},"lessons":7') });
      const { page } = opened;
      const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
      const code = (await page.locator(`${runner} [data-code-text]`).textContent()) ?? '';
      assert(code.includes('amqplib'), `the runner does not show the lesson's code: ${code.slice(0, 80)}`);
      const ex = page.locator('[data-exercise]');
      await exerciseReady(page);
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 15_000 });
      assertCleanPage(opened, 'lesson with corrupted storage');
    },
  },
  {
    name: 'bad input: a stored edit holding markup is shown as text, never run as HTML',
    async run(ctx) {
      const hostile = '</code></pre><img src=x id=injected onerror="window.__pwned=1"><script>window.__pwned=2</script>';
      const opened = await ctx.openPage(LESSON, {
        initScript: `try { localStorage.setItem('mqlab:code:v1:01-first-worker', ${JSON.stringify(JSON.stringify({ code: hostile }))}); } catch {}`,
      });
      const { page } = opened;
      await page.waitForTimeout(500);
      assert(await page.locator('#injected').count() === 0, 'stored code was parsed as HTML');
      assert(!(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)), 'stored code ran as script');
      assertCleanPage(opened, 'hostile stored code');
    },
  },
  {
    name: 'bad input: a localStorage that throws on access leaves every page working',
    run: (ctx) => everyPageSurvives(ctx, 'storage that throws', THROWING_STORAGE_SCRIPT),
  },
  {
    name: 'bad input: junk query strings and hashes (malformed %-escapes, NaN, 100 kB hash, markup) leave every page working',
    async run(ctx) {
      for (const [i, suffix] of BAD_URL_SUFFIXES.entries()) {
        await everyPageSurvives(ctx, `URL suffix ${suffix.slice(0, 60)}`, undefined, suffix, pagesForInput(ctx, i, BAD_URL_SUFFIXES.length));
      }
    },
  },
  {
    name: 'bad input: absurd knob values (negative, NaN, 10^9, empty) set from a script are clamped or refused with a message; the simulation keeps playing',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      await assertSimulationPlays(page, 'before');
      const sim = page.locator('[data-mq-sim]').first();
      const error = sim.locator('[data-knobs-error]');
      // 1. On the sliders themselves: the browser clamps the value into the slider's range; the run goes on.
      for (const name of KNOBS) {
        for (const value of ABSURD) await setKnob(page, name, value, false);
      }
      await page.waitForTimeout(400);
      assert(await error.isHidden(), `a clamped slider value produced an error: ${await error.textContent()}`);
      await sim.locator('[data-action="reset-knobs"]').click();
      await assertSimulationPlays(page, 'after clamped values');
      // 2. Devtools turns a slider into a text field: every absurd value is refused with a message naming the knob.
      for (const name of KNOBS) {
        const label = (await sim.locator(`label[for$="-${name}"]`).textContent())?.trim() ?? name;
        for (const value of ABSURD) {
          if (value === '-0' && name !== 'producerRatePerSec' && name !== 'messageCount') continue; // 0 is valid there
          await setKnob(page, name, value, true);
          await page.waitForFunction(() => !document.querySelector('[data-mq-sim] [data-knobs-error]')?.hasAttribute('hidden'), null, { timeout: 3_000 })
            .catch(() => {});
          const message = (await error.textContent()) ?? '';
          assert(await error.isVisible(), `${name} = ${JSON.stringify(value)} was accepted silently`);
          assert(message.includes(label) && /must be (a|a whole) number from/.test(message),
            `${name} = ${JSON.stringify(value)}: unclear message "${message}"`);
          const ping = Date.now();
          await page.evaluate(() => 1);
          assert(Date.now() - ping < 500, `${name} = ${value}: the page stopped answering`);
        }
        await setKnob(page, name, '3', true);
        await page.waitForFunction(() => document.querySelector('[data-mq-sim] [data-knobs-error]')?.hasAttribute('hidden'), null, { timeout: 3_000 });
        await assertSimulationPlays(page, `after ${name} was fixed`);
      }
      // 3. Typed with the keyboard into the text field.
      await page.locator('[data-mq-sim] input[name="prefetch"]').fill('1000000000');
      await page.waitForFunction(() => !document.querySelector('[data-mq-sim] [data-knobs-error]')?.hasAttribute('hidden'), null, { timeout: 3_000 });
      await assertSimulationPlays(page, 'with a refused typed value');
      assert((await page.locator('[data-mq-sim] [data-knobs-error]').getAttribute('role')) === 'alert', 'the knob error is not announced (role=alert)');
      assertCleanPage(opened, 'absurd knobs');
    },
  },
  {
    name: 'bad input: a syntax error in learner code gives a clear message with its line; the page and simulation keep working',
    async run(ctx) {
      const broken = "const amqp = require('amqplib');\nconst conn = await amqp.connect('amqp://localhost');\nconst x = ;\n";
      const brokenExercise = 'export async function main( {\n';
      const opened = await ctx.openPage(LESSON, {
        initScript: `try {
          localStorage.setItem('mqlab:code:v1:01-first-worker', ${JSON.stringify(JSON.stringify({ code: broken }))});
          localStorage.setItem('mqlab:code:v1:exercise-01-work-queue', ${JSON.stringify(JSON.stringify({ code: brokenExercise }))});
        } catch {}`,
      });
      const { page } = opened;
      const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
      // The runner starts when it comes near the viewport, as when a learner scrolls to it.
      await page.locator(runner).scrollIntoViewIfNeeded();
      await page.locator(`${runner} [data-action="run"]`).click();
      await page.waitForFunction((sel) => /error/i.test(document.querySelector(sel)?.textContent ?? ''), `${runner}`, { timeout: 15_000 });
      const shown = `${await page.locator(`${runner} [data-run-status]`).textContent()} ${await page.locator(`${runner} [data-console]`).textContent()}`;
      assert(/syntax/i.test(shown), `the runner does not call it a syntax error: ${shown}`);
      assert(/line 3\b|:3\b|\(3:/.test(shown), `the runner does not point at line 3: ${shown}`);
      await assertSimulationPlays(page, 'after a syntax error');

      const ex = page.locator('[data-exercise]');
      await exerciseReady(page);
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'fail', null, { timeout: 15_000 });
      const verdict = (await ex.locator('[data-result]').textContent()) ?? '';
      assert(/syntax|unexpected|expected/i.test(verdict), `the exercise verdict does not explain the syntax error: ${verdict}`);
      // The learner fixes it: the solution passes in the same page.
      const withSolution = await checkWithSolution(page);
      assert(withSolution.passed, `the solution did not pass after the syntax error: ${withSolution.text}`);
      assertCleanPage(opened, 'syntax errors');
    },
  },
];
