/**
 * Helpers of the sandbox browser tests (`10-sandbox.ts`): open the lesson with a learner program already stored as
 * the runner's edit, plant secrets the program must not reach, probe the page's main thread, run and read results.
 */
import { createServer, type Server } from 'node:net';
import type { Page } from 'playwright-core';
import type { BrowserCase, CaseContext, OpenedPage } from '../context.ts';

/** Helpers only (the runner loads every file in cases/). */
export const cases: BrowserCase[] = [];

export const LESSON = 'lessons/01-work-queue/';
export const RUNNER_ID = '01-first-worker';
export const RUNNER = `[data-code-runner][data-runner-id="${RUNNER_ID}"]`;
export const SECRET = 's3cret-7f1c';

/** What the page's main-thread probe measured since its last reset (ms). */
export interface GapReport {
  /** Longest time between two animation frames. */
  maxFrameGapMs: number;
  /** Longest 'longtask' entry (tasks over 50 ms), 0 if none. */
  maxLongTaskMs: number;
  frames: number;
  /** Frame gaps over 50 ms and long tasks, with their time after the reset (for failure messages). */
  log: string[];
}

/**
 * Runs in the top page before its scripts: stores `program` as the runner's edit (the runner shows and runs it),
 * sets a cookie and a localStorage secret, and starts a main-thread probe (`window.__mqlabProbe`): a
 * requestAnimationFrame loop recording the longest gap between frames, and a PerformanceObserver of long tasks.
 */
function initScript(program: string): string {
  return `(() => {
    if (window.top !== window) return;
    try {
      localStorage.setItem(${JSON.stringify(`mqlab:code:v1:${RUNNER_ID}`)}, JSON.stringify({ code: ${JSON.stringify(program)}, savedAt: 1 }));
      localStorage.setItem('mqlab-test-secret', ${JSON.stringify(SECRET)});
      document.cookie = 'mqlab_test_secret=${SECRET}; path=/; SameSite=Strict';
    } catch (e) { console.error('init script: ' + e); }
    const probe = { maxFrameGapMs: 0, maxLongTaskMs: 0, frames: 0, last: 0, since: 0, log: [] };
    probe.reset = () => { probe.maxFrameGapMs = 0; probe.maxLongTaskMs = 0; probe.frames = 0; probe.last = 0; probe.since = performance.now(); probe.log = []; };
    const tick = (now) => {
      if (probe.last !== 0 && now - probe.last > 50) probe.log.push('frame gap ' + Math.round(now - probe.last) + ' ms at +' + Math.round(probe.last - probe.since));
      if (probe.last !== 0) probe.maxFrameGapMs = Math.max(probe.maxFrameGapMs, now - probe.last);
      probe.last = now;
      probe.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.startTime < probe.since) continue;
          probe.maxLongTaskMs = Math.max(probe.maxLongTaskMs, entry.duration);
          const who = (entry.attribution || []).map((a) => a.containerType + ':' + (a.containerSrc || a.name)).join(',');
          probe.log.push('long task ' + Math.round(entry.duration) + ' ms at +' + Math.round(entry.startTime - probe.since) + ' ' + entry.name + ' ' + who);
        }
      }).observe({ type: 'longtask' });
    } catch {}
    window.__mqlabProbe = probe;
  })();`;
}

/** Opens the lesson with `program` as the runner's code, scrolled to the runner (its sandbox warms up). */
export async function openWithProgram(ctx: CaseContext, program: string): Promise<OpenedPage> {
  const opened = await ctx.openPage(LESSON, { initScript: initScript(program) });
  const { page } = opened;
  await page.locator(RUNNER).scrollIntoViewIfNeeded();
  // Scrolling the runner into view loads Monaco and warms the sandbox: wait for both to settle, so the probe
  // measures the run, not the editor's start-up.
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-editor') === 'monaco', RUNNER,
    { timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('iframe[data-mqlab-sandbox]') !== null, null, { timeout: 10_000 });
  // Pause the lesson's autoplaying animation: the probe then measures what the runner costs the page.
  await page.evaluate(() => {
    const sim = document.querySelector<HTMLElement>('[data-mq-sim]');
    if (sim?.dataset.state === 'playing') sim.querySelector<HTMLButtonElement>('[data-action="toggle"]')?.click();
  });
  await page.waitForTimeout(1_500);
  return opened;
}

/** Plants an IndexedDB record `mqlab-test-secret/kv/secret = SECRET` in the page's origin. */
export async function plantIndexedDb(page: Page): Promise<void> {
  await page.evaluate((secret) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('mqlab-test-secret', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('kv');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('kv', 'readwrite');
      tx.objectStore('kv').put(secret, 'secret');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), SECRET);
}

/** The page's secrets as the page sees them now. */
export async function readSecrets(page: Page): Promise<{ cookie: string; local: string | null; idb: unknown; databases: string[] }> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('mqlab-test-secret', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('kv').objectStore('kv').get('secret');
      get.onsuccess = async () => {
        open.result.close();
        const databases = (await indexedDB.databases()).map((d) => d.name ?? '').sort();
        resolve({ cookie: document.cookie, local: localStorage.getItem('mqlab-test-secret'), idb: get.result, databases });
      };
      get.onerror = () => reject(get.error);
    };
  }));
}

/** Clicks Run, waits for the run to end; returns the wall time from click to the end and the console/status text. */
export async function runAndWait(page: Page, timeoutMs = 15_000): Promise<{ wallMs: number; console: string; status: string }> {
  await page.evaluate(() => (window as unknown as { __mqlabProbe: { reset(): void } }).__mqlabProbe.reset());
  const started = Date.now();
  await page.locator(`${RUNNER} [data-action="run"]`).click();
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-running') === 'true', RUNNER,
    { timeout: 5_000, polling: 5 }).catch(() => {});
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-running') === 'false', RUNNER,
    { timeout: timeoutMs, polling: 10 });
  const wallMs = Date.now() - started;
  const consoleText = (await page.locator(`${RUNNER} [data-console]`).textContent()) ?? '';
  const status = (await page.locator(`${RUNNER} [data-run-status]`).textContent()) ?? '';
  return { wallMs, console: consoleText, status };
}

/** The main-thread probe's numbers since the last `runAndWait` (after `settleMs` more ms, to include the hand-off). */
export async function gaps(page: Page, settleMs = 700): Promise<GapReport> {
  await page.waitForTimeout(settleMs);
  return page.evaluate(() => {
    const p = (window as unknown as { __mqlabProbe: GapReport }).__mqlabProbe;
    return { maxFrameGapMs: Math.round(p.maxFrameGapMs), maxLongTaskMs: Math.round(p.maxLongTaskMs), frames: p.frames, log: p.log };
  });
}

/** Main-thread tasks of the page's renderer while `during` ran, from a Chromium trace (ms). */
export interface MainThreadTasks {
  /** Longest task in wall-clock time. */
  maxWallMs: number;
  /** Longest task in CPU time of the main thread (what the page itself spent; not stretched by other processes). */
  maxCpuMs: number;
  /** Number of tasks seen. */
  tasks: number;
}

/**
 * Records a Chromium trace (toplevel tasks) while `during` runs and measures the page's main thread: the renderer
 * main thread of the process that hosts the page's top frame (the sandbox frame and the worker are elsewhere).
 */
export async function traceMainThread(page: Page, during: () => Promise<void>): Promise<MainThreadTasks> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser for tracing');
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline', '__metadata'] });
  let events: TraceEvent[] = [];
  try {
    await during();
  } finally {
    const buffer = await browser.stopTracing();
    events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  }
  const pageUrl = page.url();
  let pagePid: number | undefined;
  for (const e of events) {
    const frames = (e.args?.data as { frames?: Array<{ processId: number; url: string; parent?: string }> } | undefined)?.frames;
    const top = frames?.find((f) => f.parent === undefined && f.url === pageUrl) ?? frames?.find((f) => f.parent === undefined);
    if (e.name === 'TracingStartedInBrowser' && top) pagePid = top.processId;
  }
  const mainTid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pagePid
    && (e.args?.name as string | undefined) === 'CrRendererMain')?.tid;
  if (pagePid === undefined || mainTid === undefined) throw new Error('the trace has no main thread of the page');
  let maxWallMs = 0;
  let maxCpuMs = 0;
  let tasks = 0;
  for (const e of events) {
    if (e.pid !== pagePid || e.tid !== mainTid || e.ph !== 'X' || e.name !== 'RunTask') continue;
    tasks++;
    maxWallMs = Math.max(maxWallMs, (e.dur ?? 0) / 1000);
    maxCpuMs = Math.max(maxCpuMs, (e.tdur ?? e.dur ?? 0) / 1000);
  }
  return { maxWallMs: Math.round(maxWallMs), maxCpuMs: Math.round(maxCpuMs), tasks };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: Record<string, unknown>;
}

/** The probe's numbers for `ms` of an idle page (no run): what the machine's load alone costs the page. */
export async function idleBaseline(page: Page, ms = 2_500): Promise<GapReport> {
  await page.evaluate(() => (window as unknown as { __mqlabProbe: { reset(): void } }).__mqlabProbe.reset());
  return gaps(page, ms);
}

/** A TCP server on 127.0.0.1 that counts every connection (HTTP, WebSocket, anything) and answers HTTP 200. */
export interface CountingServer {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function countingServer(): Promise<CountingServer> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\naccess-control-allow-origin: *\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('counting server has no port');
  return {
    port: address.port,
    connections: () => count,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
