import type { Browser, BrowserContext, Page } from 'playwright-core';

/** What every browser test case gets: a fresh context per case, the site's URL and a place for screenshots. */
export interface CaseContext {
  browser: Browser;
  /** Site root including the base path, ending with '/'. */
  siteUrl: string;
  /** Origin of the site (requests to any other origin are failures). */
  origin: string;
  /** Directory for screenshots (test-results/browser). */
  shotsDir: string;
  /** Opens a page in a fresh context that records console errors and requests to other hosts. */
  openPage(path?: string, options?: OpenPageOptions): Promise<OpenedPage>;
  /** Paths (relative to `siteUrl`, e.g. `lessons/01-work-queue/`) of every HTML page in the build. */
  pages(): string[];
  /** `pages()` with pages of one template that differ only in data (the planned lessons' "coming soon" pages)
   * cut down to two of them: for checks that open every page in the browser. */
  distinctPages(): string[];
}

/** Options of `CaseContext.openPage`. */
export interface OpenPageOptions {
  reducedMotion?: 'reduce' | 'no-preference';
  colorScheme?: 'light' | 'dark';
  /** Viewport width in CSS px (default 1280). */
  width?: number;
  /** Viewport height in CSS px (default 900). */
  height?: number;
  /** Runs in the page before any of its scripts (e.g. to seed localStorage). */
  initScript?: string;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Requests to any host other than the site's own origin. */
  foreignRequests: string[];
  /** Every request URL (same origin included). */
  requests: string[];
}

/** A browser test case: `run` throws (e.g. a failed `assert`) to fail. */
export interface BrowserCase {
  name: string;
  run(ctx: CaseContext): Promise<void>;
}
