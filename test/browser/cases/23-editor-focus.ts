/**
 * The code editor never takes the keyboard focus on its own (issue 11, major 1): Monaco finishing its load, or
 * replacing the plain code block while a keyboard user sits on it, must not move the focus into the editor, and
 * Tab presses must never be typed into the code. The editor is entered by a click, Enter or typing on the code block.
 */
import type { Page } from 'playwright-core';
import { assert, assertCleanPage } from '../assert.ts';
import type { BrowserCase } from '../context.ts';

const LESSON = 'lessons/01-work-queue/';
const RUNNER = '[data-code-runner][data-runner-id="01-first-worker"]';

/** What the page says about every code runner: edited notes, stored edits, editor state, focus in Monaco. */
async function runnerState(page: Page) {
  return page.evaluate(() => ({
    editedNotes: [...document.querySelectorAll<HTMLElement>('[data-code-runner] [data-edited-note]')]
      .filter((n) => !n.hidden).length,
    storedEdits: Object.keys(localStorage).filter((k) => k.startsWith('mqlab:code:')),
    editors: [...document.querySelectorAll<HTMLElement>('[data-code-runner]')].map((r) => r.dataset.editor ?? 'none'),
    focusInMonaco: Boolean(document.activeElement?.closest('.monaco-editor')),
  }));
}

export const cases: BrowserCase[] = [
  {
    name: 'editor focus: Tab held through lesson 1 while Monaco loads leaves the code unchanged and never enters the editor',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      // A keyboard user walks the page from the top, about ten Tabs a second, for at least five seconds and until
      // the focus has passed the code block and Monaco has replaced it.
      let passedCode = false;
      let enteredMonaco = 0;
      const started = Date.now();
      for (let i = 0; i < 400; i++) {
        await page.keyboard.press('Tab');
        await page.waitForTimeout(100);
        const where = await page.evaluate((sel) => {
          const a = document.activeElement;
          return { inRunner: Boolean(a?.closest(sel)), inMonaco: Boolean(a?.closest('.monaco-editor')) };
        }, RUNNER);
        if (where.inRunner) passedCode = true;
        if (where.inMonaco) enteredMonaco++;
        const state = await runnerState(page);
        if (Date.now() - started > 5_000 && passedCode && state.editors.includes('monaco')) break;
      }
      assert(passedCode, 'Tab never reached the code runner');
      await page.waitForTimeout(800); // an edit would be saved 400 ms after the last keystroke
      const state = await runnerState(page);
      assert(state.editors.includes('monaco'), `Monaco never loaded (editors: ${state.editors.join(', ')})`);
      assert(state.editedNotes === 0, `${state.editedNotes} code block(s) say "edited" after keyboard navigation`);
      assert(state.storedEdits.length === 0, `navigation stored edits: ${state.storedEdits.join(', ')}`);
      assert(enteredMonaco === 0, `the focus was inside Monaco after ${enteredMonaco} of the Tab presses`);
      assertCleanPage(opened, 'lesson after a Tab walk');
    },
  },
  {
    name: 'editor focus: Enter on the focused code block opens the editor with the focus in it; Escape leaves it',
    async run(ctx) {
      const opened = await ctx.openPage(LESSON);
      const { page } = opened;
      await page.locator(`${RUNNER} [data-code-pre]`).focus();
      await page.waitForSelector(`${RUNNER}[data-editor="monaco"]`, { timeout: 20_000 });
      await page.waitForTimeout(300);
      let state = await runnerState(page);
      assert(!state.focusInMonaco, 'Monaco took the focus without Enter or a click');
      const before = await page.evaluate(() => document.activeElement?.closest('[data-code-runner]') !== null);
      assert(before, 'the focus left the code runner when Monaco replaced the code block');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(200);
      state = await runnerState(page);
      assert(state.focusInMonaco, 'Enter on the code block did not put the focus in the editor');
      assert(state.editedNotes === 0, 'Enter that opened the editor also changed the code');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(100);
      state = await runnerState(page);
      assert(!state.focusInMonaco, 'Escape did not leave the editor');
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action ?? document.activeElement?.tagName);
      assert(next === 'run', `Tab after Escape went to ${next}, not the Run button`);
      await page.waitForTimeout(600);
      state = await runnerState(page);
      assert(state.editedNotes === 0 && state.storedEdits.length === 0, 'Enter / Escape / Tab changed the code');
      assertCleanPage(opened, 'lesson, editor entered and left by keyboard');
    },
  },
];
