/**
 * The message-anatomy scenario (lesson 2's simulation): deterministic; every message carries a `message-properties`
 * entry; leaving the consumer-only properties out changes nothing but those entries; the broker acts on the
 * expiration property and on the routing key. The numbers are the ones the lesson's "Try" callouts promise.
 */
import { describe, expect, it } from 'vitest';
import {
  ANATOMY_QUEUE, MESSAGE_ANATOMY_KNOB_SPECS, messageAnatomyScenario, orderEvent, runMessageAnatomy,
} from '../../../simulator/brokers/amqp/scenarios/message-anatomy-scenario.ts';
import type { TraceEvent, TraceEventOf } from '../../../simulator/trace.ts';
import declaration from '../../../content/simulations/02-message-anatomy.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

const OPTIONS = { seed: 1, untilMs: 3_600_000, latencyMs: 100, faults: [] };
const DEFAULTS = Object.fromEntries(MESSAGE_ANATOMY_KNOB_SPECS.map((k) => [k.name, k.default]));

function events(knobs: Record<string, number | string> = {}): TraceEvent[] {
  return [...runMessageAnatomy({ ...DEFAULTS, ...knobs }, OPTIONS).trace];
}

function ofKind<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): TraceEventOf<K>[] {
  return trace.filter((e) => e.kind === kind) as TraceEventOf<K>[];
}

describe('message-anatomy scenario', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(events({ expirationMs: 1500 }))).toBe(JSON.stringify(events({ expirationMs: 1500 })));
  });

  it('publishes 10 orders by default, each with its body, properties and headers, all acknowledged', () => {
    const trace = events();
    expect(ofKind(trace, 'published')).toHaveLength(10);
    expect(ofKind(trace, 'acked')).toHaveLength(10);
    const first = ofKind(trace, 'message-properties')[0];
    expect(first.msgId).toBe('m1');
    expect(JSON.parse(first.body)).toMatchObject({ orderId: 1001, status: 'created' });
    expect(first.properties).toEqual([
      ['contentType', 'application/json'], ['deliveryMode', '2'], ['correlationId', 'checkout-7001'],
      ['messageId', 'order-1001-created'], ['timestamp', '1767225600'], ['type', 'order.created'], ['appId', 'shop'],
    ]);
    expect(first.headers).toEqual([['region', 'eu'], ['schema-version', '2']]);
    expect(ofKind(trace, 'message-properties')[4].properties).toContainEqual(['type', 'order.cancelled']);
  });

  it('plays out identically without the consumer-only properties: only the message-properties entries differ', () => {
    const strip = (trace: TraceEvent[]) => JSON.stringify(trace.filter((e) => e.kind !== 'message-properties'));
    const bare = events({ properties: 'bare' });
    expect(strip(bare)).toBe(strip(events()));
    for (const e of ofKind(bare, 'message-properties')) {
      expect(e.properties).toEqual([]);
      expect(e.headers).toEqual([]);
    }
  });

  it('drops the messages that wait longer than their expiration (m4, m6, m8, m10 at 1000 ms)', () => {
    const trace = events({ expirationMs: 1000 });
    const dropped = ofKind(trace, 'dropped');
    expect(dropped.map((d) => d.msgId)).toEqual(['m4', 'm6', 'm8', 'm10']);
    expect(dropped.every((d) => d.reason === 'expired' && d.queue === ANATOMY_QUEUE)).toBe(true);
    expect(ofKind(trace, 'acked')).toHaveLength(6);
    expect(ofKind(trace, 'message-properties')[0].properties).toContainEqual(['expiration', '1000']);
  });

  it('drops every message published with a routing key that names no queue', () => {
    const trace = events({ routingKey: 'invoice' });
    expect(ofKind(trace, 'dropped').map((d) => d.reason)).toEqual(Array(10).fill('unroutable'));
    expect(ofKind(trace, 'delivered')).toHaveLength(0);
  });

  it('rejects knobs out of range with the shared wording', () => {
    expect(() => runMessageAnatomy({ ...DEFAULTS, expirationMs: -1 }, OPTIONS)).toThrow(/Expiration must be a whole number from 0 to 10000 ms/);
    expect(() => runMessageAnatomy({ ...DEFAULTS, routingKey: 'x' }, OPTIONS)).toThrow(/Routing key must be one of/);
  });

  it('keeps orders varied: regions alternate and every fifth order is a cancellation', () => {
    expect(orderEvent(2, 0, { properties: 'full', expirationMs: 0 }).headers).toContainEqual(['region', 'us']);
    expect(JSON.parse(orderEvent(10, 0, { properties: 'full', expirationMs: 0 }).body).status).toBe('cancelled');
  });

  it('resolves against lesson 2\'s declaration', () => {
    const resolved = resolveSimulation('02-message-anatomy', declaration, messageAnatomyScenario);
    expect(resolved.knobs.map((k) => k.name)).toEqual(['messageCount', 'producerRatePerSec', 'processingMs', 'properties',
      'expirationMs', 'routingKey']);
  });
});
