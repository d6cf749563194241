/**
 * `npm run dev` on a fresh clone (issue 11, set-up): with an empty Vite dependency cache the very first visit of the
 * lesson must work — no "504 Outdated Optimize Dep", no reload half-way, the simulation starts and code runs —
 * and the dev-only search page explains that search needs a build, with its words spaced as written.
 *
 * Starts `astro dev` on a free port with its own empty Vite cache (`MQLAB_VITE_CACHE_DIR`, read by
 * astro.config.mjs), so it neither needs nor disturbs the developer's `node_modules/.vite`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';

const root = resolve(import.meta.dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Starts `astro dev`; resolves with its URL once it listens. */
async function startDev(cacheDir: string): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', MQLAB_VITE_CACHE_DIR: cacheDir, BASE_PATH: '/' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk; });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk; });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 90_000;
  while (!/watching for file changes|ready in/i.test(output)) {
    if (child.exitCode !== null) throw new Error(`astro dev exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`astro dev did not start within 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, log: () => output };
}

function stop(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the dev server and the esbuild service it started
    } catch {
      child.kill('SIGTERM');
    }
  }
}

export const cases: BrowserCase[] = [
  {
    name: 'dev server: with an empty Vite cache the first visit of the lesson works (no 504 Outdated Optimize Dep); the dev search page reads right',
    async run(ctx) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'mqlab-vite-cache-'));
      const dev = await startDev(cacheDir);
      const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        const bad: string[] = [];
        page.on('response', (r) => { if (r.status() >= 400) bad.push(`${r.status()} ${r.statusText()} ${r.url()}`); });
        page.on('pageerror', (e) => bad.push(`pageerror: ${e.message}`));
        let loads = 0;
        page.on('load', () => { loads++; });
        await page.goto(`${dev.url}lessons/01-work-queue/`, { waitUntil: 'load', timeout: 120_000 });
        await page.waitForSelector('[data-mq-sim][data-ready="true"]', { timeout: 60_000 });
        const runner = '[data-code-runner][data-runner-id="01-first-worker"]';
        // The runner starts when it comes near the viewport, as when a learner scrolls to it.
        await page.locator(runner).scrollIntoViewIfNeeded();
        await page.locator(`${runner} [data-action="run"]`).click();
        await page.waitForFunction((sel) => /Finished|Error|Stopped/.test(document.querySelector(sel)?.textContent ?? ''),
          `${runner} [data-run-status]`, { timeout: 60_000 });
        const status = (await page.locator(`${runner} [data-run-status]`).textContent()) ?? '';
        assert(/^Finished/.test(status), `the first visit's code run: ${status}`);
        assert(loads === 1, `the first visit reloaded itself (${loads} loads): Vite re-optimised a dependency late\n${dev.log().slice(-2000)}`);
        assert(bad.length === 0, `the first visit on a fresh dev server failed:\n${bad.join('\n')}\n${dev.log().slice(-2000)}`);
        assert(!/optimized dependencies changed/.test(dev.log()), `Vite found a dependency late:\n${dev.log().slice(-2000)}`);

        await page.goto(`${dev.url}search/`, { waitUntil: 'load' });
        const note = (await page.locator('[data-search-dev-note]').innerText()).replace(/\s+/g, ' ');
        assert(/Try it with npm run build && npm run preview\./.test(note), `dev search note reads: "${note}"`);
      } finally {
        await context.close();
        stop(dev.child);
        rmSync(cacheDir, { recursive: true, force: true });
      }
    },
  },
];
