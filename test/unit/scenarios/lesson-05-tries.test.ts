/**
 * The "Try:" callouts of lesson 05 describe what its simulation shows when the learner presses Crash now or Restart
 * now at a moment of their choosing. These tests run the declaration (`content/simulations/05-reliability.ts`) the way
 * the lesson page does, with the knob values a Try names and the fault at every moment the Try allows (every 50 ms),
 * and check the counters the text states.
 */
import { describe, expect, it } from 'vitest';
import declaration from '../../../content/simulations/05-reliability.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';
import type { Fault } from '../../../simulator/scenario.ts';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import whatSurvives from '../../../content/exercises/05-reliability/what-survives.mjs?raw';

async function play(knobs: Record<string, number | string>, faults: Fault[]) {
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation('05-reliability', declaration, scenario);
  const values = { ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])), ...resolved.fixed, ...knobs };
  const run = scenario.run(values, {
    seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults,
  });
  const counters = (atMs: number) => snapshotAt(run.trace, atMs).counters;
  return { run, counters, end: counters(run.endedAtMs) };
}

const restart = (atMs: number): Fault[] => [{ id: 'restart-broker', target: 'broker', atMs }];
const times = (from: number, to: number) => Array.from({ length: Math.floor((to - from) / 50) + 1 }, (_, i) => from + i * 50);

describe('lesson 05: the Try callouts of the reliability simulation', () => {
  it('the producer has published all 30 messages by about 3 s; the queue still holds some until about 14 s', async () => {
    const { counters } = await play({}, []);
    expect(counters(3200).published).toBe(30);
    expect(counters(3000).published).toBeLessThan(30);
  });

  it('crash worker 1 while busy: redelivered goes up by 1, all 30 acked; with automatic acks messages are lost', async () => {
    for (const t of times(1000, 10_000)) {
      const { end } = await play({}, [{ id: 'crash-worker', target: '1', atMs: t }]);
      expect(end.redelivered, `crash at ${t}`).toBe(1);
      expect(end.acked).toBe(30);
      expect(end.lost).toBe(0);
    }
    for (const t of times(1000, 10_000)) {
      const { end } = await play({ ackMode: 'auto' }, [{ id: 'crash-worker', target: '1', atMs: t }]);
      expect(end.lost, `crash at ${t}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('restart after the last publish: nothing lost, 30 acked, redelivered 2 (durable queue, persistent messages)', async () => {
    for (const t of times(3500, 14_000)) {
      const { end } = await play({}, restart(t));
      expect([t, end.lost, end.acked, end.redelivered]).toEqual([t, 0, 30, 2]);
    }
  });

  it('restart while publishing: lost goes up by 1 or 2 even with a durable queue and persistent messages', async () => {
    for (const t of times(500, 3000)) {
      const { end } = await play({}, restart(t));
      expect(end.lost, `restart at ${t}`).toBeGreaterThanOrEqual(1);
      expect(end.lost, `restart at ${t}`).toBeLessThanOrEqual(2);
      expect(end.acked + end.lost).toBe(30);
    }
  });

  it('transient messages or a transient queue: the restart loses what the queue held', async () => {
    for (const knobs of [{ persistent: 'no' }, { durable: 'no' }] as Array<Record<string, string>>) {
      for (const t of times(3500, 14_000)) {
        const { counters, end } = await play(knobs, restart(t));
        const before = counters(t - 1);
        expect(end.lost).toBe(30 - before.acked);
        expect(end.acked).toBe(before.acked);
      }
    }
  });
});

describe('lesson 05: the example what-survives.mjs and its Try', () => {
  // The page's code runner restarts the broker 1 s into the run, for 3 s.
  const faults = [{ id: 'restart-broker', atMs: 1000, valueMs: 3000 }];
  const lines = async (source: string) => (await runProgram(source, { filename: 'what-survives.mjs', faults })).console.map((l) => l.text);

  it('prints what a restart keeps: only the persistent message of the durable queue', async () => {
    expect(await lines(whatSurvives)).toEqual([
      'lesson05.durable: 2 messages',
      'lesson05.not-durable: 2 messages',
      'waiting for the broker to restart...',
      'the broker closed the connection (320)',
      'refused (ECONNREFUSED), trying again',
      'connected again; what is left:',
      'lesson05.durable: persistent',
      'lesson05.not-durable: gone',
    ]);
  });

  it('Try: with the second message persistent too, the durable queue keeps both; the other queue is still gone', async () => {
    const source = whatSurvives.replace("Buffer.from('transient'), { persistent: false }", "Buffer.from('transient'), { persistent: true }");
    expect(source).not.toBe(whatSurvives);
    const out = await lines(source);
    expect(out.slice(-2)).toEqual(['lesson05.durable: persistent, transient', 'lesson05.not-durable: gone']);
  });
});
