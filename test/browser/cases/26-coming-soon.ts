/**
 * Planned lessons have a page (issue 11): every lesson of `content/course.ts` without an MDX file yet is served at
 * its own URL as "coming soon" (title, module, what it will teach, a link to the course map) instead of the generic
 * 404, a written lesson's URL is the lesson itself, and `lessons/` is the course map of every lesson.
 */
import { existsSync } from 'node:fs';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { COURSE } from '../../../content/course.ts';


/** Plan entries split by whether their lesson file exists. */
function planned(): { written: string[]; coming: string[] } {
  const ids = COURSE.flatMap((m) => m.lessons.map((l) => l.id));
  const written = ids.filter((id) => existsSync(`content/lessons/${id}.mdx`));
  return { written, coming: ids.filter((id) => !written.includes(id)) };
}

export const cases: BrowserCase[] = [
  {
    name: 'coming soon: a planned lesson\'s URL shows its title, module, what it will teach and a link to the course map (not a 404)',
    async run(ctx) {
      // The last lesson of the plan that is not written yet (the course fills up from the front).
      const { coming } = planned();
      assert(coming.length > 0, 'every planned lesson is written: this case has nothing to check');
      const id = coming[coming.length - 1];
      const module = COURSE.find((m) => m.lessons.some((l) => l.id === id))!;
      const lesson = module.lessons.find((l) => l.id === id)!;
      const path = `lessons/${id}/`;
      const opened = await ctx.openPage(path);
      const { page } = opened;
      const response = await page.goto(new URL(path, ctx.siteUrl).href);
      assert(response?.status() === 200, `HTTP ${response?.status()} for ${path}`);
      const h1 = (await page.locator('main h1').textContent()) ?? '';
      assert(h1.includes(lesson.title), `title: "${h1}" (expected "${lesson.title}")`);
      const main = ((await page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ');
      for (const text of ['Coming soon', module.title, ...lesson.concepts, `${lesson.durationMin} min`]) {
        assert(main.includes(text), `the page does not say "${text}": ${main.slice(0, 400)}`);
      }
      const map = page.locator('main a[data-course-map-link]');
      assert((await map.count()) === 1, 'no link to the course map');
      await map.click();
      await page.waitForURL(new URL('lessons/', ctx.siteUrl).href);
      await screenshot(opened, ctx.shotsDir, 'coming-soon-then-lessons-1280');
      assertCleanPage(opened, 'coming-soon page');
    },
  },
  {
    name: 'coming soon: every planned lesson without a file has a page; every written lesson\'s page is the lesson',
    async run(ctx) {
      const { written, coming } = planned();
      const pages = new Set(ctx.pages());
      const missing = [...written, ...coming].filter((id) => !pages.has(`lessons/${id}/`));
      assert(missing.length === 0, `no page for: ${missing.join(', ')}`);
      const opened = await ctx.openPage(`lessons/${written[0]}/`);
      assert((await opened.page.locator('article.lesson').count()) === 1, `lessons/${written[0]}/ is not the written lesson`);
      assert((await opened.page.locator('[data-coming-soon]').count()) === 0, `lessons/${written[0]}/ says "coming soon"`);
      const last = await ctx.openPage(`lessons/${coming[coming.length - 1]}/`);
      assert((await last.page.locator('[data-coming-soon]').count()) === 1, `lessons/${coming[coming.length - 1]}/ is not a coming-soon page`);
    },
  },
  {
    name: 'lessons index: lessons/ is the course map: every lesson, written ones linked, planned ones marked coming soon',
    async run(ctx) {
      const { written, coming } = planned();
      const opened = await ctx.openPage('lessons/');
      const { page } = opened;
      assert((await page.locator('main h1').count()) === 1, 'lessons/ has no heading');
      for (const id of written) {
        const href = await page.locator(`.lesson-card[data-lesson-id="${id}"] a`).first().getAttribute('href');
        assert(href === `/mq-lab/lessons/${id}/`, `lesson ${id} links to ${href}`);
      }
      const soon = await page.locator('.lesson-card[data-available="false"]').count();
      assert(soon === coming.length, `${soon} planned lessons listed, the plan has ${coming.length}`);
      await screenshot(opened, ctx.shotsDir, 'lessons-index-1280');
      assertCleanPage(opened, 'lessons index');
    },
  },
];
