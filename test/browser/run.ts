/**
 * Browser tests: builds the site under a base path (/mq-lab/), serves `dist-test/` with a plain static server and
 * drives Debian's Chromium through playwright-core. Prints one line per case and closes with `N passed, M failed`.
 *
 * Chromium is looked up at $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser. Without one, the browser
 * part is skipped with a clear notice, except under CI=true, where a missing browser is a failure.
 * Options: `--no-build` reuses an existing dist-test/; `--only <substring>` runs matching cases.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from '../support/static-server.ts';
import type { BrowserCase, CaseContext, OpenedPage } from './context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BASE_PATH = '/mq-lab/';
/** Where the test build goes; MQLAB_TEST_OUT lets parallel runs use separate folders. */
const OUT_DIR = process.env.MQLAB_TEST_OUT ?? join(root, 'dist-test');
const SHOTS_DIR = join(root, 'test-results', 'browser');
export const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
}

/** Every `index.html` under `dir` as a site-relative path ('' for the home page, 'lessons/x/' for others). */
function listPages(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('_')) out.push(...listPages(dir, `${prefix}${entry.name}/`));
    else if (entry.name === 'index.html') out.push(prefix);
  }
  return out.sort();
}

/**
 * `pages` with the "coming soon" pages of planned lessons (one template, about thirty pages that differ only in
 * their data) cut down to the first and the last: the per-page browser checks (axe, keyboard walk, browser crawl)
 * then cost minutes less and still see the template twice. The static link crawl keeps every page.
 */
function distinctPages(dir: string, pages: string[]): string[] {
  const comingSoon = pages.filter((p) => readFileSync(join(dir, p, 'index.html'), 'utf8').includes('data-coming-soon'));
  const dropped = new Set(comingSoon.slice(1, -1));
  return pages.filter((p) => !dropped.has(p));
}

function build(): void {
  console.error(`[browser] building the site with BASE_PATH=${BASE_PATH} into dist-test/ …`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', OUT_DIR], {
    cwd: root,
    env: { ...process.env, BASE_PATH, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`astro build failed (exit ${result.status})`);
}

async function loadCases(filter: string | undefined): Promise<BrowserCase[]> {
  const dir = join(root, 'test/browser/cases');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const cases: BrowserCase[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { cases: BrowserCase[] };
    for (const c of mod.cases) if (!filter || c.name.includes(filter)) cases.push(c);
  }
  return cases;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const executablePath = findChromium();
  if (executablePath === undefined) {
    const msg = 'No Chromium found (looked at $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser).';
    if (process.env.CI === 'true') {
      console.log(`browser tests FAILED: ${msg} CI=true requires it (apt-get install chromium).`);
      return 1;
    }
    console.log(`browser tests SKIPPED: ${msg} Install Debian's chromium to run them.`);
    return 0;
  }
  if (!args.includes('--no-build') || !existsSync(OUT_DIR)) build();
  mkdirSync(SHOTS_DIR, { recursive: true });
  const server = await serveStatic(OUT_DIR, BASE_PATH);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
  const opened: OpenedPage[] = [];
  const ctx: CaseContext = {
    browser,
    siteUrl: server.url,
    origin: server.origin,
    shotsDir: SHOTS_DIR,
    async openPage(path = '', options = {}) {
      const context = await browser.newContext({
        reducedMotion: options.reducedMotion ?? 'no-preference',
        colorScheme: options.colorScheme ?? 'light',
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      });
      if (options.initScript !== undefined) await context.addInitScript(options.initScript);
      const page = await context.newPage();
      const result: OpenedPage = { page, context, errors: [], foreignRequests: [], requests: [] };
      page.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
      page.on('pageerror', (e) => result.errors.push(`pageerror: ${e.message}`));
      context.on('request', (r) => {
        const url = r.url();
        result.requests.push(url);
        if (!url.startsWith(server.origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
          result.foreignRequests.push(url);
        }
      });
      opened.push(result);
      await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
      return result;
    },
    pages: () => listPages(OUT_DIR),
    distinctPages: () => distinctPages(OUT_DIR, listPages(OUT_DIR)),
  };
  let passed = 0;
  let failed = 0;
  try {
    for (const c of await loadCases(only)) {
      const started = performance.now();
      try {
        await c.run(ctx);
        passed++;
        console.log(`  ✓ ${c.name} (${Math.round(performance.now() - started)} ms)`);
      } catch (err) {
        failed++;
        console.log(`  ✗ ${c.name}\n      ${String(err instanceof Error ? err.stack ?? err.message : err).split('\n').slice(0, 6).join('\n      ')}`);
      } finally {
        for (const o of opened.splice(0)) await o.context.close().catch(() => {});
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
