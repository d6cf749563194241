/**
 * The code editor (Monaco) follows the site's theme: `<html data-theme>` plus the `mqlab:theme` event (detail
 * `{ theme }`) that the site's theme switch fires.
 */
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';
import { LESSON, RUNNER } from './10-sandbox-support.ts';

async function editorTheme(page: import('playwright-core').Page): Promise<string> {
  const cls = (await page.locator(`${RUNNER} .monaco-editor`).first().getAttribute('class')) ?? '';
  return /\bvs-dark\b/.test(cls) ? 'vs-dark' : /\bvs\b/.test(cls) ? 'vs' : `unknown (${cls})`;
}

export const cases: BrowserCase[] = [
  {
    name: 'sandbox: the code editor follows the site theme (data-theme + mqlab:theme event)',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON, {
        // The site's theme boot script reads the learner's stored choice (src/lib/theme.ts).
        initScript: "if (window.top === window) localStorage.setItem('mqlab:theme', 'dark');",
      });
      const { page } = opened;
      await page.locator(RUNNER).scrollIntoViewIfNeeded();
      await page.locator(`${RUNNER} .monaco-editor`).waitFor({ timeout: 20_000 });
      assert((await editorTheme(page)) === 'vs-dark', `dark site, editor theme ${await editorTheme(page)}`);

      await page.evaluate(() => {
        document.documentElement.dataset.theme = 'light';
        document.dispatchEvent(new CustomEvent('mqlab:theme', { detail: { theme: 'light' } }));
      });
      await page.waitForTimeout(100);
      assert((await editorTheme(page)) === 'vs', `light site, editor theme ${await editorTheme(page)}`);

      // The event alone is enough (a switch that fires it before or without touching the attribute).
      await page.evaluate(() => document.dispatchEvent(new CustomEvent('mqlab:theme', { detail: { theme: 'dark' } })));
      await page.waitForTimeout(100);
      assert((await editorTheme(page)) === 'vs-dark', `after mqlab:theme dark, editor theme ${await editorTheme(page)}`);
    },
  },
];
