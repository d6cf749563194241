/**
 * The "Try:" callouts of lesson 13 (publisher confirms) describe what its simulation and its example program show.
 * These tests run the simulation declaration (`content/simulations/13-publisher-confirms.ts`) the way the lesson
 * page does, with the broker restarted at moments around the "about 3 s" the text names, and the example program,
 * and check what the text states.
 */
import { describe, expect, it } from 'vitest';
import declaration from '../../../content/simulations/13-publisher-confirms.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import type { Fault } from '../../../simulator/scenario.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import confirms from '../../../content/exercises/13-publisher-confirms/confirms.mjs?raw';

async function play(knobs: Record<string, number | string> = {}, faults: Fault[] = []) {
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation('13-publisher-confirms', declaration, scenario);
  const values = { ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])), ...resolved.fixed, ...knobs };
  const run = scenario.run(values, {
    seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100,
    faults,
  });
  const at = (t: number) => snapshotAt(run.trace, t);
  const depth = (t: number) => at(t).nodes.queues.find((q) => q.name === 'tasks')?.readyCount ?? 0;
  const trace: TraceEvent[] = [...run.trace];
  return { run, at, depth, trace, end: at(run.endedAtMs) };
}

const restart = (atMs: number): Fault[] => [{ id: 'restart-broker', target: 'broker', atMs }];

/**
 * Orders the broker never got in a restart at `t`: published before it was back (on the wire when it stopped, or
 * sent before the shop learnt its connection was closed) and never routed. The view counts them as lost.
 */
function onTheWire(trace: TraceEvent[], t: number): number {
  const backAt = trace.find((e) => e.kind === 'broker-started' && e.t >= t)?.t ?? Number.POSITIVE_INFINITY;
  const arrived = new Set(trace.filter((e) => e.kind === 'enqueued' || e.kind === 'routed')
    .map((e) => (e as { msgId: string }).msgId));
  return trace.filter((e) => e.kind === 'published' && e.t < backAt && !arrived.has((e as { msgId: string }).msgId)).length;
}

const RESTART_TIMES = [2500, 2800, 3000, 3200, 3500];

describe('lesson 13: the Try callouts of the publisher confirms simulation', () => {
  it.each(RESTART_TIMES)('transient messages, restart at %i ms: the queue empties, lost jumps by what it held, the shop goes on', async (t) => {
    const { depth, at, end, trace } = await play({}, restart(t));
    const held = depth(t - 1);
    expect(held).toBeGreaterThan(5);
    expect(depth(t + 1)).toBe(0);
    // Lost: what the queue held, and an order on the wire at that moment (the broker never got it).
    expect(end.counters.lost - at(t - 1).counters.lost).toBe(held + onTheWire(trace, t));
    // The shop publishes the rest after the broker is back; the worker ships only those.
    expect(end.counters.published).toBe(20);
    const firstAfter = trace.find((e) => e.kind === 'published' && e.t > t)!;
    expect(firstAfter.t).toBeGreaterThan(t + 2000);
    const shippedIds = new Set(trace.filter((e) => e.kind === 'acked').map((e) => (e as { msgId: string }).msgId));
    for (const e of trace) if (e.kind === 'published' && e.t < t) expect(shippedIds.has(e.msgId)).toBe(false);
  });

  it.each(RESTART_TIMES)('persistent messages, restart at %i ms: the orders are still there, lost stays 0, the worker ships them at 10 s', async (t) => {
    const { depth, end, trace } = await play({ persistent: 'yes' }, restart(t));
    const held = depth(t - 1);
    expect(depth(t + 2500)).toBeGreaterThanOrEqual(held);
    // Nothing the queue held is lost; only an order on the wire at that moment (at most one at 4 a second).
    expect(end.counters.lost).toBe(onTheWire(trace, t));
    expect(end.counters.lost).toBeLessThanOrEqual(1);
    expect(trace.filter((e) => e.kind === 'delivered' && e.t < 10_000)).toHaveLength(0);
    const waitingIds = trace.filter((e) => e.kind === 'enqueued' && e.t < t).map((e) => (e as { msgId: string }).msgId);
    const acked = new Set(trace.filter((e) => e.kind === 'acked').map((e) => (e as { msgId: string }).msgId));
    for (const id of waitingIds) expect(acked.has(id)).toBe(true);
  });

  it.each(RESTART_TIMES)('transient queue, restart at %i ms: the queue is deleted and created again, empty', async (t) => {
    const { depth, trace } = await play({ persistent: 'yes', durable: 'no' }, restart(t));
    expect(depth(t - 1)).toBeGreaterThan(5);
    expect(trace.some((e) => e.kind === 'queue-deleted' && e.t === t)).toBe(true);
    const redeclared = trace.find((e) => e.kind === 'queue-declared' && e.t > t)!;
    expect(redeclared).toBeDefined();
    expect(depth(redeclared.t)).toBe(0);
  });
});

describe('lesson 13: the example program', () => {
  it('returns the third order (NO_ROUTE) and confirms all three: the same lines as on RabbitMQ', async () => {
    const result = await runPrograms([{ filename: 'confirms.mjs', source: confirms }], { seed: 1, untilMs: 60_000 });
    expect(result.status).toBe('completed');
    expect(result.console.map((l) => l.text)).toEqual(['published: order #1', 'published: order #2',
      'published: order #3', 'returned: order #3 (NO_ROUTE, "l13.ordrs")', 'confirmed: order #1',
      'confirmed: order #2', 'confirmed: order #3']);
  });
});
