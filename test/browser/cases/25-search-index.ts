/**
 * What search knows about a lesson (issue 11): Pagefind indexes the lesson's prose and code, not the interface
 * around them (button labels, editor and exercise notes, the console), so a snippet never reads like
 * "photo-workers.mjsedited · saved in this browser…"; and the result count is a sentence ("1 page matches").
 */
import type { Page } from 'playwright-core';
import { assert, assertCleanPage } from '../assert.ts';
import type { BrowserCase } from '../context.ts';

/** Interface text of the lesson page: none of it may be in the search index. */
const CHROME = [
  'edited · saved in this browser', 'Run Ctrl+Enter', 'Undo reset', 'Check my solution', 'Show a hint',
  'Show the solution', 'Yes, show the solution', 'Put the solution in the editor', 'Exercise passed (saved',
  'Running your program', 'Console of', 'On this page',
];
/** Lesson prose, objectives and code that must stay searchable. */
const CONTENT = [
  'competing consumers', 'You will be able to', 'channel.prefetch(1)', "const QUEUE = 'photos'", 'no order left behind',
];

/** The text Pagefind indexed for the lesson page, read through the site's own Pagefind bundle. */
async function indexedLessonText(page: Page, siteUrl: string): Promise<string> {
  return page.evaluate(async (base) => {
    type Data = { url: string; content: string };
    const pagefind = await import(/* @vite-ignore */ `${base}pagefind/pagefind.js`) as {
      search(q: string): Promise<{ results: { data(): Promise<Data> }[] }>;
    };
    const found = await pagefind.search('queue');
    const pages = await Promise.all(found.results.map((r) => r.data()));
    return pages.find((p) => p.url.includes('/lessons/01-work-queue/'))?.content ?? '';
  }, siteUrl);
}

export const cases: BrowserCase[] = [
  {
    name: 'search index: the lesson\'s prose and code are indexed, its interface text (buttons, notes, console) is not',
    async run(ctx) {
      const opened = await ctx.openPage('search/');
      const text = (await indexedLessonText(opened.page, ctx.siteUrl)).replace(/\s+/g, ' ');
      assert(text.length > 1000, `the lesson's indexed text is missing or short (${text.length} chars)`);
      const chrome = CHROME.filter((phrase) => text.includes(phrase));
      assert(chrome.length === 0, `interface text in the search index: ${chrome.map((p) => `"${p}"`).join(', ')}`);
      const missing = CONTENT.filter((phrase) => !text.includes(phrase));
      assert(missing.length === 0, `lesson content missing from the search index: ${missing.join(', ')}`);
      assertCleanPage(opened, 'search page');
    },
  },
  {
    name: 'search page: the count reads "1 page matches" / "N pages match"',
    async run(ctx) {
      const opened = await ctx.openPage('search/?q=4711');
      const status = opened.page.locator('[data-search-status]');
      await opened.page.waitForFunction(() => /match/.test(document.querySelector('[data-search-status]')?.textContent ?? ''), null, { timeout: 10_000 });
      const one = (await status.textContent()) ?? '';
      assert(one === '1 page matches “4711”.', `status for one result: "${one}"`);
      await opened.page.locator('[data-search-input]').fill('queue');
      await opened.page.locator('[data-search-input]').press('Enter');
      await opened.page.waitForFunction(() => /queue/.test(document.querySelector('[data-search-status]')?.textContent ?? ''), null, { timeout: 10_000 });
      const many = (await status.textContent()) ?? '';
      assert(/^\d+ pages match “queue”\.$/.test(many), `status for several results: "${many}"`);
      assertCleanPage(opened, 'search page');
    },
  },
];
