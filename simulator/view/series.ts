/**
 * Building blocks for a broker's metrics (`ViewAdapter.series()`): levels over time (a step curve that changes at
 * each event), rates per bucket of simulated time, and percentiles of latencies per bucket. Pure; times in
 * simulated ms.
 */
import type { Series } from './model.ts';

/** Most points a series keeps: a long run is bucketed so a chart and its table stay readable. */
export const SERIES_POINTS_MAX = 240;

/** Width (ms) of the buckets that cut `[0, endMs]` into at most `SERIES_POINTS_MAX` parts, a round number. */
export function bucketMsFor(endMs: number): number {
  const raw = Math.max(1, endMs) / SERIES_POINTS_MAX;
  for (const step of [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000]) {
    if (step >= raw) return step;
  }
  return Math.ceil(raw / 3_600_000) * 3_600_000;
}

/** A level that changes at given times (queue depth, unacked): records changes, keeps the last per time. */
export class LevelRecorder {
  private readonly points: Array<[number, number]> = [[0, 0]];
  private value = 0;

  /** Sets the level at `atMs` (times must not decrease). */
  set(atMs: number, value: number): void {
    if (value === this.value) return;
    this.value = value;
    const last = this.points[this.points.length - 1];
    if (last[0] === atMs) last[1] = value;
    else this.points.push([atMs, value]);
  }

  add(atMs: number, delta: number): void {
    this.set(atMs, this.value + delta);
  }

  get current(): number {
    return this.value;
  }

  /**
   * The step series up to `endMs`, thinned to at most `SERIES_POINTS_MAX` points by keeping, per bucket, the
   * highest level (a peak must not vanish from a depth chart).
   */
  series(id: string, label: string, unit: string, endMs: number): Series {
    const points = [...this.points, [endMs, this.value] as [number, number]];
    if (points.length <= SERIES_POINTS_MAX) return { id, label, unit, curve: 'step', points };
    const bucketMs = bucketMsFor(endMs);
    const out: Array<[number, number]> = [];
    for (const [t, v] of points) {
      const start = Math.floor(t / bucketMs) * bucketMs;
      const last = out[out.length - 1];
      if (last !== undefined && last[0] === start) last[1] = Math.max(last[1], v);
      else out.push([start, v]);
    }
    return { id, label, unit, curve: 'step', points: out };
  }
}

/** Counts events per bucket and turns them into a rate (per second). */
export class RateRecorder {
  private readonly counts = new Map<number, number>();
  private readonly bucketMs: number;

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  count(atMs: number, n = 1): void {
    const bucket = Math.floor(atMs / this.bucketMs);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n);
  }

  /** One point per bucket from 0 to `endMs`: `[bucket start, events per second]`. */
  series(id: string, label: string, endMs: number): Series {
    const points: Array<[number, number]> = [];
    const buckets = Math.max(1, Math.ceil(endMs / this.bucketMs));
    for (let b = 0; b < buckets; b++) {
      points.push([b * this.bucketMs, ((this.counts.get(b) ?? 0) * 1000) / this.bucketMs]);
    }
    return { id, label, unit: 'msg/s', curve: 'line', points };
  }
}

/** Latencies per bucket (by the time they ended) → percentile series. */
export class LatencyRecorder {
  private readonly samples = new Map<number, number[]>();
  private readonly bucketMs: number;

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  add(endAtMs: number, latencyMs: number): void {
    const bucket = Math.floor(endAtMs / this.bucketMs);
    let list = this.samples.get(bucket);
    if (list === undefined) this.samples.set(bucket, (list = []));
    list.push(latencyMs);
  }

  /** `[bucket start, p-th percentile]` for every bucket that has samples (nearest-rank percentile, p in 0..100). */
  series(id: string, label: string, p: number): Series {
    const points: Array<[number, number]> = [];
    for (const bucket of [...this.samples.keys()].sort((a, b) => a - b)) {
      points.push([bucket * this.bucketMs, percentile(this.samples.get(bucket)!, p)]);
    }
    return { id, label, unit: 'ms', curve: 'line', points };
  }
}

/** Nearest-rank percentile of `values` (p in 0..100); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
