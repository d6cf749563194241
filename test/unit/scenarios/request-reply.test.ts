/**
 * The request-reply scenario (lesson 11's simulation): deterministic; every request gets one reply carrying its
 * correlation id, sent to its replyTo; with two servers the replies overtake the slow first request, with one they
 * come back in order; the exclusive reply queue variant routes replies through an `amq.gen-…` queue. The view
 * draws the reply path (direct reply-to's pseudo-queue included) as reply edges. The numbers are the ones the
 * lesson's "Try" callouts promise, with the lesson's declaration (its defaults) as the starting values.
 */
import { describe, expect, it } from 'vitest';
import {
  REQUEST_REPLY_KNOB_SPECS, RPC_QUEUE, requestReplyScenario, runRequestReply,
} from '../../../simulator/brokers/amqp/scenarios/request-reply-scenario.ts';
import { amqpFacts } from '../../../simulator/brokers/amqp/queries.ts';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import declaration from '../../../content/simulations/11-request-reply.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const resolved = resolveSimulation('11-request-reply', declaration, requestReplyScenario);
const DEFAULTS = {
  ...Object.fromEntries(REQUEST_REPLY_KNOB_SPECS.map((k) => [k.name, k.default])),
  ...resolved.fixed,
  ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])),
};
const OPTIONS = { seed: declaration.seed ?? 1, untilMs: 3_600_000, latencyMs: declaration.latencyMs ?? 100, faults: [] };

function run(knobs: Record<string, number | string> = {}) {
  return runRequestReply({ ...DEFAULTS, ...knobs }, OPTIONS);
}

/** The shop's replies, in the order they reached it: [correlation id, arrival ms]. */
function repliesAtShop(knobs: Record<string, number | string> = {}) {
  const f = amqpFacts([...run(knobs).trace]);
  const shop = [...f.connections.values()].find((c) => c.label === 'shop')!.id;
  return f.deliveries.filter((d) => d.connection === shop)
    .map((d) => [f.messages.get(d.msgId)!.properties.correlationId, d.arriveAtMs] as const);
}

describe('request-reply scenario', () => {
  it('is deterministic', () => {
    expect(JSON.stringify([...run({ serverCount: 3 }).trace])).toBe(JSON.stringify([...run({ serverCount: 3 }).trace]));
  });

  it('answers every request once, on its replyTo, with its correlation id', () => {
    const f = amqpFacts([...run().trace]);
    const requests = [...f.messages.values()].filter((m) => m.routingKey === RPC_QUEUE);
    const replies = [...f.messages.values()].filter((m) => m.routingKey !== RPC_QUEUE);
    expect(requests.map((m) => m.properties.correlationId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(requests.every((m) => m.properties.replyTo === 'amq.rabbitmq.reply-to')).toBe(true);
    expect(replies.map((m) => m.properties.correlationId).sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(replies.every((m) => m.routingKey.startsWith('amq.rabbitmq.reply-to.') && m.exchange === '')).toBe(true);
    expect(requests[0].publishedAtMs).toBe(1000);
  });

  it('Try 1: two servers: r2 and r3 come back by 2.5 s while r1 is still worked on; 8 published, 8 delivered', () => {
    expect(repliesAtShop()).toEqual([['r2', 1900], ['r3', 2400], ['r1', 2900], ['r4', 2900]]);
    const result = run();
    const view = amqpViewPlugin.createView(result.trace);
    const end = view.seek(result.endedAtMs);
    expect(end.counters.published).toBe(8);
    expect(end.counters.delivered).toBe(8);
    expect(end.counters.acked).toBe(4);
    expect(end.counters.autoAcked).toBe(4);
    const shopNode = view.topology.nodes.find((n) => n.shape === 'worker' && n.label === 'shop')!;
    expect(view.seek(2500).nodes.get(shopNode.id)!.status).toBe('auto-ack · received 2');
    expect(result.endedAtMs).toBe(2900);
  });

  it('Try 2: one server: the replies come back in order, the last at 4.4 s', () => {
    expect(repliesAtShop({ serverCount: 1 })).toEqual([['r1', 2900], ['r2', 3400], ['r3', 3900], ['r4', 4400]]);
    expect(run({ serverCount: 1 }).endedAtMs).toBe(4400);
  });

  it('Try 3: an exclusive server-named reply queue: replies pass through amq.gen-…; still 8 and 8', () => {
    const result = run({ replyQueue: 'exclusive' });
    const f = amqpFacts([...result.trace]);
    const replyQueue = [...f.queues.values()].find((q) => q.exclusive)!;
    expect(replyQueue.name).toMatch(/^amq\.gen-/);
    const view = amqpViewPlugin.createView(result.trace);
    const end = view.seek(result.endedAtMs);
    expect([end.counters.published, end.counters.delivered]).toEqual([8, 8]);
    expect(view.topology.edges.filter((e) => e.style === 'reply').map((e) => `${e.from} → ${e.to}`)).toEqual([
      `exchange: → queue:${replyQueue.name}`, expect.stringMatching(new RegExp(`^queue:${replyQueue.name} → consumer:`)),
    ]);
  });

  it('draws direct reply-to: its pseudo-queue is a node, and the replies travel on reply edges to the shop', () => {
    const result = run();
    const view = amqpViewPlugin.createView(result.trace);
    expect(view.topology.nodes.some((n) => n.id === 'queue:amq.rabbitmq.reply-to')).toBe(true);
    const reply = view.topology.edges.filter((e) => e.style === 'reply');
    expect(reply.map((e) => e.from)).toEqual(['exchange:', 'queue:amq.rabbitmq.reply-to']);
    const shopNode = view.topology.nodes.find((n) => n.shape === 'worker' && n.label === 'shop')!;
    expect(reply[1].to).toBe(shopNode.id);
    // A reply on its way to the shop at 1.85 s (r2: delivered at 1.8 s, arrives at 1.9 s) is drawn as a reply.
    const flights = view.seek(1850).inFlight.filter((m) => m.to === shopNode.id);
    expect(flights.map((m) => m.tone)).toEqual(['reply']);
  });

  it('rejects a knob out of range', () => {
    expect(() => run({ serverCount: 4 })).toThrow(RangeError);
  });
});
