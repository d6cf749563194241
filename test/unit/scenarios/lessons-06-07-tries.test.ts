/**
 * The "Try:" callouts of lessons 06 and 07 describe what their simulations show with given knob values. These tests
 * run each simulation declaration (`content/simulations/06-…`, `07-…`) the way the lesson page does — its scenario,
 * its knob defaults and fixed values, its seed and latency — with the knob values a Try asks for, and check the
 * numbers the text states, so a change to the engine or a declaration cannot silently make the text wrong.
 */
import { describe, expect, it } from 'vitest';
import asyncDeclaration from '../../../content/simulations/06-async-processing.ts';
import levelingDeclaration from '../../../content/simulations/07-load-leveling.ts';
import { resolveSimulation, type SimulationDeclaration } from '../../../content/simulations/types.ts';
import { amqpSeries } from '../../../simulator/brokers/amqp/view-metrics.ts';
import type { Fault } from '../../../simulator/scenario.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import type { Series } from '../../../simulator/view/model.ts';

/** Runs a declaration with some knobs changed, as the page does; returns its series and end. */
async function play(id: string, declaration: SimulationDeclaration, knobs: Record<string, number | string> = {},
  faults: Fault[] = []) {
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation(id, declaration, scenario);
  const values = { ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])), ...resolved.fixed, ...knobs };
  const run = scenario.run(values, {
    seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults,
  });
  const series = amqpSeries(run.trace, run.endedAtMs);
  const trace: TraceEvent[] = [...run.trace];
  return { series, endedAtMs: run.endedAtMs, trace };
}

/** The value of a step series in force at `atMs`. */
function at(series: Series | undefined, atMs: number): number {
  let value = 0;
  for (const [t, v] of series?.points ?? []) {
    if (t > atMs) break;
    value = v;
  }
  return value;
}

function max(series: Series | undefined, fromMs = 0, toMs = Infinity): number {
  return Math.max(0, ...(series?.points ?? []).filter(([t]) => t >= fromMs && t <= toMs).map(([, v]) => v));
}

describe('lesson 06: the Try callouts of the asynchronous processing simulation', () => {
  it('starting values: one worker, the time from order to finished job climbs to about 10 s', async () => {
    const { series } = await play('06-async-processing', asyncDeclaration);
    const p95 = max(series.get('latency:p95'));
    expect(p95).toBeGreaterThanOrEqual(9500);
    expect(p95).toBeLessThan(11_000);
    expect(max(series.get('depth'))).toBeGreaterThanOrEqual(10);
  });

  it('4 workers: the queue stays empty and every job is done 0.8 s after its order', async () => {
    const { series } = await play('06-async-processing', asyncDeclaration, { consumerCount: 4 });
    expect(max(series.get('depth'))).toBe(0);
    expect(max(series.get('latency:p95'))).toBe(800);
  });

  it('4 workers starting at 5 s: all 20 jobs wait in the queue, then the backlog drains', async () => {
    const { series, endedAtMs } = await play('06-async-processing', asyncDeclaration, { consumerCount: 4, consumersStartAtMs: 5000 });
    expect(at(series.get('depth'), 4500)).toBe(20);
    expect(at(series.get('depth'), 8500)).toBe(0);
    expect(endedAtMs).toBeLessThan(10_000);
  });

  it('2 workers, worker 1 crashes while busy: its job is redelivered with manual acks, lost with automatic acks', async () => {
    const crash: Fault[] = [{ id: 'crash-worker', target: '1', atMs: 2500 }];
    const manual = await play('06-async-processing', asyncDeclaration, { consumerCount: 2 }, crash);
    expect(max(manual.series.get('redelivered'))).toBe(1);
    expect(max(manual.series.get('lost'))).toBe(0);
    expect(manual.trace.filter((e) => e.kind === 'acked')).toHaveLength(20);
    const auto = await play('06-async-processing', asyncDeclaration, { consumerCount: 2, ackMode: 'auto' }, crash);
    expect(max(auto.series.get('lost'))).toBeGreaterThan(0);
  });
});

describe('lesson 07: the Try callouts of the load leveling simulation', () => {
  const burstStarts = (trace: { kind: string; t: number }[], every: number) =>
    [...new Set(trace.filter((e) => e.kind === 'published').map((e) => Math.floor((e.t - 200) / every)))];

  it('starting values: each burst lifts the depth to about 14, which is back to 0 within about 2.5 s', async () => {
    const { series, trace } = await play('07-load-leveling', levelingDeclaration);
    expect(burstStarts(trace, 6000)).toHaveLength(6);
    const depth = series.get('depth');
    for (let burst = 0; burst < 6; burst++) {
      const start = 420 + burst * 6000;
      expect(max(depth, start, start + 1000)).toBeGreaterThanOrEqual(13);
      expect(max(depth, start, start + 1000)).toBeLessThanOrEqual(14);
      expect(at(depth, start + 2800)).toBe(0);
    }
    // Arrivals spike to 50 a second; finished jobs stay in a low band, 6 a second on average.
    expect(max(series.get('rate:published'))).toBe(50);
    const acked = series.get('rate:acked')!.points.filter(([t]) => t >= 1000 && t < 3000).map(([, v]) => v);
    expect(Math.max(...acked)).toBeLessThanOrEqual(15);
    expect(acked.reduce((a, b) => a + b, 0) / acked.length).toBeGreaterThan(4.5);
    expect(acked.reduce((a, b) => a + b, 0) / acked.length).toBeLessThan(7.5);
  });

  it('1 worker: below the average, each burst starts higher than the last', async () => {
    const { series } = await play('07-load-leveling', levelingDeclaration, { consumerCount: 1 });
    const depth = series.get('depth');
    const before = [1, 2, 3, 4, 5].map((b) => at(depth, 400 + b * 6000));
    for (let i = 1; i < before.length; i++) expect(before[i]).toBeGreaterThan(before[i - 1]);
    expect(before[0]).toBeGreaterThan(0);
  });

  it('prefetch 1: a round trip between jobs makes the queue drain visibly slower (still before the next burst)', async () => {
    const prefetch2 = await play('07-load-leveling', levelingDeclaration);
    const prefetch1 = await play('07-load-leveling', levelingDeclaration, { prefetch: 1 });
    const drainedAt = (depth: Series | undefined) => depth!.points.find(([t, v]) => t > 1000 && v === 0)![0];
    expect(drainedAt(prefetch1.series.get('depth'))).toBeGreaterThan(drainedAt(prefetch2.series.get('depth')) + 1000);
    expect(drainedAt(prefetch1.series.get('depth'))).toBeLessThan(6000);
  });

  it('bursts every 2 s: the depth no longer gets back to 0 and each peak is higher; 6 workers drain it again', async () => {
    const { series } = await play('07-load-leveling', levelingDeclaration, { burstEveryMs: 2000 });
    const depth = series.get('depth');
    const before = [1, 2, 3, 4, 5].map((b) => at(depth, 300 + b * 2000));
    for (let i = 0; i < before.length; i++) {
      expect(before[i]).toBeGreaterThan(0);
      if (i > 0) expect(before[i]).toBeGreaterThan(before[i - 1]);
    }
    const six = await play('07-load-leveling', levelingDeclaration, { burstEveryMs: 2000, consumerCount: 6 });
    for (let b = 1; b <= 5; b++) expect(at(six.series.get('depth'), 300 + b * 2000)).toBe(0);
  });
});
