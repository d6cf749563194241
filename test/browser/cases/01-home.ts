import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase } from '../context.ts';

export const cases: BrowserCase[] = [
  {
    name: 'home page loads under the base path, lists the lessons and links to the first one',
    async run(ctx) {
      const opened = await ctx.openPage('');
      const { page } = opened;
      assert((await page.title()).includes('MQ Lab'), `title is "${await page.title()}"`);
      const lessonLinks = await page.locator('a[href*="/lessons/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      assert(lessonLinks.length > 0, 'no link to a lesson on the home page');
      assert(lessonLinks.every((href) => href.startsWith(ctx.siteUrl)), `a lesson link ignores the base path: ${lessonLinks.join(', ')}`);
      await screenshot(opened, ctx.shotsDir, 'home-1280');
      assertCleanPage(opened, 'home page');
    },
  },
  {
    name: 'home: Start opens the first lesson at its top (title, objectives, first paragraph), not at the simulation',
    async run(ctx) {
      const opened = await ctx.openPage('');
      const { page } = opened;
      const start = page.locator('[data-continue]');
      const href = (await start.getAttribute('href')) ?? '';
      assert(/\/lessons\/[^/#]+\/$/.test(href), `Start links to ${href}, not to the top of a lesson`);
      await start.click();
      await page.waitForURL(/\/lessons\//);
      await page.waitForTimeout(300);
      assert(!page.url().includes('#'), `Start landed on ${page.url()}`);
      const top = await page.evaluate(() => ({
        scrollY: window.scrollY,
        h1Top: document.querySelector('main h1')?.getBoundingClientRect().top ?? -1,
      }));
      assert(top.scrollY === 0 && top.h1Top >= 0, `the lesson opened scrolled to ${top.scrollY} px (title at ${top.h1Top} px)`);
      assertCleanPage(opened, 'home → lesson');
    },
  },
  {
    name: 'home: the course summary and the progress sentence read as two spaced sentences',
    async run(ctx) {
      const progress = JSON.stringify({ lessons: { '01-work-queue': { read: true, exercisePassed: true } } });
      const opened = await ctx.openPage('', { initScript: `localStorage.setItem('mqlab:progress:v1', ${JSON.stringify(progress)});` });
      const meta = (await opened.page.locator('.course-meta').innerText()).replace(/\s+/g, ' ').trim();
      assert(/hours in all\. You have read 1 lesson and passed 1 exercise\.$/.test(meta), `course summary reads: "${meta}"`);
      assertCleanPage(opened, 'home with progress');
    },
  },
];
