/**
 * The code runner is a sandbox: learner programs that try to reach the page, its storage or the network fail; CPU
 * loops, memory blow-ups, console floods and endless publishing end with a clear message; the page's main thread
 * never stalls over 100 ms meanwhile (rAF gap and long-task probe installed before the page's scripts).
 *
 * Programs reach the worker's REAL global with `Function('return this')()` (the runner shadows host globals for
 * fidelity, not for security), so these tests attack the sandbox itself, not the runner's shadowing.
 */
import type { Page } from 'playwright-core';
import { assert } from '../assert.ts';
import type { BrowserCase, CaseContext } from '../context.ts';
import {
  countingServer,
  gaps,
  idleBaseline,
  openWithProgram,
  plantIndexedDb,
  readSecrets,
  runAndWait,
  SECRET,
  traceMainThread,
  type GapReport,
  type MainThreadTasks,
} from './10-sandbox-support.ts';

/** Longest main-thread stall allowed during a run (ms). */
const MAIN_THREAD_GAP_MAX_MS = 100;

/** An idle page whose longest frame gap is above this (ms) is on an overloaded machine. */
const OVERLOADED_IDLE_GAP_MS = 50;

/** One program run on a fresh lesson page, with the page's main thread measured around it. */
interface MeasuredRun {
  page: Page;
  /** Closes the page's browser context. */
  close(): Promise<void>;
  run: { wallMs: number; status: string; console: string };
  /** The probe (long tasks, frame gaps) from the click on Run to `settleMs` after the run ended. */
  report: GapReport;
  /** The probe on the idle page just before the run. */
  baseline: GapReport;
  /** Main-thread tasks from the Chromium trace over the same window. */
  tasks: MainThreadTasks;
}

/** Opens the lesson with `program` in its runner, measures the idle page, then runs it under the probe and a trace. */
async function measuredRun(ctx: CaseContext, program: string, settleMs?: number): Promise<MeasuredRun> {
  const { page, context } = await openWithProgram(ctx, program);
  const baseline = await idleBaseline(page);
  let run = { wallMs: 0, status: '', console: '' };
  let report = baseline;
  const tasks = await traceMainThread(page, async () => {
    run = await runAndWait(page);
    report = await gaps(page, settleMs);
  });
  return { page, close: () => context.close(), run, report, baseline, tasks };
}

/**
 * The page kept answering during `measured` (the "no main-thread gap over 100 ms"), else throws:
 * - no task of the page's main thread used more than 100 ms of CPU (Chromium trace, `tdur`): the work the page
 *   itself did, whatever else the machine runs. Asserted on every run.
 * - no main-thread long task over 100 ms of wall-clock time (the Long Tasks probe), unless the idle page measured
 *   just before shows frame gaps over `OVERLOADED_IDLE_GAP_MS` (another job on the 2 cores). A wall-clock stall
 *   must repeat to count: on 2 cores the learner's worker keeps one core busy while the page, its compositor, the
 *   GPU process and the sandbox's process share the other, and the OS can hold a 30 ms-CPU task off the CPU for
 *   100 ms (seen in CI: 49 ms CPU took 145 ms). So a first stall is printed and `program` is measured once more
 *   on a fresh page; the case fails if the second run stalls too (or uses too much CPU).
 * Gaps between animation frames are printed, not asserted: a frame can come late while the main thread is free
 * (seen in CI: a 117 ms frame gap with no main-thread task over 74 ms).
 */
async function assertResponsive(ctx: CaseContext, program: string, measured: MeasuredRun, what: string,
  settleMs?: number): Promise<void> {
  const stall = checkResponsive(measured, what);
  if (stall === undefined) return;
  console.log(`      ${what}: ${stall}; measuring a second run on a fresh page (a wall-clock stall must repeat)`);
  await measured.close();
  const again = checkResponsive(await measuredRun(ctx, program, settleMs), `${what} (second run)`);
  assert(again === undefined, `${what}: a wall-clock stall in two runs; first: ${stall}; second: ${again}`);
}

/** Prints the numbers of `measured` and asserts its CPU bound; returns the wall-clock stall, if any. */
function checkResponsive({ report, baseline, tasks }: MeasuredRun, what: string): string | undefined {
  const overloaded = baseline.maxFrameGapMs > OVERLOADED_IDLE_GAP_MS;
  console.log(`      ${what}: main-thread tasks: longest ${tasks.maxCpuMs} ms CPU / ${tasks.maxWallMs} ms wall `
    + `(${tasks.tasks} tasks); probe: longest long task ${report.maxLongTaskMs} ms, longest frame gap `
    + `${report.maxFrameGapMs} ms (idle page: ${baseline.maxFrameGapMs} ms${overloaded ? ', machine overloaded: wall-clock not asserted' : ''})`);
  assert(tasks.tasks > 10, `${what}: the trace saw only ${tasks.tasks} main-thread tasks`);
  assert(tasks.maxCpuMs <= MAIN_THREAD_GAP_MAX_MS,
    `${what}: a main-thread task used ${tasks.maxCpuMs} ms of CPU (limit ${MAIN_THREAD_GAP_MAX_MS}): ${report.log.join('; ')}`);
  assert(report.frames > 10, `${what}: the probe saw only ${report.frames} animation frames`);
  if (overloaded || report.maxLongTaskMs <= MAIN_THREAD_GAP_MAX_MS) return undefined;
  return `a main-thread task took ${report.maxLongTaskMs} ms (limit ${MAIN_THREAD_GAP_MAX_MS}): ${report.log.join('; ')}`;
}

/** Prints `name: outcome` for each attempt; `outcome` starts with "REACHED" if the attempt got through. */
const PAGE_ATTACKS = `
const g = Function('return this')();
const say = (name, outcome) => console.log(name + ': ' + outcome);
const attempt = async (name, fn) => {
  try { say(name, 'REACHED ' + String(await fn()).slice(0, 60)); } catch (e) { say(name, 'blocked ' + (e && e.name)); }
};
await attempt('document', () => { if (typeof g.document === 'undefined') throw { name: 'no-document' }; return g.document.title; });
await attempt('parent', () => { if (!g.parent) throw { name: 'no-parent' }; return g.parent.document.body.innerHTML; });
await attempt('dom-write', () => { g.document.body.textContent = 'owned'; return 'written'; });
await attempt('cookie', () => { if (!g.document) throw { name: 'no-document' }; return g.document.cookie; });
await attempt('cookieStore', () => g.cookieStore.getAll());
await attempt('localStorage', () => g.localStorage.getItem('mqlab-test-secret'));
await attempt('localStorage-write', () => { g.localStorage.setItem('mqlab-test-secret', 'owned'); return 'written'; });
await attempt('sessionStorage', () => g.sessionStorage.getItem('x'));
await attempt('indexedDB', () => new Promise((ok, ko) => {
  const r = g.indexedDB.open('mqlab-test-secret', 1);
  r.onsuccess = () => ok(r.result.objectStoreNames.length + ' stores');
  r.onerror = () => ko(r.error);
}));
await attempt('caches', () => g.caches.keys());
await attempt('origin', () => { if (g.origin !== 'null') return g.origin; throw { name: 'opaque-origin' }; });
`;

export const cases: BrowserCase[] = [
  {
    name: 'sandbox: learner code cannot read or change the page\'s DOM, cookies, localStorage or IndexedDB',
    async run(ctx) {
      const opened = await openWithProgram(ctx, PAGE_ATTACKS);
      const { page } = opened;
      await plantIndexedDb(page);
      const before = await readSecrets(page);
      assert(before.cookie.includes(SECRET) && before.local === SECRET && before.idb === SECRET,
        `the secrets were not planted: ${JSON.stringify(before)}`);
      const title = await page.title();
      const bodyLength = await page.evaluate(() => document.body.innerHTML.length);

      const { console: out, status } = await runAndWait(page);
      for (const name of ['document', 'parent', 'dom-write', 'cookie', 'cookieStore', 'localStorage',
        'localStorage-write', 'sessionStorage', 'indexedDB', 'caches', 'origin']) {
        assert(new RegExp(`${name}: blocked`).test(out), `"${name}" was not blocked. Console:\n${out}\nStatus: ${status}`);
      }
      assert(!/REACHED/.test(out), `an attempt got through:\n${out}`);
      assert(/Finished/.test(status), `the probe program did not finish normally: ${status}`);

      const after = await readSecrets(page);
      assert(JSON.stringify(after) === JSON.stringify(before),
        `the page's storage changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      assert((await page.title()) === title, 'the page title changed');
      const bodyAfter = await page.evaluate(() => document.body.innerHTML.length);
      assert(Math.abs(bodyAfter - bodyLength) < 50_000 && !(await page.evaluate(() => document.body.textContent === 'owned')),
        'the page body was replaced');
      const sandbox = await page.locator('iframe[data-mqlab-sandbox]').first().getAttribute('sandbox');
      assert(sandbox === 'allow-scripts', `the runner frame's sandbox attribute is "${sandbox}"`);
    },
  },
  {
    name: 'sandbox: fetch, XHR, WebSocket, EventSource, importScripts and import() of any URL fail and no request leaves',
    async run(ctx) {
      const server = await countingServer();
      try {
        // Control: the browser can reach the counting server when no sandbox is in the way.
        const control = await ctx.browser.newContext();
        const controlPage = await control.newPage();
        await controlPage.goto(`http://127.0.0.1:${server.port}/control`);
        await control.close();
        const baseline = server.connections();
        assert(baseline >= 1, 'the control request did not reach the counting server (the test could not fail)');

        const foreign = `http://127.0.0.1:${server.port}`;
        const program = `
const g = Function('return this')();
const say = (name, outcome) => console.log(name + ': ' + outcome);
// The runner ends once the simulation is idle; host events (a socket's error) are waited for by stepping virtual
// timers (each step hands the worker's event loop a turn) for up to 1.5 s of real time.
const hostWait = async (p) => {
  let done = false, value, error;
  p.then((v) => { done = true; value = v; }, (e) => { done = true; error = e || { name: 'rejected' }; });
  const t0 = g.performance.now();
  while (!done && g.performance.now() - t0 < 1500) await new Promise((r) => setTimeout(r, 1));
  if (!done) throw { name: 'no-answer' };
  if (error) throw error;
  return value;
};
const settle = (name, p) => hostWait(p).then((v) => say(name, 'REACHED ' + String(v).slice(0, 40)), (e) => say(name, 'blocked ' + (e && (e.name || e))));
const timeout = (ms) => hostWait(new Promise((ok) => g.setTimeout(ok, ms)));
await settle('fetch', g.fetch('${foreign}/fetch').then((r) => r.text()));
await settle('fetch-site', g.fetch('${ctx.siteUrl}').then((r) => r.status));
await settle('xhr', new Promise((ok, ko) => {
  const x = new g.XMLHttpRequest(); x.open('GET', '${foreign}/xhr');
  x.onload = () => ok(x.status); x.onerror = () => ko({ name: 'xhr-error' }); x.send();
}));
await settle('websocket', new Promise((ok, ko) => {
  try { const w = new g.WebSocket('${foreign.replace('http', 'ws')}/ws'); w.onopen = () => ok('open'); w.onerror = () => ko({ name: 'ws-error' }); }
  catch (e) { ko(e); }
}));
await settle('eventsource', new Promise((ok, ko) => {
  try { const s = new g.EventSource('${foreign}/es'); s.onopen = () => ok('open'); s.onerror = () => { s.close(); ko({ name: 'es-error' }); }; }
  catch (e) { ko(e); }
}));
await settle('sendBeacon', new Promise((ok, ko) => {
  if (!g.navigator.sendBeacon) return ko({ name: 'no-sendBeacon' });
  g.navigator.sendBeacon('${foreign}/beacon', 'x') ? ok('queued') : ko({ name: 'refused' });
}));
await settle('importScripts', new Promise((ok, ko) => { try { g.importScripts('${foreign}/imp.js'); ok('loaded'); } catch (e) { ko(e); } }));
await settle('import', g.eval("import('${foreign}/dyn.js')"));
await settle('worker', new Promise((ok, ko) => { try { const w = new g.Worker('${foreign}/w.js'); w.onerror = () => ko({ name: 'worker-error' }); g.setTimeout(() => ko({ name: 'no-load' }), 300); } catch (e) { ko(e); } }));
await timeout(300);
`;
        const opened = await openWithProgram(ctx, program);
        const finished: string[] = [];
        opened.context.on('requestfinished', (request) => {
          if (request.url().startsWith(foreign)) finished.push(request.url());
        });
        const { console: out, status } = await runAndWait(opened.page);
        for (const name of ['fetch', 'fetch-site', 'xhr', 'websocket', 'eventsource', 'sendBeacon', 'importScripts',
          'import', 'worker']) {
          assert(new RegExp(`${name}: blocked`).test(out), `"${name}" was not blocked. Console:\n${out}\nStatus: ${status}`);
        }
        assert(!/REACHED/.test(out), `a request got through:\n${out}`);
        await opened.page.waitForTimeout(1000);
        assert(server.connections() === baseline,
          `${server.connections() - baseline} connection(s) reached the server from the sandbox`);
        assert(finished.length === 0, `requests to another host completed: ${finished.join(', ')}`);
      } finally {
        await server.close();
      }
    },
  },
  {
    name: 'sandbox: a page-forged result is refused with a clear message and the page stays intact',
    async run(ctx) {
      // The program hijacks MessagePort.prototype.postMessage (the runner's reporting channel) to send a malformed
      // result instead of the real one.
      const program = `
const g = Function('return this')();
const real = g.MessagePort.prototype.postMessage;
g.MessagePort.prototype.postMessage = function (message) {
  if (message && message.type === 'done') return real.call(this, { type: 'done', result: { status: 'completed', endedAtMs: 1, trace: 'not a trace', console: [] } });
  return real.apply(this, arguments);
};
console.log('forging');
`;
      const opened = await openWithProgram(ctx, program);
      const { status } = await runAndWait(opened.page);
      assert(/could not read/i.test(status), `a forged result was not refused: ${status}`);
      assert(opened.errors.length === 0, `the page logged errors: ${opened.errors.join('\n')}`);
    },
  },
  {
    name: 'sandbox: a CPU loop is stopped within 2 s and the main thread never stalls over 100 ms',
    async run(ctx) {
      const program = 'let n = 0;\nwhile (true) { n++; }\n';
      const measured = await measuredRun(ctx, program);
      const { page, run: { wallMs, status } } = measured;
      console.log(`      cpu loop: stopped ${wallMs} ms after the click on Run`);
      assert(/ran for more than 1\.5 seconds/.test(status), `status: ${status}`);
      assert(wallMs < 3_000, `stopped ${wallMs} ms after Run (watchdog 2 s)`);
      // The stopped run's frame is gone; only the next run's warm frame remains.
      assert((await page.locator('iframe[data-mqlab-sandbox]').count()) <= 1, 'the stopped sandbox frame was not removed');
      await assertResponsive(ctx, program, measured, 'cpu loop');
    },
  },
  {
    name: 'sandbox: a memory blow-up (growing arrays) is stopped and the page survives',
    async run(ctx) {
      const program = [
        'const hoard = [];',
        'for (let i = 0; ; i++) hoard.push(new Array(1_000_000).fill(i));',
      ].join('\n');
      const measured = await measuredRun(ctx, program);
      const { page, run: { wallMs, status } } = measured;
      console.log(`      memory blow-up: stopped ${wallMs} ms after the click on Run: "${status}"`);
      assert(/ran for more than 1\.5 seconds|too much memory/.test(status), `status: ${status}`);
      assert(wallMs < 3_000, `stopped ${wallMs} ms after Run`);
      // The page still works: a normal program runs afterwards.
      assert(await page.evaluate(() => document.querySelector('[data-code-runner]') !== null), 'the page lost its runner');
      await assertResponsive(ctx, program, measured, 'memory blow-up');
    },
  },
  {
    name: 'sandbox: a console flood is capped with a notice and the page keeps answering',
    async run(ctx) {
      const program = [
        "for (let i = 0; i < 200_000; i++) console.log('flood line', i);",
        "console.log('x'.repeat(2_000_000));",
      ].join('\n');
      const measured = await measuredRun(ctx, program);
      const { page, run: { console: out, status } } = measured;
      assert(/lines not shown here/.test(out), `no "not shown" notice in the panel:\n${out.slice(-500)}`);
      // The panel keeps the first 300 and the last 100 program lines (console-panel.ts).
      const shown = await page.locator('[data-code-runner] [data-console] .console-line:not(.console-line--note)').count();
      assert(shown <= 400, `${shown} program lines in the panel`);
      assert(/Finished/.test(status), `status: ${status}`);
      await assertResponsive(ctx, program, measured, 'console flood');
    },
  },
  {
    name: 'sandbox: a long console line is cut with a notice',
    async run(ctx) {
      const opened = await openWithProgram(ctx, "console.log('y'.repeat(3_000_000));\nconsole.log('after');\n");
      const { console: out, status } = await runAndWait(opened.page);
      assert(/more characters not shown/.test(out), `no truncation notice:\n${out.slice(0, 300)}…${out.slice(-300)}`);
      assert(out.length < 100_000, `the panel holds ${out.length} characters`);
      assert(/after/.test(out) && /Finished/.test(status), `status: ${status}`);
    },
  },
  {
    name: 'sandbox: a program that publishes without end hits the messages-in-flight limit; the page keeps answering',
    async run(ctx) {
      const program = [
        "const amqp = require('amqplib');",
        "const conn = await amqp.connect('amqp://localhost');",
        'const ch = await conn.createChannel();',
        "await ch.assertQueue('flood');",
        "while (true) ch.sendToQueue('flood', Buffer.from('x'));",
      ].join('\n');
      // 1.5 s after the run: the trace's hand-off to the view and its first frames are measured too.
      const measured = await measuredRun(ctx, program, 1_500);
      const { run: { wallMs, status } } = measured;
      console.log(`      endless publishing: ended ${wallMs} ms after the click on Run: "${status}"`);
      assert(/messagesInFlightMax/.test(status), `status does not name the limit: ${status}`);
      await assertResponsive(ctx, program, measured, 'endless publishing', 1_500);
    },
  },
];
