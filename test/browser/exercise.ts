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

/**
 * Keyboard only: presses Tab (`press`) until the focus is inside the exercise — which starts it, as it starts when
 * the learner comes near it (src/lib/when-near.ts) — then waits until its buttons work.
 * @throws Error when `max` presses never reach it.
 */
export async function tabIntoExercise(page: Page, press: () => Promise<void>, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(() => document.activeElement?.closest('[data-exercise]') != null)) {
      await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
      return;
    }
    await press();
  }
  throw new Error(`${max} presses of Tab never reached the exercise`);
}

/** Scrolls the exercise into view (which starts it) and waits until its buttons work. */
export async function exerciseReady(page: Page): Promise<void> {
  await page.locator('[data-exercise]').first().scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
}
