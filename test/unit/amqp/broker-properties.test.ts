import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../../simulator/core/engine.ts';
import { AmqpBroker } from '../../../simulator/brokers/amqp/model/broker.ts';
import type { Delivery } from '../../../simulator/brokers/amqp/model/channel.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';

/**
 * Property tests: random programs against the broker model must keep RabbitMQ's invariants — no message is lost or
 * duplicated (every enqueued message ends up ready, unacked or settled exactly once), a consumer never holds more
 * unacked deliveries than its prefetch, and `redelivered` is false exactly on a message's first delivery.
 */

type Command =
  | { op: 'publish'; n: number }
  | { op: 'consume'; ch: number; noAck: boolean }
  | { op: 'qos'; ch: number; prefetch: number }
  | { op: 'ack'; ch: number; pick: number; multiple: boolean }
  | { op: 'nack'; ch: number; pick: number; multiple: boolean; requeue: boolean }
  | { op: 'get'; ch: number; noAck: boolean }
  | { op: 'cancel'; ch: number }
  | { op: 'close'; ch: number }
  | { op: 'crash'; conn: number }
  | { op: 'purge' }
  | { op: 'wait'; ms: number };

const CHANNELS = 4;
const ch = fc.integer({ min: 0, max: CHANNELS - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('publish' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('consume' as const), ch, noAck: fc.boolean() }),
  fc.record({ op: fc.constant('qos' as const), ch, prefetch: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('ack' as const), ch, pick: fc.nat(), multiple: fc.boolean() }),
  fc.record({ op: fc.constant('nack' as const), ch, pick: fc.nat(), multiple: fc.boolean(), requeue: fc.boolean() }),
  fc.record({ op: fc.constant('get' as const), ch, noAck: fc.boolean() }),
  fc.record({ op: fc.constant('cancel' as const), ch }),
  fc.record({ op: fc.constant('close' as const), ch }),
  fc.record({ op: fc.constant('crash' as const), conn: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('purge' as const) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

const props = { durable: true, exclusive: false, autoDelete: false, arguments: {} };

function execute(commands: Command[], seed: number) {
  const engine = new Engine({ seed });
  const broker = new AmqpBroker(engine, { latencyMs: 10 });
  const conns = [broker.connect('a'), broker.connect('b')];
  const channels: string[] = [];
  const received: Delivery[][] = [];
  const tags: string[][] = [];
  for (let i = 0; i < CHANNELS; i++) {
    received.push([]);
    tags.push([]);
    const index = i;
    channels.push(broker.openChannel(conns[i % 2], { onDeliver: (d) => received[index].push(d) }));
  }
  const noop = () => {};
  broker.assertQueue(channels[0], 'q', props, noop);
  let sent = 0;
  const open = (i: number) => broker.isChannelOpen(channels[i]);
  for (const c of commands) {
    switch (c.op) {
      case 'publish':
        for (let k = 0; k < c.n; k++) if (open(0)) broker.publish(channels[0], '', 'q', ++sent, {}, String(sent));
        break;
      case 'consume':
        if (open(c.ch)) broker.consume(channels[c.ch], 'q', { noAck: c.noAck }, (_e, ok) => { if (ok) tags[c.ch].push(ok.consumerTag); });
        break;
      case 'qos':
        if (open(c.ch)) broker.qos(channels[c.ch], c.prefetch, false, noop);
        break;
      case 'ack':
      case 'nack': {
        const list = received[c.ch];
        if (list.length === 0 || !open(c.ch)) break;
        const tag = list[c.pick % list.length].deliveryTag;
        if (c.op === 'ack') broker.ack(channels[c.ch], tag, c.multiple);
        else broker.nack(channels[c.ch], tag, c.multiple, c.requeue);
        break;
      }
      case 'get':
        if (open(c.ch)) broker.get(channels[c.ch], 'q', { noAck: c.noAck }, (_e, d) => { if (d) received[c.ch].push(d); });
        break;
      case 'cancel': {
        const tag = tags[c.ch].shift();
        if (tag !== undefined && open(c.ch)) broker.cancel(channels[c.ch], tag, noop);
        break;
      }
      case 'close':
        if (c.ch !== 0 && open(c.ch)) broker.closeChannel(channels[c.ch]);
        break;
      case 'crash':
        if (c.conn === 1) broker.dropConnection(conns[1]);
        break;
      case 'purge':
        if (open(0)) broker.purgeQueue(channels[0], 'q', noop);
        break;
      case 'wait':
        engine.runUntil(engine.nowMs + c.ms);
        break;
    }
  }
  while (engine.step()) { /* drain */ }
  return { engine, broker };
}

function checkInvariants(trace: TraceEvent[], stats: { ready: number; unacked: number }) {
  let enqueued = 0;
  let settled = 0;
  const firstDelivery = new Set<string>();
  const consumerOf = new Map<string, string>(); // channel/deliveryTag → consumer tag
  const prefetchOf = new Map<string, number>();
  const held = new Map<string, Set<string>>(); // consumer tag → channel/deliveryTag keys
  const openDeliveries = new Map<string, Set<string>>(); // channel → keys
  for (const e of trace) {
    switch (e.kind) {
      case 'enqueued': enqueued++; break;
      case 'queue-purged': settled += e.messageCount; break;
      case 'acked': settled++; break;
      case 'nacked': if (!e.requeue) settled++; break;
      case 'dropped': if (e.reason === 'acked-on-delivery') settled++; break;
      case 'consumer-added': if (!e.noAck) prefetchOf.set(e.consumerTag, e.prefetch); break;
      case 'delivered': {
        expect(e.redelivered).toBe(firstDelivery.has(e.msgId));
        firstDelivery.add(e.msgId);
        const key = `${e.channel}/${e.deliveryTag}`;
        if (e.consumerTag !== null && prefetchOf.has(e.consumerTag)) {
          consumerOf.set(key, e.consumerTag);
          const set = held.get(e.consumerTag) ?? new Set<string>();
          set.add(key);
          held.set(e.consumerTag, set);
          const limit = prefetchOf.get(e.consumerTag) as number;
          if (limit > 0) expect(set.size).toBeLessThanOrEqual(limit);
        }
        const open = openDeliveries.get(e.channel) ?? new Set<string>();
        open.add(key);
        openDeliveries.set(e.channel, open);
        break;
      }
      case 'channel-closed':
        for (const key of openDeliveries.get(e.channel) ?? []) {
          const tag = consumerOf.get(key);
          if (tag !== undefined) held.get(tag)?.delete(key);
        }
        openDeliveries.delete(e.channel);
        break;
      default:
        break;
    }
    if (e.kind === 'acked' || e.kind === 'nacked') {
      const key = `${e.channel}/${e.deliveryTag}`;
      const tag = consumerOf.get(key);
      if (tag !== undefined) held.get(tag)?.delete(key);
      openDeliveries.get(e.channel)?.delete(key);
    }
  }
  // Conservation: every enqueued message is ready, unacked or settled exactly once.
  expect(stats.ready + stats.unacked + settled).toBe(enqueued);
}

describe('broker model properties (fast-check)', () => {
  it('never loses or duplicates a message, respects prefetch and marks redeliveries', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 60 }), fc.integer(), (commands, seed) => {
      const { engine, broker } = execute(commands, seed);
      const stats = broker.queueStats('q');
      expect(stats).toBeDefined();
      checkInvariants(engine.trace.toArray(), stats as { ready: number; unacked: number });
    }), { numRuns: 300 });
  });

  it('is deterministic: the same commands and seed give the same trace', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 40 }), fc.integer(), (commands, seed) => {
      expect(JSON.stringify(execute(commands, seed).engine.trace)).toBe(JSON.stringify(execute(commands, seed).engine.trace));
    }), { numRuns: 50 });
  });
});
