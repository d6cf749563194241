import type { Page } from 'playwright-core';

/**
 * Presses the exercise's Check and waits for its verdict; returns the result panel's text (spaces folded) and
 * whether it passed.
 */
export async function checkExercise(page: Page): Promise<{ passed: boolean; text: string }> {
  const ex = page.locator('[data-exercise]');
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 20_000 });
  const text = ((await ex.locator('[data-result]').innerText()) ?? '').replace(/\s+/g, ' ').trim();
  return { passed: (await ex.locator('[data-result]').getAttribute('data-verdict')) === 'pass', text };
}

/** Reveals the exercise's solution (with its confirmation), puts it in the editor and checks it. */
export async function checkWithSolution(page: Page): Promise<{ passed: boolean; text: string }> {
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  return checkExercise(page);
}
