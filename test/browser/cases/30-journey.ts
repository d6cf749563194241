import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { COURSE } from '../../../content/course.ts';
import { assert, assertCleanPage, screenshot, assertNoOverlappingControls } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { checkWithSolution } from '../exercise.ts';

const LESSON_ID = '01-work-queue';
const LESSON = `lessons/${LESSON_ID}/`;

/** Fails if the page is wider than the viewport (horizontal scrolling of the whole page). */
async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility())
      // Only report outermost offenders that are not inside a horizontal scroller.
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


async function statusOf(page: Page, id: string): Promise<string | null> {
  return page.locator(`.lesson-card[data-lesson-id="${id}"] .lesson-status`).getAttribute('data-status');
}

const LESSONS_DIR = join(import.meta.dirname, '../../../content/lessons');

export const cases: BrowserCase[] = [
  {
    name: 'journey: search finds the lesson, its exercise is passed, the course map shows it after a reload; export/import moves progress to a fresh profile',
    async run(ctx) {
      const opened = await ctx.openPage('');
      const { page } = opened;
      assert((await statusOf(page, LESSON_ID)) === 'new', 'a fresh profile shows progress');
      // Planned lessons are listed, and are not links.
      const soon = page.locator('.lesson-card[data-available="false"]');
      const planned = COURSE.flatMap((m) => m.lessons).filter((l) => !existsSync(join(LESSONS_DIR, `${l.id}.mdx`))).length;
      assert(planned > 0 && (await soon.count()) === planned,
        `${await soon.count()} planned lessons on the course map, expected the ${planned} without a lesson file`);
      assert((await soon.locator('a').count()) === 0, 'a "coming soon" lesson is a link');
      const mapText = (await page.locator('[data-course-map]').textContent()) ?? '';
      for (const topic of ['Kafka', 'Redis', 'SQS', 'ActiveMQ', 'Google Cloud Pub/Sub', 'Request-reply', 'Monitoring']) {
        assert(mapText.includes(topic), `the course map does not mention ${topic}`);
      }

      // Search from the home page.
      await page.locator('#home-search-q').fill('prefetch');
      await page.locator('#home-search-q').press('Enter');
      await page.waitForURL(/\/search\/\?q=prefetch/);
      const hit = page.locator('[data-search-results] a.result-title', { hasText: 'work queue' }).first();
      await hit.waitFor({ timeout: 10_000 });
      assert((await page.locator('[data-search-results] mark').count()) > 0, 'search excerpts mark no match');
      await screenshot(opened, ctx.shotsDir, 'journey-search-1280');
      await hit.click();
      await page.waitForURL(new RegExp(`/mq-lab/${LESSON}`));

      assert((await checkWithSolution(page)).passed, 'the solution did not pass');
      await page.goto(ctx.siteUrl);
      await page.reload();
      await page.waitForFunction((id) => document.querySelector(`.lesson-card[data-lesson-id="${id}"] .lesson-status`)?.getAttribute('data-status') === 'done', LESSON_ID, { timeout: 5_000 });
      const statusText = await page.locator(`.lesson-card[data-lesson-id="${LESSON_ID}"] .lesson-status`).textContent();
      assert(/passed/i.test(statusText ?? ''), `status reads "${statusText}"`);

      // Export.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-progress"]').click()]);
      const file = await download.path();
      const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; lessons: Record<string, { exercisePassed?: boolean }> };
      assert(exported.format === 'mq-lab-progress' && exported.lessons[LESSON_ID]?.exercisePassed === true, `export: ${JSON.stringify(exported)}`);
      assertCleanPage(opened, 'journey');

      // Fresh profile: a bad file is refused and changes nothing, the exported file restores the progress.
      const fresh = await ctx.openPage('');
      const p2 = fresh.page;
      assert((await statusOf(p2, LESSON_ID)) === 'new', 'the fresh profile already has progress');
      const input = p2.locator('[data-import-progress]');
      await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"lessons": "all of them"}') });
      await p2.waitForFunction(() => document.querySelector('[data-progress-message]')?.getAttribute('data-kind') === 'error');
      const refusal = (await p2.locator('[data-progress-message]').textContent()) ?? '';
      assert(/not an MQ Lab progress file/.test(refusal) && /Nothing was changed/.test(refusal), `refusal reads "${refusal}"`);
      assert((await p2.evaluate(() => localStorage.getItem('mqlab:progress:v1'))) === null, 'a bad import wrote to storage');
      await input.setInputFiles(file);
      await p2.waitForFunction(() => document.querySelector('[data-progress-message]')?.getAttribute('data-kind') === 'ok');
      assert((await statusOf(p2, LESSON_ID)) === 'done', 'import did not update the course map');
      await p2.reload();
      assert((await statusOf(p2, LESSON_ID)) === 'done', 'imported progress did not survive a reload');
      const cont = (await p2.locator('[data-continue]').textContent()) ?? '';
      assert(/all available exercises passed|continue/i.test(cont), `continue button reads "${cont}"`);

      // Reset asks first, then clears.
      await p2.locator('[data-action="reset-progress"]').click();
      assert((await statusOf(p2, LESSON_ID)) === 'done', 'reset cleared progress before confirmation');
      await p2.locator('[data-action="reset-confirm"]').click();
      assert((await statusOf(p2, LESSON_ID)) === 'new', 'reset did not clear the course map');
      assertCleanPage(fresh, 'import');
    },
  },
  {
    name: 'journey: a code run far below the simulation plays in the pinned player without scrolling',
    async run(ctx) {
      for (const width of [1280, 360]) {
        const opened = await ctx.openPage(LESSON, { width, height: width === 360 ? 740 : 900 });
        const { page } = opened;
        const sim = page.locator('[data-mq-sim]').first();
        await sim.scrollIntoViewIfNeeded();
        await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 10_000 });
        const runner = page.locator('[data-code-runner]').first();
        await runner.scrollIntoViewIfNeeded();
        await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.hasAttribute('data-docked'), null, { timeout: 5_000 });
        await runner.locator('[data-action="run"]').scrollIntoViewIfNeeded();
        await runner.locator('[data-action="run"]').click();
        await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 15_000 });
        const scrolledTo = await page.evaluate(() => window.scrollY);
        await page.waitForFunction(() => Number(document.querySelector('[data-mq-sim] [data-counter="delivered"]')?.textContent) >= 1, null, { timeout: 15_000 });
        const inView = await page.locator('[data-mq-sim] .sim-stage').evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= innerHeight && r.height > 20;
        });
        assert(inView, `${width}px: the pinned diagram is not inside the viewport`);
        assert((await page.evaluate(() => window.scrollY)) === scrolledTo, `${width}px: the page scrolled by itself`);
        await page.screenshot({ path: `${ctx.shotsDir}/journey-pinned-player-${width}.png` });
        await assertNoHorizontalOverflow(page, `lesson with pinned player at ${width}px`);
        // "Go to it" brings the learner back to the full simulation.
        await page.locator('[data-action="dock-jump"]').click();
        await page.waitForFunction(() => !document.querySelector('[data-mq-sim]')?.hasAttribute('data-docked'));
        assertCleanPage(opened, `pinned player ${width}`);
      }
    },
  },
  {
    name: 'journey: home, lesson, glossary and search at 360 and 1280 px, light and dark: no overflow, no overlapping controls',
    async run(ctx) {
      const pages: [string, string][] = [['', 'home'], [LESSON, 'lesson'], ['glossary/', 'glossary'], ['search/?q=queue', 'search']];
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          for (const [path, name] of pages) {
            const opened = await ctx.openPage(path, { width, colorScheme });
            const { page } = opened;
            const theme = await page.evaluate(() => document.documentElement.dataset.theme);
            assert(theme === colorScheme, `${name} ${width}px: data-theme is ${theme}, system is ${colorScheme}`);
            if (name === 'search') await page.locator('[data-search-results] li').first().waitFor({ timeout: 10_000 });
            if (name === 'lesson') {
              await page.locator('[data-mq-sim]').first().scrollIntoViewIfNeeded();
              await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 10_000 });
              await page.evaluate(() => scrollTo(0, 0));
              await page.waitForTimeout(300);
            }
            await assertNoHorizontalOverflow(page, `${name} ${width}px ${colorScheme}`);
            await assertNoOverlappingControls(page, `${name} ${width}px ${colorScheme}`);
            await screenshot(opened, ctx.shotsDir, `journey-${name}-${width}-${colorScheme}`);
            assertCleanPage(opened, `${name} ${width}px ${colorScheme}`);
            await opened.context.close();
          }
        }
      }
    },
  },
  {
    name: 'journey: the theme toggle overrides the system setting, is remembered, and announces mqlab:theme',
    async run(ctx) {
      const opened = await ctx.openPage('', { colorScheme: 'light' });
      const { page } = opened;
      await page.evaluate(() => {
        (window as unknown as { themes: string[] }).themes = [];
        document.addEventListener('mqlab:theme', (e) => (window as unknown as { themes: string[] }).themes.push((e as CustomEvent<{ theme: string }>).detail.theme));
      });
      const toggle = page.locator('[data-theme-toggle]');
      assert((await toggle.getAttribute('aria-pressed')) === 'false', 'toggle pressed in light theme');
      await toggle.click();
      assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'toggle did not switch to dark');
      assert((await toggle.getAttribute('aria-pressed')) === 'true', 'toggle not pressed in dark theme');
      const events = await page.evaluate(() => (window as unknown as { themes: string[] }).themes);
      assert(events.join() === 'dark', `mqlab:theme events: ${events.join()}`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert(bg !== 'rgb(251, 251, 253)', `body background stayed light: ${bg}`);
      await page.goto(new URL(LESSON, ctx.siteUrl).href);
      assert((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark', 'the choice was not remembered on the next page');
      assertCleanPage(opened, 'theme toggle');
    },
  },
  {
    name: 'journey: glossary lists the terms with the lessons that teach them; lesson terms link to their entries',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      const termLinks = page.locator('article a.term-link');
      assert((await termLinks.count()) >= 8, `only ${await termLinks.count()} glossary links in the lesson`);
      const prefetch = page.locator('article a.term-link', { hasText: /^prefetch$/i }).first();
      const href = (await prefetch.getAttribute('href')) ?? '';
      assert(href === '/mq-lab/glossary/#prefetch', `prefetch links to ${href}`);
      await prefetch.click();
      await page.waitForURL(/glossary\/#prefetch$/);
      const entry = page.locator('[data-term="prefetch"]');
      assert(await entry.isVisible(), 'the prefetch entry is not shown');
      const taught = entry.locator('.taught a');
      assert((await taught.count()) >= 1 && ((await taught.first().getAttribute('href')) ?? '').endsWith(LESSON), 'prefetch does not link to the work-queue lesson');
      for (const term of ['exchange', 'binding', 'routing-key', 'dead-letter', 'partition', 'offset', 'consumer-group', 'lag', 'visibility-timeout']) {
        assert((await page.locator(`[data-term="${term}"]`).count()) === 1, `glossary has no "${term}"`);
      }
      assertCleanPage(opened, 'glossary');
    },
  },
];
