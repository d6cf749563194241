/**
 * Self-hosting (issue 3): the site built with BASE_PATH=/mq-lab/ (the harness's build) and served by a plain static
 * file server under /mq-lab/ has no broken link or asset, and a browser crawl of every page and of the lesson's
 * interactive parts requests nothing from any other host.
 *
 * 1. A static crawl over HTTP: every page's `href`/`src`/`srcset`, then every asset referenced by the CSS and JS
 *    those pages load, recursively (dynamic `import()` chunks, Monaco's workers and codicon font, `url(...)` in CSS,
 *    Vite's preload lists); each must answer 200, in-page `#fragment` links must name an element of their target
 *    page, and nothing that loads as a resource (script, style, image, font, frame) may come from another host.
 * 2. A browser crawl: each page scrolled top to bottom (lazy islands load), the lesson's editor loaded, a program
 *    run and the exercise checked, a search typed, the theme toggled. No request to another host, no response
 *    ≥ 400 (apart from the 404 page itself), no failed request, no Content-Security-Policy violation.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Page, Request, Response } from 'playwright-core';
import { assert } from '../assert.ts';
import type { BrowserCase, CaseContext } from '../context.ts';
import { LESSON } from './20-a11y-support.ts';

/** A path that does not exist, nested so that relative asset URLs on the 404 page would break. */
const MISSING_PAGE = 'no/such/deep/page/';
/** Extensions of files a page or chunk can load. */
const ASSET_EXT = /\.(?:js|mjs|css|ttf|woff2?|wasm|svg|png|jpe?g|gif|webp|ico|json|webmanifest|txt|xml)(?:[?#].*)?$/i;
/**
 * Files the build emits that are referenced but never loaded, so their own imports are not followed:
 * `editorWebWorkerMain.*.js` is Monaco's unbundled worker entry, copied by Vite as a plain asset because Monaco
 * names it in `new URL(…, import.meta.url)` as a fallback; the site gives Monaco its bundled `editor.worker`
 * through `MonacoEnvironment.getWorker`, so the fallback (whose relative imports do not exist) is never used.
 * The browser crawl below fails if one of these is ever requested.
 */
const NEVER_LOADED = /\/_assets\/editorWebWorkerMain\.[\w-]+\.js$/;
/** Most URLs one static crawl may visit (the site has a few hundred). */
const CRAWL_URLS_MAX = 5000;

/** Every `.html` file of the build (pages, 404, the sandbox's runner page…) as site-relative paths. */
function htmlFiles(): string[] {
  const root = resolve(process.env.MQLAB_TEST_OUT ?? 'dist-test');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.html')) out.push(relative(root, join(dir, entry.name)).split('\\').join('/'));
    }
  };
  walk(root);
  return out.map((f) => f.replace(/(^|\/)index\.html$/, '$1'));
}

interface Found {
  url: string;
  from: string;
  /** 'page' (navigation link), 'resource' (loaded by the page), 'fragment' check. */
  kind: 'page' | 'resource';
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Links and resources of an HTML document: `<a href>` are pages; `src`, `srcset`, `<link href>` are resources. */
function htmlReferences(html: string, pageUrl: string): Found[] {
  const found: Found[] = [];
  const withoutScripts = html.replace(/<script(?![^>]*\bsrc=)[^>]*>[\s\S]*?<\/script>/gi, '');
  for (const tag of withoutScripts.matchAll(/<([a-z][\w-]*)\b([^>]*)>/gi)) {
    const name = tag[1].toLowerCase();
    const attrs = tag[2];
    const attr = (n: string) => new RegExp(`\\s${n}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
    const value = (m: RegExpExecArray | null) => (m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined);
    const href = value(attr('href'));
    if (href !== undefined && name !== 'base') {
      const rel = value(attr('rel')) ?? '';
      const isResource = name === 'link' && !/\b(?:canonical|alternate|next|prev|author|license|help|search)\b/i.test(rel);
      found.push({ url: href, from: pageUrl, kind: isResource ? 'resource' : 'page' });
    }
    const src = value(attr('src'));
    if (src !== undefined) found.push({ url: src, from: pageUrl, kind: 'resource' });
    for (const key of ['srcset', 'imagesrcset']) {
      const set = value(attr(key));
      if (set) for (const part of set.split(',')) found.push({ url: part.trim().split(/\s+/)[0], from: pageUrl, kind: 'resource' });
    }
    // Other attributes holding a URL of this site's files (e.g. `data-pagefind-url`) are resources too.
    for (const m of attrs.matchAll(/\s(data-[\w-]+)\s*=\s*"([^"]*)"/g)) {
      const v = decodeEntities(m[2]);
      if (/^(?:\.{1,2}\/|\/)/.test(v) && ASSET_EXT.test(v)) found.push({ url: v, from: pageUrl, kind: 'resource' });
    }
    const data = value(attr('data'));
    if (name === 'object' && data) found.push({ url: data, from: pageUrl, kind: 'resource' });
  }
  for (const m of html.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) found.push({ url: decodeEntities(m[1]), from: pageUrl, kind: 'resource' });
  return found;
}

/**
 * Files a CSS or JS file refers to: `url(...)`, `@import`, and quoted strings that look like this site's asset
 * paths (`./x.js`, `../x.css`, `<base>_assets/x.js`, `_assets/x.js` as in Vite's preload lists) with an asset
 * extension. Base-relative `_assets/...` strings are resolved against the site root, the others against the file.
 */
function assetReferences(text: string, fileUrl: string, siteUrl: string): Found[] {
  const found: Found[] = [];
  const base = new URL(siteUrl).pathname;
  for (const m of text.matchAll(/url\(\s*\\?["']?([^"')\\]+)\\?["']?\s*\)/g)) {
    // In JS, `url(${expr})` builds CSS at run time: only literal paths with an asset extension are references.
    if (/^(?:data:|#)/.test(m[1]) || /[${}]/.test(m[1]) || (fileUrl.endsWith('.js') && !ASSET_EXT.test(m[1]))) continue;
    found.push({ url: new URL(m[1], fileUrl).href, from: fileUrl, kind: 'resource' });
  }
  for (const m of text.matchAll(/@import\s+["']([^"']+)["']/g)) found.push({ url: new URL(m[1], fileUrl).href, from: fileUrl, kind: 'resource' });
  // Not object keys (`{"./x.js": imports}` names a wasm import module, not a file).
  for (const m of text.matchAll(/["'`]((?:\.{1,2}\/|\/|_assets\/)[^"'`\s()${}<>]+)["'`](?!\s*:)/g)) {
    const ref = m[1];
    if (!ASSET_EXT.test(ref)) continue;
    // An absolute path must be under the base path (elsewhere it is e.g. a module path inside TypeScript's worker);
    // with the root base every string starting with "/" would qualify, so only the build's asset folder counts.
    if (ref.startsWith('/') && (!ref.startsWith(base) || (base === '/' && !ref.startsWith('/_assets/')))) continue;
    const url = ref.startsWith('_assets/') ? new URL(ref, siteUrl).href : new URL(ref, fileUrl).href;
    found.push({ url, from: fileUrl, kind: 'resource' });
  }
  return found;
}

/** Ids and names of elements in an HTML document (targets of `#fragment` links). */
function anchorsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''));
  return ids;
}

async function staticCrawl(ctx: CaseContext): Promise<void> {
  const origin = ctx.origin;
  const problems: string[] = [];
  const external = new Set<string>();
  const fetched = new Map<string, { status: number; type: string; body: string }>();
  const queue: Found[] = [...new Set([...ctx.pages(), ...htmlFiles(), MISSING_PAGE])].map((p) => ({ url: new URL(p, ctx.siteUrl).href, from: '(page list)', kind: 'page' as const }));
  const fragments: { url: string; from: string }[] = [];
  const fetchOnce = async (url: string) => {
    let entry = fetched.get(url);
    if (!entry) {
      const res = await fetch(url, { redirect: 'manual' });
      const type = res.headers.get('content-type') ?? '';
      const body = /html|css|javascript|json|svg|text/.test(type) ? await res.text() : (await res.arrayBuffer(), '');
      entry = { status: res.status, type, body };
      fetched.set(url, entry);
    }
    return entry;
  };
  while (queue.length > 0) {
    assert(fetched.size < CRAWL_URLS_MAX, `the crawl passed ${CRAWL_URLS_MAX} URLs: is something generating links?`);
    const item = queue.shift()!;
    if (/^(?:mailto|tel|javascript|data|blob):/i.test(item.url)) {
      if (/^javascript:/i.test(item.url)) problems.push(`javascript: URL in ${item.from}`);
      continue;
    }
    let url: URL;
    try {
      url = new URL(item.url, item.from.startsWith('http') ? item.from : ctx.siteUrl);
    } catch {
      problems.push(`unparseable URL "${item.url}" in ${item.from}`);
      continue;
    }
    if (url.origin !== origin) {
      if (item.kind === 'resource') problems.push(`resource from another host: ${url.href} (in ${item.from})`);
      else external.add(url.href);
      continue;
    }
    if (url.hash.length > 1) fragments.push({ url: url.href, from: item.from });
    url.hash = '';
    const key = url.href;
    const seenBefore = fetched.has(key);
    const entry = await fetchOnce(key);
    const expectedMissing = key === new URL(MISSING_PAGE, ctx.siteUrl).href;
    if (entry.status !== 200 && !(expectedMissing && entry.status === 404)) {
      problems.push(`${entry.status} for ${key} (${item.kind}, referenced in ${item.from})`);
      continue;
    }
    if (seenBefore) continue;
    if (entry.type.includes('html')) {
      for (const ref of htmlReferences(entry.body, key)) queue.push({ ...ref, url: new URL(ref.url, key).href });
    } else if (/css|javascript/.test(entry.type) && !NEVER_LOADED.test(key)) {
      queue.push(...assetReferences(entry.body, key, ctx.siteUrl));
    }
  }
  for (const { url, from } of fragments) {
    const target = new URL(url);
    const id = decodeURIComponent(target.hash.slice(1));
    target.hash = '';
    const page = fetched.get(target.href);
    if (page && page.type.includes('html') && !anchorsOf(page.body).has(id)) {
      problems.push(`link to #${id} on ${target.pathname}, which has no such id (in ${from})`);
    }
  }
  const assets = [...fetched.keys()].filter((u) => u.includes('/_assets/'));
  assert(assets.some((u) => /editor\.worker/.test(u)), `the crawl did not reach Monaco's editor worker; assets seen:\n${assets.join('\n')}`);
  assert(assets.some((u) => /\.ttf|\.woff2?/.test(u)), 'the crawl did not reach any font (Monaco\'s codicon)');
  assert(problems.length === 0, `broken links or assets (${problems.length}):\n${[...new Set(problems)].slice(0, 60).join('\n')}`);
  console.log(`      static crawl: ${fetched.size} URLs, ${assets.length} assets, ${external.size} external links (not fetched)`);
}

/** A browser context that records every request, response status, failure and CSP violation. */
async function openRecorded(ctx: CaseContext, path: string) {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    (window.__cspViolations ??= []).push(e.violatedDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')');
  });`);
  const log = { foreign: [] as string[], bad: [] as string[], failed: [] as string[], errors: [] as string[], requests: 0 };
  const missing = new URL(MISSING_PAGE, ctx.siteUrl).href;
  context.on('request', (r: Request) => {
    log.requests++;
    const url = r.url();
    if (process.env.MQLAB_CRAWL_DEBUG) console.log(`      ${path} → ${r.resourceType()} ${url.slice(0, 120)}`);
    if (NEVER_LOADED.test(url)) log.bad.push(`requested a file the static crawl assumes is never loaded: ${url}`);
    if (!url.startsWith(`${ctx.origin}/`) && !/^(?:data|blob|about):/.test(url)) log.foreign.push(`${r.resourceType()} ${url}`);
  });
  context.on('response', (r: Response) => {
    if (r.status() >= 400 && r.url() !== missing) log.bad.push(`${r.status()} ${r.url()}`);
  });
  context.on('requestfailed', (r: Request) => {
    const reason = r.failure()?.errorText ?? '';
    if (!/ERR_ABORTED/.test(reason)) log.failed.push(`${r.url()} (${reason})`);
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
  await page.goto(new URL(path, ctx.siteUrl).href, { waitUntil: 'load' });
  return { page, context, log };
}

async function scrollThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(80);
  }
  await page.waitForTimeout(400);
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** The lesson's interactive parts: Monaco (and its workers), a code run, the exercise check. */
async function exerciseLesson(page: Page): Promise<void> {
  const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
  const pre = page.locator(`${runner} [data-code-pre]`);
  await page.locator(runner).scrollIntoViewIfNeeded();
  if (await pre.isVisible()) await pre.click(); // else Monaco already replaced it when it scrolled into view
  await page.locator(`${runner} .monaco-editor`).waitFor({ timeout: 20_000 });
  // Hovering and completing make Monaco use its language worker and codicon font.
  await page.locator(`${runner} .monaco-editor .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\nch.');
  await page.waitForTimeout(1500);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.locator(`${runner} [data-action="run"]`).click();
  await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').trim() !== '', `${runner} [data-run-status]`, { timeout: 15_000 });
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 20_000 });
}

/** Search pages and header search fields: type a query and let the results load. */
async function exerciseSearch(page: Page): Promise<void> {
  const input = page.locator('main input[type="search"]').first();
  if ((await input.count()) === 0) return;
  await input.fill('queue');
  await input.press('Enter');
  await page.waitForTimeout(2000);
}

export const cases: BrowserCase[] = [
  {
    name: 'self-hosting: a crawl of every page under /mq-lab/ finds no broken link or asset (incl. JS/CSS chunks, Monaco workers, fonts)',
    run: staticCrawl,
  },
  {
    name: 'self-hosting: a browser crawl of every page and the lesson\'s interactive parts requests nothing from another host',
    async run(ctx) {
      const problems: string[] = [];
      let total = 0;
      for (const path of [...ctx.distinctPages(), MISSING_PAGE]) {
        const { page, context, log } = await openRecorded(ctx, path);
        await scrollThrough(page);
        if (path === LESSON) await exerciseLesson(page);
        await exerciseSearch(page);
        const toggle = page.locator('button.theme-toggle, [data-theme-toggle]').first();
        if ((await toggle.count()) > 0 && (await toggle.isVisible())) await toggle.click();
        await page.waitForTimeout(300);
        for (const v of await cspViolations(page)) problems.push(`/${path}: CSP violation: ${v}`);
        for (const f of log.foreign) problems.push(`/${path}: request to another host: ${f}`);
        for (const b of log.bad) problems.push(`/${path}: HTTP ${b}`);
        for (const f of log.failed) problems.push(`/${path}: request failed: ${f}`);
        for (const e of log.errors) {
          if (path === MISSING_PAGE && /status of 404\b/.test(e)) continue; // the 404 page's own status
          problems.push(`/${path}: console: ${e}`);
        }
        total += log.requests;
        await context.close();
      }
      assert(total > 20, `only ${total} requests recorded: is the recorder working?`);
      assert(problems.length === 0, `browser crawl problems:\n${problems.slice(0, 60).join('\n')}`);
      console.log(`      browser crawl: ${total} requests, all to ${ctx.origin}`);
    },
  },
];
