/**
 * Lesson 8's Try callouts on its simulation (the work-queue scenario with a slow worker 1, as
 * `content/simulations/08-point-to-point.ts` declares it): the numbers the page promises for prefetch unlimited, 1
 * and 2, and what a crash of worker 1 between 2 and 3 s does to the order of the work. Also: a `slowWorkerMs` of 0
 * leaves the trace byte-identical to a run without the knob.
 */
import { describe, expect, it } from 'vitest';
import { workQueueScenario } from '../../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts';
import { runWorkQueue, WORK_QUEUE_DEFAULTS } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import declaration from '../../../content/simulations/08-point-to-point.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('08-point-to-point', declaration, workQueueScenario);
const DEFAULTS = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100 };

function play(knobs: Record<string, number | string> = {}, crashAtMs?: number) {
  const faults = crashAtMs === undefined ? [] : [{ id: 'crash-worker', target: '1', atMs: crashAtMs }];
  const run = workQueueScenario.run({ ...DEFAULTS, ...knobs }, { ...OPTIONS, faults });
  const f = amqpFacts([...run.trace]);
  const of = (worker: string) => f.deliveries.filter((d) => f.connections.get(d.connection)!.label === worker);
  return { run, f, of };
}

describe('lesson 8 Try callouts', () => {
  it('starting values: prefetch unlimited deals 10 to each; worker 2 is done at about 3.5 s, the run ends at about 15.5 s', () => {
    const { run, of } = play();
    expect(DEFAULTS.prefetch).toBe(0);
    expect(of('worker 1')).toHaveLength(10);
    expect(of('worker 2')).toHaveLength(10);
    expect(Math.max(...of('worker 2').map((d) => d.settledSentAtMs!))).toBe(3450);
    expect(run.endedAtMs).toBe(15_500);
  });

  it('prefetch 1: worker 2 receives 15, worker 1 receives 5, the run ends at about 8.8 s', () => {
    const { run, of } = play({ prefetch: 1 });
    expect(of('worker 2')).toHaveLength(15);
    expect(of('worker 1')).toHaveLength(5);
    expect(run.endedAtMs).toBe(8800);
  });

  it('prefetch 2: worker 2 receives 16, worker 1 receives 4, the run ends at about 6.5 s', () => {
    const { run, of } = play({ prefetch: 2 });
    expect(of('worker 2')).toHaveLength(16);
    expect(of('worker 1')).toHaveLength(4);
    expect(run.endedAtMs).toBe(6500);
  });

  it.each([2000, 2500, 2999])('crash of worker 1 at %i ms, prefetch unlimited: 9 redelivered, message 3 done after message 20', (atMs) => {
    const { f, of } = play({}, atMs);
    expect(f.deliveries.filter((d) => d.redelivered)).toHaveLength(9);
    const order = of('worker 2').map((d) => d.msgId);
    expect(order.indexOf('m3')).toBeGreaterThan(order.indexOf('m20'));
    expect(of('worker 2').every((d) => d.settled === 'ack')).toBe(true);
  });

  it.each([2000, 2500, 2999])('crash of worker 1 at %i ms, prefetch 1: 1 redelivered, and worker 2 takes it next', (atMs) => {
    const { f, of } = play({ prefetch: 1 }, atMs);
    const redelivered = f.deliveries.filter((d) => d.redelivered);
    expect(redelivered).toHaveLength(1);
    const afterCrash = of('worker 2').filter((d) => d.atMs >= atMs);
    expect(afterCrash[0].msgId).toBe(redelivered[0].msgId);
  });

  it('slowWorkerMs 0 leaves the work-queue trace byte-identical', () => {
    const knobs = { ...WORK_QUEUE_DEFAULTS, crashes: [{ consumer: 1, atMs: 1500 }] };
    const without = runWorkQueue(knobs, { seed: 3, untilMs: 60_000 });
    const withZero = runWorkQueue({ ...knobs, slowWorkerMs: 0 }, { seed: 3, untilMs: 60_000 });
    expect(JSON.stringify([...withZero.trace])).toBe(JSON.stringify([...without.trace]));
  });
});
