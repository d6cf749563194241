/**
 * The "Try:" callouts of lesson 14 (dead-lettering) describe what its simulation and its example program show. These
 * tests run the simulation declaration (`content/simulations/14-dead-lettering.ts`) the way the lesson page does,
 * and the example program, and check the numbers and lines the text states.
 */
import { describe, expect, it } from 'vitest';
import declaration from '../../../content/simulations/14-dead-lettering.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';
import { indexMessages } from '../../../simulator/brokers/amqp/view-messages.ts';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';
import deadLetters from '../../../content/exercises/14-dead-lettering/dead-letters.mjs?raw';

/** Runs the declaration with some knobs changed, as the page does. */
async function play(knobs: Record<string, number | string> = {}) {
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation('14-dead-lettering', declaration, scenario);
  const values = { ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])), ...resolved.fixed, ...knobs };
  const run = scenario.run(values, {
    seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100,
    faults: [],
  });
  const end = snapshotAt(run.trace, run.endedAtMs);
  const ready = (queue: string) => end.nodes.queues.find((q) => q.name === queue)?.readyCount ?? 0;
  const trace: TraceEvent[] = [...run.trace];
  return { run, end, ready, trace, counters: end.counters };
}

const bodyOf = (trace: TraceEvent[], msgId: string) =>
  (trace.find((e) => e.kind === 'published' && e.msgId === msgId) as { preview: string } | undefined)?.preview ?? '';
const orderOf = (trace: TraceEvent[], msgId: string) => Number(/"id":(\d+)/.exec(bodyOf(trace, msgId))?.[1]);
const idOf = (e: TraceEvent) => (e as { msgId?: string }).msgId ?? '';

describe('lesson 14: the Try callouts of the dead-lettering simulation', () => {
  it('starting values: order #4 comes back for ever, acked stays at 3, 8 orders wait, 116 redeliveries by 60 s', async () => {
    const { run, counters, ready, trace } = await play();
    expect(run.endedAtMs).toBe(60_000);
    expect(counters.acked).toBe(3);
    expect(counters.redelivered).toBe(116);
    expect(ready('orders')).toBe(8);
    const acked = trace.filter((e) => e.kind === 'acked').map((e) => orderOf(trace, e.msgId));
    expect(acked).toEqual([1, 2, 3]);
    const redelivered = trace.filter((e) => e.kind === 'delivered' && e.redelivered);
    expect(new Set(redelivered.map((e) => orderOf(trace, idOf(e))))).toEqual(new Set([4]));
    // About twice a second.
    const inLastTenSeconds = redelivered.filter((e) => e.t > 50_000).length;
    expect(inLastTenSeconds).toBeGreaterThanOrEqual(19);
    expect(inLastTenSeconds).toBeLessThanOrEqual(21);
  });

  it('three workers: acked stops at 9, the queue is empty, the workers spin on #4, #8 and #12', async () => {
    const { counters, ready, trace } = await play({ consumerCount: 3 });
    expect(counters.acked).toBe(9);
    expect(ready('orders')).toBe(0);
    const late = trace.filter((e) => e.kind === 'delivered' && e.t > 30_000);
    expect(new Set(late.map((e) => orderOf(trace, idOf(e))))).toEqual(new Set([4, 8, 12]));
  });

  it('nack without requeue, no dead-letter exchange: over at 6.3 s, acked 9, rejected 3, nothing counted lost', async () => {
    const { run, counters, trace } = await play({ onFailure: 'drop' });
    expect(run.endedAtMs).toBe(6300);
    expect(counters.acked).toBe(9);
    expect(counters.nacked).toBe(3);
    expect(counters.lost).toBe(0);
    expect(trace.filter((e) => e.kind === 'nacked').map((e) => orderOf(trace, e.msgId))).toEqual([4, 8, 12]);
  });

  it('dead-letter exchange: the 3 poison orders end in orders.dead, with the history the text quotes', async () => {
    const { run, counters, ready } = await play({ onFailure: 'dead-letter' });
    expect(counters.deadLettered).toBe(3);
    expect(ready('orders.dead')).toBe(3);
    const { details } = indexMessages(run.trace, { consumerLabel: (t) => t, channelLabel: (c) => c });
    const deadOnes = [...details.values()].filter((d) => d.history.some((h) => h.text.includes('dead-lettered')));
    expect(deadOnes).toHaveLength(3);
    expect(JSON.stringify(deadOnes[0].history)).toContain(
      'dead-lettered from orders (rejected) to exchange orders.dlx with routing key \\"orders\\"');
  });

  it('retry, 2000 ms, 3 attempts: ends at 12.1 s, 3 parked, 12 dead-lettered, 12 acked; each poison order tried 3 times 2 s apart', async () => {
    const { run, counters, ready, trace } = await play({ onFailure: 'retry', retryDelayMs: 2000, maxAttempts: 3 });
    expect(run.endedAtMs).toBe(12_100);
    expect(ready('orders.parked')).toBe(3);
    expect(counters.deadLettered).toBe(12);
    expect(counters.acked).toBe(12);
    for (const id of [4, 8, 12]) {
      const tries = trace.filter((e) => e.kind === 'delivered' && e.queue === 'orders' && orderOf(trace, e.msgId) === id);
      expect(tries).toHaveLength(3);
      for (let i = 1; i < tries.length; i++) expect(tries[i].t - tries[i - 1].t).toBeGreaterThanOrEqual(2000);
    }
    // The good orders flow past: order #5 is acknowledged before order #4's second attempt.
    const ackOf5 = trace.find((e) => e.kind === 'acked' && orderOf(trace, e.msgId) === 5)!.t;
    const secondOf4 = trace.filter((e) => e.kind === 'delivered' && orderOf(trace, e.msgId) === 4)[1].t;
    expect(ackOf5).toBeLessThan(secondOf4);
  });

  it('one attempt: each poison order parked at its first failure, nothing dead-lettered, over at 7.1 s', async () => {
    const { run, counters, ready } = await play({ onFailure: 'retry', maxAttempts: 1 });
    expect(run.endedAtMs).toBe(7100);
    expect(counters.deadLettered).toBe(0);
    expect(ready('orders.parked')).toBe(3);
  });
});

describe('lesson 14: the example program', () => {
  it('prints the x-death entry of the rejected order (the same lines as on RabbitMQ)', async () => {
    const result = await runPrograms([{ filename: 'dead-letters.mjs', source: deadLetters }], { seed: 1, untilMs: 60_000 });
    expect(result.status).toBe('completed');
    expect(result.console.map((l) => l.text)).toEqual(['ok: 2 x mug', 'rejected: quantity "two"', 'ok: 1 x mug',
      'in l14.dead: {"item":"mug","qty":"two"}',
      'x-death: count 1, reason rejected, queue l14.orders, exchange "", routing keys l14.orders']);
  });
});
