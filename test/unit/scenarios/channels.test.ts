/**
 * The channels scenario (lesson 12's simulation): deterministic; three worker channels on one connection share the
 * tasks; a probe for a missing queue on worker 1's channel closes that channel only (404), its task is redelivered
 * to another channel and the run takes longer; a probe on a channel of its own closes only that channel. The numbers
 * are the ones the lesson's "Try" callouts promise, with the lesson's declaration as the starting values.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS_KNOB_SPECS, channelsScenario, runChannels } from '../../../simulator/brokers/amqp/scenarios/channels-scenario.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import declaration from '../../../content/simulations/12-rabbitmq-setup.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('12-rabbitmq-setup', declaration, channelsScenario);
const DEFAULTS = {
  ...Object.fromEntries(CHANNELS_KNOB_SPECS.map((k) => [k.name, k.default])),
  ...resolved.fixed,
  ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])),
};
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults: [] };

function outcome(knobs: Record<string, number | string> = {}) {
  const run = runChannels({ ...DEFAULTS, ...knobs }, OPTIONS);
  const trace = [...run.trace];
  const f = amqpFacts(trace);
  const view = amqpViewPlugin.createView(run.trace);
  const counters = view.seek(run.endedAtMs).counters as Record<string, number>;
  const closed = trace.filter((e) => e.kind === 'channel-closed') as Array<{ t: number; channel: string; reason?: { code: number; text: string } }>;
  return { run, f, view, counters, closed };
}

describe('channels scenario', () => {
  it('is deterministic', () => {
    const a = JSON.stringify([...runChannels({ ...DEFAULTS, probe: 'worker' }, OPTIONS).trace]);
    expect(JSON.stringify([...runChannels({ ...DEFAULTS, probe: 'worker' }, OPTIONS).trace])).toBe(a);
  });

  it('Try 1: one connection, four channels; 20 tasks acked; the run ends at 8.3 s', () => {
    const { f, counters, run, closed } = outcome();
    expect(f.connections.size).toBe(1);
    expect(new Set(f.deliveries.map((d) => d.channel))).toEqual(new Set(['c1.ch2', 'c1.ch3', 'c1.ch4']));
    expect(counters.acked).toBe(20);
    expect(closed).toHaveLength(0);
    expect(run.endedAtMs).toBe(8300);
    // More worker channels: more consumers, still one connection.
    const more = outcome({ channelCount: 4 });
    expect(more.f.connections.size).toBe(1);
    expect(new Set(more.f.consumers.map((c) => c.channel)).size).toBe(4);
  });

  it('Try 2: the probe on worker 1\'s channel closes it with 404 at 2.6 s; 1 redelivered, 20 acked, the run ends at 11.3 s', () => {
    const { counters, run, closed, view } = outcome({ probe: 'worker' });
    expect(closed.map((c) => [c.t, c.channel, c.reason?.code])).toEqual([[2600, 'c1.ch2', 404]]);
    expect(closed[0].reason?.text).toBe("NOT_FOUND - no queue 'reports' in vhost '/'");
    expect(counters.redelivered).toBe(1);
    expect(counters.acked).toBe(20);
    expect(run.endedAtMs).toBe(11_300);
    const worker1 = [...view.seek(5000).nodes.values()].find((n) => n.spoken?.startsWith('consumer app · consumer 1'));
    expect(worker1?.badge).toBe('cancelled');
  });

  it('Try 3: the probe on a channel of its own closes only that channel; nothing redelivered, the run ends at 8.3 s', () => {
    const { counters, run, closed } = outcome({ probe: 'own' });
    expect(closed.map((c) => [c.channel, c.reason?.code])).toEqual([['c1.ch5', 404]]);
    expect(counters.redelivered).toBe(0);
    expect(run.endedAtMs).toBe(8300);
  });

  it('rejects a knob out of range', () => {
    expect(() => runChannels({ ...DEFAULTS, channelCount: 9 }, OPTIONS)).toThrow(RangeError);
  });
});
