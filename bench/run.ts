/**
 * `npm run bench`: measures the engine, the build, the lesson page's JavaScript weight and the D3 view's frame
 * rate, and prints one table with each target and whether it was met. It reports; it does not fail on a missed
 * target (exit 0). It exits 1 only if a measurement itself broke (e.g. the build failed).
 *
 * Options: `--engine-only` skips the build and the browser; `--quick` measures the engine at 10^4/10^5 instead of
 * 10^5/10^6 (for a smoke run). Needs Chromium for the browser rows (`$CHROMIUM_PATH` or /usr/bin/chromium);
 * without it those rows say "skipped".
 */
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureEngine, traceFloorMs, type EngineMeasurement } from './engine.ts';
import { measureSeek, SEEKS } from './seek.ts';
import { measureKafka } from './kafka.ts';
import {
  findChromium, launchChromium, measurePageWeight, measureRendering, timeBuild, type PageWeight, type RenderMeasurement,
} from './browser.ts';
import { serveStatic } from '../test/support/static-server.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const engineOnly = args.includes('--engine-only');
const quick = args.includes('--quick');

interface Row {
  measure: string;
  value: string;
  target: string;
  status: 'met' | 'missed' | 'info' | 'skipped' | 'error';
}
const rows: Row[] = [];
const row = (measure: string, value: string, target = '', ok?: boolean) =>
  rows.push({ measure, value, target, status: ok === undefined ? 'info' : ok ? 'met' : 'missed' });
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let broken = false;

function log(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

// ── Engine ────────────────────────────────────────────────────────────────────────────────────────────────────
const [small, large] = quick ? [10_000, 100_000] : [100_000, 1_000_000];
log(`engine: warming up (JIT), then ${fmt(small)} and ${fmt(large)} messages (best of 5 and of 3) …`);
// Steady state, not start-up: the JIT compiles the hot paths during the first few hundred thousand events.
for (let i = 0; i < 3; i++) measureEngine(small);
/** Best of `times` runs; also the first one (for 10^6: trace memory still fresh, see the info row). */
const best = (n: number, times: number): { pick: EngineMeasurement; first: EngineMeasurement } => {
  const all: EngineMeasurement[] = [];
  for (let i = 0; i < times; i++) all.push(measureEngine(n));
  return { pick: all.reduce((a, b) => (b.wallMs < a.wallMs ? b : a)), first: all[0] };
};
const e1 = best(small, 5).pick;
const { pick: e2, first: e2First } = best(large, 3);
for (const m of [e1, e2]) {
  row(`engine: deliveries/s at ${fmt(m.messages)} messages`,
    `${fmt(m.deliveriesPerSec)} (${fmt(m.wallMs)} ms wall, ${fmt(m.cpuMs)} ms CPU; ${fmt(m.events)} events, ${fmt(m.traceEntries)} trace entries)`,
    '≥ 1,000,000', m.deliveriesPerSec >= 1_000_000);
  row(`engine: throughput vs bare heap loop at ${fmt(m.messages)}`,
    `${fmt(100 * m.ratioToBaseline, 1)} % (baseline ${fmt(m.baselineWallMs)} ms for the same ${fmt(m.events)} events)`,
    '≥ 40 %', m.ratioToBaseline >= 0.4);
}
const scale = e2.wallMs / e1.wallMs;
row(`engine: cost of 10× messages (${fmt(small)} → ${fmt(large)})`, `${fmt(scale, 2)}× time`, '≤ 11×', scale <= 11);
row(`engine: first ${fmt(large)} run (its trace memory fresh, not reused from an earlier run)`,
  `${fmt(e2First.deliveriesPerSec)} deliveries/s (${fmt(e2First.wallMs)} ms wall), ${fmt(100 * e2First.ratioToBaseline, 1)} % of the baseline`);
row(`engine: trace size at ${fmt(large)} messages (compact TraceLog)`,
  `${fmt(e2.traceBytes / 1_048_576, 1)} MB = ${fmt(e2.traceBytes / e2.messages, 1)} bytes per message`);
const floorMs = Math.min(traceFloorMs(large), traceFloorMs(large));
row(`engine: the same trace as plain objects (allocation only, not part of the run)`,
  `${fmt(floorMs)} ms = ${fmt(100 * floorMs / e2.wallMs, 0)} % of the run's time`);

// ── Seeking (the player's scrubber) ───────────────────────────────────────────────────────────────────────────
{
  log(`seek: ${fmt(SEEKS)} random seeks in a ${fmt(small)}-message run …`);
  measureSeek(Math.min(small, 20_000)); // JIT warm-up
  const seek = measureSeek(small);
  row(`view: seek to a random time in a ${fmt(seek.messages)}-message run (${fmt(seek.traceEntries)} trace entries; ${seek.backwards} of ${SEEKS} seeks backwards)`,
    `median ${fmt(seek.medianMs, 2)} ms, p95 ${fmt(seek.p95Ms, 2)} ms, longest ${fmt(seek.maxMs, 1)} ms`,
    'median ≤ 16 ms (one frame)', seek.medianMs <= 16);
}
// ── Kafka ───────────────────────────────────────────────────────────────────────────────────────────────────
log(`kafka: warming up, then a 3-partition, 3-member group at ${fmt(large)} records (best of 3) …`);
for (let i = 0; i < 3; i++) measureKafka(small);
const k = [measureKafka(large), measureKafka(large), measureKafka(large)].reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
row(`kafka: deliveries/s of a 3-partition, 3-member group at ${fmt(large)} records, vs bare loop events/s`,
  `${fmt(100 * k.ratioToBaseline, 1)} % (${fmt(k.deliveriesPerSec)} deliveries/s, ${fmt(k.wallMs)} ms wall, ${fmt(k.cpuMs)} ms CPU; bare loop ${fmt(k.baselineWallMs)} ms for ${fmt(k.delivered)} events)`,
  '≥ 40 %', k.ratioToBaseline >= 0.4);
row('kafka: same run, engine rows\' ratio (bare loop for the same engine events / run time)',
  `${fmt(100 * k.eventsRatioToBaseline, 1)} % (${fmt(k.events)} events, ${fmt(k.traceEntries)} trace entries)`);

// ── Build, page weight, rendering ────────────────────────────────────────────────────────────────────────────
if (engineOnly) {
  for (const m of ['render: fps median with ≥ 1,000 in flight', 'page weight: JS before interaction (gzip)', 'build: astro build']) {
    rows.push({ measure: m, value: '--engine-only', target: '', status: 'skipped' });
  }
} else {
  let outDir: string | undefined;
  try {
    log('build: astro build into a temporary folder …');
    const build = timeBuild(root);
    outDir = build.outDir;
    row('build: astro build (wall time)', `${fmt(build.wallMs / 1000, 1)} s on ${availableParallelism()} cores`, '≤ 90 s',
      build.wallMs <= 90_000);
    const chromiumPath = findChromium();
    if (chromiumPath === undefined) {
      for (const m of ['render: fps median with ≥ 1,000 in flight', 'page weight: JS before interaction (gzip)']) {
        rows.push({ measure: m, value: 'no Chromium (set CHROMIUM_PATH)', target: '', status: 'skipped' });
      }
    } else {
      const server = await serveStatic(outDir, '/');
      const browser = await launchChromium(chromiumPath);
      try {
        log('page weight: loading the lesson in Chromium …');
        const w: PageWeight = await measurePageWeight(browser, server);
        row('page weight: lesson JS before interaction (gzip -6)',
          `${fmt(w.gzipBytes / 1024, 1)} KB (${w.files} files, ${fmt(w.rawBytes / 1024, 1)} KB raw)`, '≤ 60 KB',
          w.gzipBytes <= 60 * 1024);
        row('page weight: editor chunks before / after clicking the code',
          `${w.editorBefore.length} before, ${w.editorAfter.length} after (${w.editorAfter.map((u) => u.replace(/^.*\//, '')).join(', ')})`,
          '0 before, > 0 after', w.editorBefore.length === 0 && w.editorAfter.length > 0);
        log('render: playing a run with ≥ 1,000 messages in flight …');
        const r: RenderMeasurement = await measureRendering(browser, server);
        row('render: fps median while ≥ 1,000 messages in flight',
          `${fmt(r.fpsMedian, 1)} fps (${r.frames} frames; ${fmt(r.inFlightMin)}+ in flight, sim ${fmt(r.simFromMs / 1000, 2)}–${fmt(r.simToMs / 1000, 2)} s)`,
          '≥ 55 fps', r.fpsMedian >= 55 && r.inFlightMin >= 1000);
        row('render: mean fps, p95 and longest frame in that window',
          `${fmt(r.fpsMean, 1)} fps mean; p95 ${fmt(r.p95FrameMs, 1)} ms; longest ${fmt(r.longestFrameMs, 1)} ms`);
      } finally {
        await browser.close();
        await server.close();
      }
    }
  } catch (error) {
    broken = true;
    process.stderr.write(`[bench] ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    rows.push({ measure: 'build / browser', value: String(error instanceof Error ? error.message : error).split('\n')[0], target: '', status: 'error' });
  } finally {
    if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
  }
}

// ── Report ───────────────────────────────────────────────────────────────────────────────────────────────────
const [load1] = loadavg();
const widths = [
  Math.max(7, ...rows.map((r) => r.measure.length)),
  Math.max(5, ...rows.map((r) => r.value.length)),
  Math.max(6, ...rows.map((r) => r.target.length)),
];
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 7)).join(' | ')} |`;
console.log(`\nMQ Lab benchmark — Node ${process.version}, ${availableParallelism()} cores, load average ${fmt(load1, 2)}\n`);
console.log(line(['measure', 'value', 'target', 'status']));
console.log(line(widths.map((w) => '-'.repeat(w)).concat('-------')));
for (const r of rows) console.log(line([r.measure, r.value, r.target, r.status]));
const missed = rows.filter((r) => r.status === 'missed').length;
const met = rows.filter((r) => r.status === 'met').length;
console.log(`\n${met} targets met, ${missed} missed${broken ? ', and a measurement failed' : ''}.`);
process.exitCode = broken ? 1 : 0;
