/**
 * The golden runs: a fixed set of simulations whose traces must stay byte-identical through refactors of the
 * engine, the trace store and the broker plugins (a deliberate change of behaviour re-records them, and its commit
 * says why). Each run is named; its trace is hashed with sha256 of `JSON.stringify(trace)`.
 *
 * - the work-queue scenario at knob settings that reach every branch (manual / auto acks, prefetch 0 / 1 / 10,
 *   crashes, jitter, 0 workers, a cut at `untilMs`) × three seeds;
 * - every AMQP conformance program (`test/conformance/amqp/*.mjs`) on the runner;
 * - lesson 1's exercise programs (starter, solution) and its first code sample.
 *
 * `node test/unit/golden/record.ts` rewrites `trace-hashes.json` from the current code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import type { WorkQueueKnobs } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import type { TraceReader } from '../../../simulator/trace.ts';

const root = join(import.meta.dirname, '../../..');

/** sha256 (hex) of the trace's JSON. */
export function hashTrace(trace: TraceReader): string {
  return createHash('sha256').update(JSON.stringify(trace)).digest('hex');
}

const BASE: WorkQueueKnobs = {
  producerRatePerSec: 5, messageCount: 20, consumerCount: 2, prefetch: 1, processingMs: 600,
  processingJitterMs: 0, ackMode: 'manual', crashes: [],
};

const KNOB_SETS: Record<string, Partial<WorkQueueKnobs>> = {
  default: {},
  'four-workers': { consumerCount: 4 },
  'prefetch-0-slow': { prefetch: 0, processingMs: 2000 },
  'prefetch-10-fast': { prefetch: 10, processingMs: 20, producerRatePerSec: 200, messageCount: 150, consumerCount: 3 },
  'auto-ack-crash': { ackMode: 'auto', crashes: [{ consumer: 1, atMs: 1500 }] },
  'manual-crashes': { consumerCount: 3, crashes: [{ consumer: 2, atMs: 1200 }, { consumer: 3, atMs: 2500 }] },
  jitter: { processingJitterMs: 300, consumerCount: 3 },
  'no-workers': { consumerCount: 0, messageCount: 10 },
};

/** The work-queue cases: name → run. `untilMs` 2 s for one of them (a cut run). */
function scenarioCases(): Array<{ name: string; run: () => TraceReader }> {
  const cases: Array<{ name: string; run: () => TraceReader }> = [];
  for (const [name, knobs] of Object.entries(KNOB_SETS)) {
    for (const seed of [1, 7, 20261203]) {
      const untilMs = name === 'jitter' && seed === 7 ? 2_000 : 3_600_000;
      cases.push({
        name: `work-queue/${name}/seed-${seed}`,
        run: () => runWorkQueue({ ...BASE, ...knobs }, { seed, untilMs, latencyMs: seed === 1 ? 100 : 10 }).trace,
      });
    }
  }
  return cases;
}

/** Program files: conformance programs and lesson 1's programs. */
function programFiles(): string[] {
  const dir = join(root, 'test/conformance/amqp');
  const conformance = readdirSync(dir).filter((f) => /^\d\d-[\w-]+\.mjs$/.test(f)).sort().map((f) => join(dir, f));
  const lesson = ['starter.mjs', 'solution.mjs', 'first-worker.mjs'].map((f) => join(root, 'content/exercises/01-work-queue', f));
  return [...conformance, ...lesson];
}

/** Every golden case, in a stable order. */
export function goldenCases(): Array<{ name: string; hash: () => Promise<string> }> {
  const scenario = scenarioCases().map((c) => ({ name: c.name, hash: async () => hashTrace(c.run()) }));
  const programs = programFiles().map((path) => ({
    name: `program/${basename(path)}`,
    hash: async () => {
      const result = await runProgram(readFileSync(path, 'utf8'), { filename: basename(path), seed: 3 });
      return hashTrace(result.trace);
    },
  }));
  return [...scenario, ...programs];
}
