/**
 * The routing scenario (lesson 10's simulation): deterministic; with a topic exchange each queue gets the messages
 * its pattern matches; with a direct exchange the patterns match nothing and every message is dropped; `*.error`
 * and `*` match nothing of `<severity>.<service>`. The view draws each binding with its key, also one no message
 * took. The numbers are the ones the lesson's "Try" callouts promise, with the lesson's declaration (its defaults)
 * as the starting values.
 */
import { describe, expect, it } from 'vitest';
import { ROUTING_KNOB_SPECS, routingScenario, runRouting } from '../../../simulator/brokers/amqp/scenarios/routing-scenario.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import declaration from '../../../content/simulations/10-routing.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('10-routing', declaration, routingScenario);
const DEFAULTS = {
  ...Object.fromEntries(ROUTING_KNOB_SPECS.map((k) => [k.name, k.default])),
  ...resolved.fixed,
  ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])),
};
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults: [] };
const run = (knobs: Record<string, string | number> = {}) => runRouting({ ...DEFAULTS, ...knobs }, OPTIONS);

/** Routing keys each queue delivered, in order. */
function perQueue(knobs: Record<string, string | number> = {}): Record<string, string[]> {
  const f = amqpFacts([...run(knobs).trace]);
  const out: Record<string, string[]> = {};
  for (const d of f.deliveries) (out[d.queue] ??= []).push(f.messages.get(d.msgId)!.routingKey);
  return out;
}

function counters(knobs: Record<string, string | number> = {}) {
  const result = run(knobs);
  return amqpViewPlugin.createView(result.trace).seek(result.endedAtMs).counters;
}

describe('routing scenario', () => {
  it('is deterministic', () => {
    expect(JSON.stringify([...run({ alertsKey: 'error.#' }).trace])).toBe(JSON.stringify([...run({ alertsKey: 'error.#' }).trace]));
  });

  it('Try 1: topic: alerts gets the 3 errors, billing-team the 3 billing messages, archive all 9; 15 delivered', () => {
    expect(perQueue()).toEqual({
      alerts: ['error.web', 'error.auth', 'error.billing'],
      'billing-team': ['warn.billing', 'info.billing', 'error.billing'],
      archive: ['info.auth', 'warn.billing', 'error.web', 'info.billing', 'error.auth', 'warn.web', 'info.web',
        'warn.auth', 'error.billing'],
    });
    expect(counters()).toMatchObject({ published: 9, delivered: 15, dropped: 0 });
  });

  it('Try 2: direct: the patterns are compared as plain strings and match nothing; all 9 dropped', () => {
    expect(perQueue({ exchangeType: 'direct' })).toEqual({});
    expect(counters({ exchangeType: 'direct' })).toMatchObject({ published: 9, delivered: 0, dropped: 9 });
    expect(perQueue({ exchangeType: 'direct', alertsKey: 'error.billing' })).toEqual({ alerts: ['error.billing'] });
  });

  it('Try 3: *.error gets nothing (the severity is the first word); error.# gets the same 3 as error.*', () => {
    expect(perQueue({ alertsKey: '*.error' }).alerts).toBeUndefined();
    expect(perQueue({ alertsKey: 'error.#' }).alerts).toEqual(['error.web', 'error.auth', 'error.billing']);
  });

  it('Try 4: archive bound with * gets nothing (every key has two words), *.* gets all 9', () => {
    expect(perQueue({ archiveKey: '*' }).archive).toBeUndefined();
    expect(perQueue({ archiveKey: '*.*' }).archive).toHaveLength(9);
    expect(counters({ archiveKey: '*' })).toMatchObject({ delivered: 6, dropped: 4 });
  });

  it('draws every binding with its key, also one that no message took', () => {
    const view = amqpViewPlugin.createView(run({ exchangeType: 'direct' }).trace);
    const labels = view.topology.edges.filter((e) => e.from === 'exchange:logs').map((e) => `${e.to} ${e.label}`);
    expect(labels.sort()).toEqual(['queue:alerts error.*', 'queue:archive #', 'queue:billing-team *.billing']);
  });

  it('rejects an unknown binding key', () => {
    expect(() => run({ alertsKey: 'error' })).toThrow(RangeError);
  });
});
