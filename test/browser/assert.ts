import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { OpenedPage } from './context.ts';

/** Throws `Error(message)` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Fails if the page logged console errors or requested another host. */
export function assertCleanPage(opened: OpenedPage, what: string): void {
  assert(opened.errors.length === 0, `${what}: console errors:\n${opened.errors.join('\n')}`);
  assert(opened.foreignRequests.length === 0, `${what}: requests to other hosts:\n${opened.foreignRequests.join('\n')}`);
}

/** Saves a full-page screenshot as test-results/browser/<name>.png. */
export async function screenshot(opened: OpenedPage, shotsDir: string, name: string): Promise<void> {
  await opened.page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

/** Fails if two visible controls (links, buttons, inputs, selects, summaries) overlap on screen. */
export async function assertNoOverlappingControls(page: Page, what: string): Promise<void> {
  const overlaps = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary')]
      .filter((el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      .filter((el) => !el.classList.contains('visually-hidden') && !el.closest('.visually-hidden, .skip-link'));
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label') || ''}]`;
    const rects = controls.map((el) => [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1));
    const found: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i];
        const b = controls[j];
        if (a.contains(b) || b.contains(a) || a.closest('label')?.contains(b) || b.closest('label')?.contains(a)) continue;
        const hit = rects[i].some((r) => rects[j].some((s) =>
          Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2 && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2));
        if (hit) found.push(`${describe(a)} ↔ ${describe(b)}`);
      }
    }
    return found.slice(0, 8);
  });
  assert(overlaps.length === 0, `${what}: overlapping controls: ${overlaps.join(', ')}`);
}
