/**
 * The ttl-limits scenario (lesson 15's simulation): deterministic; without limits the pricer handles all 40 updates,
 * the last one long after it was published; a message TTL dead-letters what waited too long (reason expired); a
 * length limit with drop-head dead-letters the oldest (reason maxlen) so the newest are handled; reject-publish
 * refuses the newest instead (dropped, never dead-lettered); without a dead-letter exchange what leaves is dropped.
 * The numbers are the ones the lesson's "Try" callouts promise, with the lesson's declaration as the starting values.
 */
import { describe, expect, it } from 'vitest';
import {
  TTL_DEAD_QUEUE, TTL_DLX, TTL_LIMITS_KNOB_SPECS, TTL_QUEUE, runTtlLimits, ttlLimitsScenario,
} from '../../../simulator/brokers/amqp/scenarios/ttl-limits-scenario.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import declaration from '../../../content/simulations/15-ttl-and-limits.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('15-ttl-and-limits', declaration, ttlLimitsScenario);
const DEFAULTS = {
  ...Object.fromEntries(TTL_LIMITS_KNOB_SPECS.map((k) => [k.name, k.default])),
  ...resolved.fixed,
  ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])),
};
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults: [] };

function outcome(knobs: Record<string, number | string> = {}) {
  const run = runTtlLimits({ ...DEFAULTS, ...knobs }, OPTIONS);
  const f = amqpFacts([...run.trace]);
  const handled = f.deliveries.filter((d) => d.settled === 'ack').map((d) => Number(d.msgId.slice(1)));
  const reasons = [...new Set(f.deadLettered.map((d) => d.reason))];
  const view = amqpViewPlugin.createView(run.trace);
  const counters = view.seek(run.endedAtMs).counters as Record<string, number>;
  return { run, f, handled, reasons, counters, view };
}

describe('ttl-limits scenario', () => {
  it('is deterministic', () => {
    const a = [...runTtlLimits({ ...DEFAULTS, messageTtlMs: 3000, maxLength: 5 }, OPTIONS).trace];
    const b = [...runTtlLimits({ ...DEFAULTS, messageTtlMs: 3000, maxLength: 5 }, OPTIONS).trace];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('Try 1: no TTL, no limit: all 40 handled, the last one 17.6 s after it was published; the run ends at 29.1 s', () => {
    const { f, handled, counters, run } = outcome();
    expect(handled).toHaveLength(40);
    expect(counters.published).toBe(40);
    expect(counters.acked).toBe(40);
    expect(counters.deadLettered).toBe(0);
    const last = f.deliveries.find((d) => d.msgId === 'm40')!;
    expect(last.atMs - f.messages.get('m40')!.publishedAtMs).toBe(17_650);
    expect(run.endedAtMs).toBe(29_100);
  });

  it('Try 2: a 3000 ms TTL: 19 acked, 21 dead-lettered as expired into prices.dead', () => {
    const { f, handled, reasons, counters } = outcome({ messageTtlMs: 3000 });
    expect(handled).toHaveLength(19);
    expect(counters.deadLettered).toBe(21);
    expect(counters.dropped).toBe(0);
    expect(reasons).toEqual(['expired']);
    expect(f.deadLettered.every((d) => d.queue === TTL_QUEUE && d.exchange === TTL_DLX)).toBe(true);
    expect(f.deadLettered.every((d) => f.messages.get(d.msgId)!.queues.includes(TTL_DEAD_QUEUE))).toBe(true);
  });

  it('Try 3: max length 5 with drop-head: 19 acked, 21 dead-lettered as maxlen; the newest are handled, ending with update 40', () => {
    const { handled, reasons, counters } = outcome({ maxLength: 5 });
    expect(counters.acked).toBe(19);
    expect(counters.deadLettered).toBe(21);
    expect(reasons).toEqual(['maxlen']);
    expect(handled.slice(-4)).toEqual([37, 38, 39, 40]);
  });

  it('Try 4: reject-publish: 21 dropped, none dead-lettered; the last update handled is 38', () => {
    const { handled, counters } = outcome({ maxLength: 5, overflow: 'reject-publish' });
    expect(counters.acked).toBe(19);
    expect(counters.deadLettered).toBe(0);
    expect(counters.dropped).toBe(21);
    expect(handled.at(-1)).toBe(38);
  });

  it('Try 5: drop-head without a dead-letter exchange: 21 dropped', () => {
    const { counters, f } = outcome({ maxLength: 5, deadLetter: 'no' });
    expect(counters.dropped).toBe(21);
    expect(counters.deadLettered).toBe(0);
    expect(f.queues.has(TTL_DEAD_QUEUE)).toBe(false);
  });

  it('draws the dead-letter edge from prices to prices.dlx', () => {
    const { view } = outcome({ messageTtlMs: 3000 });
    expect(view.topology.edges.some((e) => e.style === 'dead-letter')).toBe(true);
  });

  it('rejects a knob out of range', () => {
    expect(() => runTtlLimits({ ...DEFAULTS, maxLength: 99 }, OPTIONS)).toThrow(RangeError);
  });
});
