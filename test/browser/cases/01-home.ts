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
];
