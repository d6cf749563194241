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
  const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', MQLAB_VITE_CACHE_DIR: cacheDir, BASE_PATH: '/' };
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env,
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

/** Lines of the dev server's log that say why a page reloaded: a restart, a reload, a re-optimisation. */
function reloadCauses(log: string): string[] {
  return log.split('\n').filter((line) => /restart|reload|optimi[sz]|changed/i.test(line)).map((line) => line.trim()).slice(-8);
}

/** What one first visit saw: page loads, failed responses, the code run's status, the dev server's log. */
interface FirstVisit {
  loads: number;
  bad: string[];
  status: string;
  log: string;
}

/**
 * Starts `astro dev` with an empty Vite cache, opens lesson 1 once, waits for the simulation, runs the first
 * example, and stops the server. Also checks the dev-only search page on the same server.
 */
async function firstVisit(ctx: Parameters<BrowserCase['run']>[0]): Promise<FirstVisit> {
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

    await page.goto(`${dev.url}search/`, { waitUntil: 'load' });
    const note = (await page.locator('[data-search-dev-note]').innerText()).replace(/\s+/g, ' ');
    assert(/Try it with npm run build && npm run preview\./.test(note), `dev search note reads: "${note}"`);
    return { loads, bad, status, log: dev.log() };
  } finally {
    await context.close();
    stop(dev.child);
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

export const cases: BrowserCase[] = [
  {
    name: 'dev server: with an empty Vite cache the first visit of the lesson works (no 504 Outdated Optimize Dep); the dev search page reads right',
    async run(ctx) {
      const visit = await firstVisit(ctx);
      const why = `\n${reloadCauses(visit.log).join('\n')}\n${visit.log.slice(-2000)}`;
      assert(/^Finished/.test(visit.status), `the first visit's code run: ${visit.status}`);
      assert(visit.bad.length === 0, `the first visit on a fresh dev server failed:\n${visit.bad.join('\n')}${why}`);
      // Vite logs "optimized dependencies changed. reloading" whenever its optimiser reloads the page (a dependency
      // found late: the 504 "Outdated Optimize Dep" of issue 11). Astro's content layer may also reload a page once,
      // right after its first connection, when it writes its data store (.astro/data-store.json; Astro's
      // vite-plugin-content-virtual-mod.js, invalidateDataStore → full-reload): seen in full runs, harmless (the
      // page comes back at once and works, as the run above shows), and not ours to change. More than one reload is.
      assert(!/optimized dependencies changed|Outdated Optimize Dep/.test(visit.log), `Vite found a dependency late:${why}`);
      assert(visit.loads <= 2, `the first visit loaded ${visit.loads} times${why}`);
      if (visit.loads === 2) console.log('      the first visit loaded twice: Astro\'s content layer reloaded it once (not Vite\'s optimiser)');
    },
  },
];
