/**
 * Site benchmarks: the time of `astro build` (into a temporary outDir), and in headless Chromium (playwright-core)
 * the JavaScript weight of the lesson page before any interaction (gzip bytes, with proof that the editor's chunks
 * load only on demand) and the frame rate of the D3 view while ≥ 1,000 messages are in flight.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { runWorkQueue } from '../simulator/brokers/amqp/scenarios/work-queue.ts';
import { createSnapshotCursor } from '../simulator/brokers/amqp/fold.ts';
import { serveStatic, type StaticServer } from '../test/support/static-server.ts';

export const LESSON_PATH = 'lessons/01-work-queue/';
/** Chunks of the code editor (Monaco, its workers, the TypeScript language service): on demand only. */
export const EDITOR_CHUNK = /monaco-editor\.|editor\.worker|ts\.worker|tsMode|\/typescript\.[\w-]+\.js/;
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Chromium to drive: $CHROMIUM_PATH, else Debian's. Undefined if none is installed. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
    .find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
}

/**
 * Builds the site into a fresh temporary folder; returns the folder and the wall time of `astro build` in ms.
 * Astro keeps intermediate files in the project's `.astro/` folder, so another build running in the same checkout
 * at the same time can break this one ("Cannot find module …/.astro/.prerender/…"): a failed build is retried
 * up to `attempts` times and the time of the successful one is reported.
 */
export function timeBuild(root: string, attempts = 3): { outDir: string; wallMs: number } {
  for (let attempt = 1; ; attempt++) {
    try {
      return buildOnce(root);
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(`[bench] build attempt ${attempt} failed, retrying: ${String(error).slice(0, 300)}\n`);
    }
  }
}

function buildOnce(root: string): { outDir: string; wallMs: number } {
  const outDir = mkdtempSync(join(tmpdir(), 'mqlab-bench-'));
  const startMs = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir], {
    cwd: root, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', BASE_PATH: '/' }, encoding: 'utf8',
  });
  const wallMs = performance.now() - startMs;
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`astro build failed (exit ${result.status}):\n${(result.stderr || result.stdout).slice(-2000)}`);
  }
  return { outDir, wallMs };
}

export interface PageWeight {
  /** gzip (level 6) bytes of every JavaScript response before any interaction. */
  gzipBytes: number;
  rawBytes: number;
  files: number;
  /** Editor chunks requested before interaction (must be none). */
  editorBefore: string[];
  /** Editor chunks requested after clicking the code (must be some). */
  editorAfter: string[];
}

/** Loads the lesson, waits for the network to settle, sums its JS; then clicks the code and sees Monaco arrive. */
export async function measurePageWeight(browser: Browser, server: StaticServer): Promise<PageWeight> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const js = new Map<string, Buffer>();
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  context.on('response', (response) => {
    const url = response.url();
    if (!/\.m?js(\?|$)/.test(url) && response.request().resourceType() !== 'script') return;
    response.body().then((body) => js.set(url, body), () => undefined);
  });
  const page = await context.newPage();
  await page.goto(new URL(LESSON_PATH, server.url).href, { waitUntil: 'networkidle' });
  await page.waitForTimeout(1500);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const body of js.values()) {
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 6 }).length;
  }
  const files = js.size;
  const editorBefore = requested.filter((u) => EDITOR_CHUNK.test(u));
  await page.locator('[data-code-pre]').first().click();
  await page.locator('[data-code-runner] .monaco-editor').first().waitFor({ timeout: 30_000 });
  const editorAfter = requested.filter((u) => EDITOR_CHUNK.test(u));
  await context.close();
  return { gzipBytes, rawBytes, files, editorBefore, editorAfter };
}

export interface RenderMeasurement {
  /** Median frames per second over the window (1000 / median rAF interval). */
  fpsMedian: number;
  /** Frames per second over the whole window (frames / wall time): lower than the median when some frames are long. */
  fpsMean: number;
  /** 95th-percentile rAF interval (ms). */
  p95FrameMs: number;
  /** Longest rAF interval in the window (ms). */
  longestFrameMs: number;
  frames: number;
  /** Fewest messages in flight in the view at any simulated instant of the window (from the trace's snapshots). */
  inFlightMin: number;
  simFromMs: number;
  simToMs: number;
}

/**
 * The load: a work-queue run with 5,000 msg/s, 8 workers with unlimited prefetch and the lesson's 100 ms latency,
 * so ≈ 1,500 messages are on the wire (publishes, deliveries, acks) at once from 0.5 s to ~5.5 s.
 */
export function renderLoadTrace() {
  return runWorkQueue({
    producerRatePerSec: 5000, messageCount: 27_500, consumerCount: 8, prefetch: 0, processingMs: 1, ackMode: 'manual',
    crashes: [],
  }, { seed: 1, untilMs: 3_600_000, latencyMs: 100 });
}

/**
 * Opens the lesson, hands the island the load trace through its public `mqlab:trace` event, waits until the
 * simulated clock passes 1 s, then records requestAnimationFrame intervals for `windowMs` of wall time.
 */
export async function measureRendering(browser: Browser, server: StaticServer, windowMs = 3000): Promise<RenderMeasurement> {
  const run = renderLoadTrace();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'no-preference' });
  const page = await context.newPage();
  await page.goto(new URL(LESSON_PATH, server.url).href, { waitUntil: 'networkidle' });
  await page.locator('[data-mq-sim]').first().scrollIntoViewIfNeeded();
  await page.locator('[data-mq-sim] svg').first().waitFor({ timeout: 20_000 });
  const result = await page.evaluate(async ({ trace, endedAtMs, windowMs }) => {
    const clock = () => {
      const m = /([\d.]+)\s*s/.exec(document.querySelector('[data-mq-sim] [data-clock]')?.textContent ?? '');
      return m ? Number(m[1]) * 1000 : 0;
    };
    document.dispatchEvent(new CustomEvent('mqlab:trace', { detail: { trace, endedAtMs, source: 'code', label: 'benchmark load' } }));
    const frame = () => new Promise<number>((ok) => requestAnimationFrame(ok));
    const deadline = performance.now() + 30_000;
    const banner = () => document.querySelector<HTMLElement>('[data-mq-sim] [data-source-banner]');
    // The island shows the new run once its banner appears and its clock restarted from 0.
    while ((banner()?.hidden ?? true) && performance.now() < deadline) await frame();
    while (clock() >= 1000 && performance.now() < deadline) await frame();
    while (clock() < 1000 && performance.now() < deadline) await frame();
    const simFromMs = clock();
    const stamps: number[] = [await frame()];
    while (stamps[stamps.length - 1] - stamps[0] < windowMs) stamps.push(await frame());
    return { stamps, simFromMs, simToMs: clock() };
  }, { trace: run.trace.toArray(), endedAtMs: run.endedAtMs, windowMs });
  await context.close();
  const deltas = result.stamps.slice(1).map((s, i) => s - result.stamps[i]).sort((a, b) => a - b);
  const median = deltas.length === 0 ? Infinity : deltas[Math.floor(deltas.length / 2)];
  const cursor = createSnapshotCursor(run.trace);
  let inFlightMin = Infinity;
  for (let t = result.simFromMs; t <= result.simToMs; t += 50) inFlightMin = Math.min(inFlightMin, cursor.seek(t).inFlight.length);
  const spanMs = result.stamps[result.stamps.length - 1] - result.stamps[0];
  return {
    fpsMedian: 1000 / median, fpsMean: spanMs > 0 ? (1000 * deltas.length) / spanMs : 0,
    p95FrameMs: deltas[Math.min(deltas.length - 1, Math.floor(deltas.length * 0.95))] ?? Infinity,
    longestFrameMs: deltas[deltas.length - 1] ?? Infinity, frames: deltas.length,
    inFlightMin: Number.isFinite(inFlightMin) ? inFlightMin : 0, simFromMs: result.simFromMs, simToMs: result.simToMs,
  };
}

/** Launches Chromium headless with the project's flags. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}
