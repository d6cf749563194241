/**
 * The publish/subscribe scenario (lesson 9's simulation): deterministic; with a queue per subscriber every event is
 * delivered once to each subscriber; with one shared queue the subscribers take turns; a late last subscriber gets
 * only the events published after its binding; no subscriber means every event is dropped. The numbers are the
 * ones the lesson's "Try" callouts promise, with the lesson's declaration (its defaults) as the starting values.
 */
import { describe, expect, it } from 'vitest';
import {
  PUBLISH_SUBSCRIBE_KNOB_SPECS, PUBSUB_EXCHANGE, publishSubscribeScenario, runPublishSubscribe,
} from '../../../simulator/brokers/amqp/scenarios/publish-subscribe-scenario.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import declaration from '../../../content/simulations/09-publish-subscribe.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('09-publish-subscribe', declaration, publishSubscribeScenario);
const DEFAULTS = {
  ...Object.fromEntries(PUBLISH_SUBSCRIBE_KNOB_SPECS.map((k) => [k.name, k.default])),
  ...resolved.fixed,
  ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])),
};
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults: [] };

function facts(knobs: Record<string, number | string> = {}) {
  return amqpFacts([...runPublishSubscribe({ ...DEFAULTS, ...knobs }, OPTIONS).trace]);
}

/** Message numbers each subscriber (connection label) received, in order. */
function received(f: ReturnType<typeof facts>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const d of f.deliveries) {
    const label = f.connections.get(d.connection)!.label;
    (out[label] ??= []).push(Number(d.msgId.slice(1)));
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('publish-subscribe scenario', () => {
  it('is deterministic', () => {
    const a = [...runPublishSubscribe({ ...DEFAULTS, lastSubscriberAtMs: 2500 }, OPTIONS).trace];
    const b = [...runPublishSubscribe({ ...DEFAULTS, lastSubscriberAtMs: 2500 }, OPTIONS).trace];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('Try 1: three subscribers with a queue each: 10 published, 30 delivered, every subscriber gets every event', () => {
    const f = facts();
    expect(f.messages.size).toBe(10);
    expect(f.deliveries).toHaveLength(30);
    expect(f.deliveries.every((d) => d.settled === 'ack')).toBe(true);
    expect(received(f)).toEqual({ emailer: range(1, 10), stats: range(1, 10), audit: range(1, 10) });
    expect(f.exchanges.get(PUBSUB_EXCHANGE)).toBe('fanout');
    const queues = [...f.queues.values()];
    expect(queues).toHaveLength(3);
    expect(queues.every((q) => q.exclusive && q.name.startsWith('amq.gen-'))).toBe(true);
  });

  it('Try 2: one shared queue: 10 delivered, the emailer gets events 1, 4, 7 and 10', () => {
    const f = facts({ queues: 'shared' });
    expect(f.messages.size).toBe(10);
    expect(f.deliveries).toHaveLength(10);
    expect(received(f).emailer).toEqual([1, 4, 7, 10]);
    expect([...f.queues.keys()]).toEqual(['user-events.all']);
  });

  it('Try 3: the last subscriber starting at 3000 ms binds at 3.5 s and gets events 6 to 10: 25 delivered', () => {
    const f = facts({ lastSubscriberAtMs: 3000 });
    expect(f.deliveries).toHaveLength(25);
    expect(received(f).audit).toEqual(range(6, 10));
    const trace = [...runPublishSubscribe({ ...DEFAULTS, lastSubscriberAtMs: 3000 }, OPTIONS).trace];
    expect(trace.filter((e) => e.kind === 'queue-bound').map((e) => e.t)).toEqual([500, 500, 3500]);
    expect(f.messages.get('m5')!.publishedAtMs).toBe(3000);
    expect(f.messages.get('m6')!.publishedAtMs).toBe(3500);
  });

  it('Try 4: no subscriber: the fanout exchange has no binding and drops all 10 events', () => {
    const f = facts({ subscriberCount: 0 });
    expect(f.messages.size).toBe(10);
    expect(f.dropped).toHaveLength(10);
    expect(f.dropped.every((d) => d.reason === 'unroutable')).toBe(true);
    expect(f.deliveries).toHaveLength(0);
  });

  it('publishes the first event at 1 s, after the subscribers that start at 0 are bound', () => {
    const f = facts();
    expect(f.messages.get('m1')!.publishedAtMs).toBe(1000);
    expect(Math.max(...f.consumers.map((c) => c.addedAtMs))).toBeLessThan(1000);
  });

  it('rejects a knob out of range', () => {
    expect(() => runPublishSubscribe({ ...DEFAULTS, subscriberCount: 9 }, OPTIONS)).toThrow(RangeError);
  });
});
