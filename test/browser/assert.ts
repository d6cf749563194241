import { join } from 'node:path';
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
