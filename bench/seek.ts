/**
 * Seek benchmark: a lesson's player scrubbing a long run. One run of the engine workload (`ENGINE_WORKLOAD`) with
 * `messages` messages, handed to the AMQP view adapter as the lesson's view gets it; then `SEEKS` seeks to random
 * simulated times (seeded, so every bench run seeks to the same times), forwards and backwards mixed, each timed
 * from the call to the finished frame (the view model the stage draws). The first seek to the end is made before
 * timing, as the view does when it lays out a run. Wall time comes from `performance.now()` here, never in
 * simulator/.
 */
import { runWorkQueue } from '../simulator/brokers/amqp/scenarios/work-queue.ts';
import { amqpViewPlugin } from '../simulator/brokers/amqp/view.ts';
import { Prng } from '../simulator/core/prng.ts';
import { ENGINE_WORKLOAD } from './engine.ts';

/** Seeks measured per run. */
export const SEEKS = 200;

export interface SeekMeasurement {
  messages: number;
  traceEntries: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  backwards: number;
}

export function measureSeek(messages: number): SeekMeasurement {
  const run = runWorkQueue({ ...ENGINE_WORKLOAD, messageCount: messages }, { seed: 1, untilMs: 86_400_000 });
  const view = amqpViewPlugin.createView(run.trace);
  view.seek(run.endedAtMs);
  view.seek(0);
  const rng = new Prng(20261203);
  const times: number[] = [];
  let last = 0;
  let backwards = 0;
  for (let i = 0; i < SEEKS; i++) {
    const atMs = Math.floor(rng.next() * run.endedAtMs);
    if (atMs < last) backwards++;
    last = atMs;
    const started = performance.now();
    view.seek(atMs);
    times.push(performance.now() - started);
  }
  const traceEntries = run.trace.length;
  run.trace.release();
  times.sort((a, b) => a - b);
  return {
    messages, traceEntries, backwards,
    medianMs: times[Math.floor(times.length / 2)],
    p95Ms: times[Math.floor(times.length * 0.95)],
    maxMs: times[times.length - 1],
  };
}
