/**
 * The "Try:" callouts of lesson 03 (decoupling) describe what its simulation and its two-program example show. These
 * tests run the simulation declaration (`content/simulations/03-decoupling.ts`) the way the lesson page does, and
 * the example's files with the run lines the text gives (read as the page reads them, `src/components/code/
 * run-line.ts`), and check the numbers and lines the text states.
 */
import { describe, expect, it } from 'vitest';
import declaration from '../../../content/simulations/03-decoupling.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import { amqpSeries } from '../../../simulator/brokers/amqp/view-metrics.ts';
import type { Fault } from '../../../simulator/scenario.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import type { Series } from '../../../simulator/view/model.ts';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { parseRunLine } from '../../../src/components/code/run-line.ts';
import shopCode from '../../../content/exercises/03-decoupling/shop.mjs?raw';
import workerCode from '../../../content/exercises/03-decoupling/worker.mjs?raw';

/** Runs the declaration with some knobs changed, as the page does. */
async function play(knobs: Record<string, number | string> = {}, faults: Fault[] = []) {
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation('03-decoupling', declaration, scenario);
  const values = { ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])), ...resolved.fixed, ...knobs };
  const run = scenario.run(values, {
    seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults,
  });
  const trace: TraceEvent[] = [...run.trace];
  return { series: amqpSeries(run.trace, run.endedAtMs), endedAtMs: run.endedAtMs, trace };
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

const max = (series: Series | undefined) => Math.max(0, ...(series?.points ?? []).map(([, v]) => v));
const publishTimes = (trace: TraceEvent[]) => trace.filter((e) => e.kind === 'published').map((e) => e.t);

describe('lesson 03: the Try callouts of the decoupling simulation', () => {
  it('starting values: 23 orders wait at 6 s, the workers start then and the queue is empty again at 11.5 s', async () => {
    const { series, trace } = await play();
    expect(publishTimes(trace)).toHaveLength(30);
    expect(trace.filter((e) => e.kind === 'delivered' && e.t < 6000)).toHaveLength(0);
    expect(at(series.get('depth'), 6000)).toBe(23);
    const emptyAgain = series.get('depth')!.points.find(([t, v]) => t > 6000 && v === 0)![0];
    expect(emptyAgain).toBe(11_500);
    expect(trace.filter((e) => e.kind === 'acked')).toHaveLength(30);
  });

  it('workers from the start: the queue stays empty, and the shop publishes exactly as before', async () => {
    const late = await play();
    const early = await play({ consumersStartAtMs: 0 });
    expect(max(early.series.get('depth'))).toBe(0);
    expect(publishTimes(early.trace)).toEqual(publishTimes(late.trace));
    // The published counter reaches 30 at 7.45 s in both.
    expect(publishTimes(early.trace).at(-1)).toBe(7450);
  });

  it('no workers: all 30 orders wait in the queue and stay there; 6 workers: the shop\'s line is still the same', async () => {
    const late = await play();
    const none = await play({ consumerCount: 0, consumersStartAtMs: 0 });
    expect(at(none.series.get('depth'), none.endedAtMs)).toBe(30);
    expect(none.trace.filter((e) => e.kind === 'dropped')).toHaveLength(0);
    const six = await play({ consumerCount: 6, consumersStartAtMs: 0 });
    for (const run of [none, six]) expect(publishTimes(run.trace)).toEqual(publishTimes(late.trace));
    expect(max(six.series.get('depth'))).toBe(0);
  });

  // Three crashes at the same moment, or pressed one after the other (each press forks the run and plays on).
  it.each([[2000, 2000, 2000, 5500], [2100, 2150, 2200, 6000], [2000, 2450, 2680, 5500]])('three crashes at about 2 s (%i, %i, %i ms), worker 1 '
    + 'restarted at %i ms: orders wait, the ones held come back first, in orange', async (c1, c2, c3, restartAtMs) => {
    const faults: Fault[] = [
      { id: 'crash-worker', target: '1', atMs: c1 }, { id: 'crash-worker', target: '2', atMs: c2 },
      { id: 'crash-worker', target: '3', atMs: c3 }, { id: 'restart-worker', target: '1', atMs: restartAtMs },
    ];
    const { series, trace } = await play({ consumerCount: 3, consumersStartAtMs: 0 }, faults);
    // While every worker is down nothing is delivered (once the broker has seen the connections drop, one network
    // trip after the crash) and the queue grows.
    expect(trace.filter((e) => e.kind === 'delivered' && e.t > c3 + 100 && e.t < restartAtMs)).toHaveLength(0);
    expect(at(series.get('depth'), restartAtMs - 100)).toBeGreaterThan(at(series.get('depth'), c3 + 100) + 5);
    // The restarted worker's first deliveries are the redelivered orders the crashed workers held, then the rest.
    const after = trace.filter((e): e is Extract<TraceEvent, { kind: 'delivered' }> => e.kind === 'delivered' && e.t >= restartAtMs);
    const held = after.filter((d) => d.redelivered).length;
    expect(held).toBeGreaterThanOrEqual(1);
    expect(after.slice(0, held).every((d) => d.redelivered)).toBe(true);
    expect(new Set(after.map((d) => d.channel)).size).toBe(1);
    expect(trace.filter((e) => e.kind === 'acked')).toHaveLength(30);
    // The shop never noticed.
    expect(publishTimes(trace)).toEqual(publishTimes((await play({ consumersStartAtMs: 0 })).trace));
  });
});

describe('lesson 03: the two-program example and its Try', () => {
  const files = [{ name: 'shop.mjs', code: shopCode }, { name: 'worker.mjs', code: workerCode }];
  const runLine = async (line: string) => {
    const result = await runPrograms(parseRunLine(line, files), { seed: 1, untilMs: 60_000 });
    return { result, lines: result.console.map((l) => `${l.process ?? ''}| ${l.text}`) };
  };

  it('the shop exits before the worker starts at 4 s, which finds the 5 orders waiting and packs them', async () => {
    const { result, lines } = await runLine('"shop.mjs 5" --at 4s worker.mjs');
    expect(result.status).toBe('quiescent');
    const shop = result.processes!.find((p) => p.name === 'shop.mjs')!;
    expect(shop.state).toBe('exited');
    expect(shop.endedAtMs!).toBeLessThan(4000);
    expect(lines).toContain('worker.mjs| worker started: 5 orders waiting');
    expect(lines.filter((l) => /packed order/.test(l))).toHaveLength(5);
    expect(result.console.find((l) => /worker started/.test(l.text))!.t).toBeGreaterThanOrEqual(4000);
  });

  it('two workers share the five orders; a worker started first finds none and gets each order as it is placed', async () => {
    const two = await runLine('"shop.mjs 5" --at 4s worker.mjs --at 4s worker.mjs');
    const packedBy = (p: string) => two.lines.filter((l) => l.startsWith(`${p}| packed order`)).length;
    expect(packedBy('worker.mjs#1')).toBeGreaterThan(0);
    expect(packedBy('worker.mjs#2')).toBeGreaterThan(0);
    expect(packedBy('worker.mjs#1') + packedBy('worker.mjs#2')).toBe(5);
    const first = await runLine('worker.mjs "shop.mjs 5"');
    expect(first.lines[0]).toBe('worker.mjs| worker started: 0 orders waiting');
    expect(first.lines.filter((l) => /packed order/.test(l))).toHaveLength(5);
    // The shop's output is the same in every case.
    const shopLines = (lines: string[]) => lines.filter((l) => l.startsWith('shop.mjs|'));
    expect(shopLines(first.lines)).toEqual(shopLines(two.lines));
  });
});
