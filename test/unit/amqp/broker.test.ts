import { describe, expect, it } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';
import { SimulationLimitError } from '../../../simulator/core/limits.ts';
import { AmqpBroker } from '../../../simulator/brokers/amqp/model/broker.ts';
import type { Delivery } from '../../../simulator/brokers/amqp/model/channel.ts';
import type { AmqpServerError } from '../../../simulator/brokers/amqp/model/errors.ts';
import { ofKind } from './helpers.ts';

const props = { durable: true, exclusive: false, autoDelete: false, arguments: {} };
const noop = () => {};

function setup(options: { seed?: number; latencyMs?: number; messagesInFlightMax?: number } = {}) {
  const engine = new Engine({
    seed: options.seed ?? 1,
    limits: options.messagesInFlightMax === undefined ? {} : { messagesInFlightMax: options.messagesInFlightMax },
  });
  const broker = new AmqpBroker(engine, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const conn = broker.connect('test');
  const deliveries: Delivery[] = [];
  const closes: string[] = [];
  const ch = broker.openChannel(conn, {
    onDeliver: (d) => deliveries.push(d),
    onServerClose: (r) => closes.push(r.text),
  });
  return { engine, broker, conn, ch, deliveries, closes };
}

function drain(engine: Engine) {
  while (engine.step()) { /* run everything */ }
}

describe('AmqpBroker', () => {
  it('rejects an absurd latency with a RangeError naming it', () => {
    const engine = new Engine({ seed: 1 });
    expect(() => new AmqpBroker(engine, { latencyMs: -5 })).toThrow(/latencyMs must be an integer in \[0, 60000\]/);
    expect(() => new AmqpBroker(engine, { latencyMs: 1e9 })).toThrow(RangeError);
  });

  it('records published at send time and enqueued one latency later', () => {
    const { engine, broker, ch } = setup({ latencyMs: 7 });
    broker.assertQueue(ch, 'q', props, noop);
    drain(engine);
    broker.publish(ch, '', 'q', 'x', {}, 'x');
    drain(engine);
    const published = ofKind(engine.trace, 'published')[0];
    const enqueued = ofKind(engine.trace, 'enqueued')[0];
    expect(published.arriveAtMs - published.t).toBe(7);
    expect(enqueued.t).toBe(published.arriveAtMs);
  });

  it('drops a message published to a missing queue as unroutable', () => {
    const { engine, broker, ch } = setup();
    broker.publish(ch, '', 'nowhere', 'x', {}, 'x');
    drain(engine);
    expect(ofKind(engine.trace, 'dropped')).toMatchObject([{ msgId: 'm1', reason: 'unroutable' }]);
  });

  it('records noAck deliveries as acked-on-delivery and keeps nothing unacked', () => {
    const { engine, broker, ch, deliveries } = setup();
    broker.assertQueue(ch, 'q', props, noop);
    broker.consume(ch, 'q', { noAck: true }, noop);
    broker.publish(ch, '', 'q', 'x', {}, 'x');
    drain(engine);
    expect(deliveries).toHaveLength(1);
    expect(ofKind(engine.trace, 'dropped')).toMatchObject([{ reason: 'acked-on-delivery' }]);
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 0, consumers: 1 });
  });

  it('ignores prefetch for noAck consumers', () => {
    const { engine, broker, ch, deliveries } = setup();
    broker.assertQueue(ch, 'q', props, noop);
    broker.qos(ch, 1, false, noop);
    broker.consume(ch, 'q', { noAck: true }, noop);
    for (let i = 0; i < 5; i++) broker.publish(ch, '', 'q', i, {}, String(i));
    drain(engine);
    expect(deliveries).toHaveLength(5);
  });

  it('limits all consumers of a channel together with a global prefetch', () => {
    const { engine, broker, ch, deliveries } = setup();
    broker.assertQueue(ch, 'q', props, noop);
    broker.qos(ch, 3, true, noop);
    broker.consume(ch, 'q', {}, noop);
    broker.consume(ch, 'q', {}, noop);
    for (let i = 0; i < 10; i++) broker.publish(ch, '', 'q', i, {}, String(i));
    drain(engine);
    expect(deliveries).toHaveLength(3);
    broker.ack(ch, 0, true);
    drain(engine);
    expect(deliveries).toHaveLength(6);
  });

  it('rejects ack multiple of a tag no longer outstanding, even if lower ones are (RabbitMQ collect_acks)', () => {
    const { engine, broker, ch, closes } = setup();
    broker.assertQueue(ch, 'q', props, noop);
    for (let i = 0; i < 3; i++) broker.publish(ch, '', 'q', i, {}, String(i));
    for (let i = 0; i < 3; i++) broker.get(ch, 'q', {}, noop);
    drain(engine);
    broker.ack(ch, 3, false);
    broker.ack(ch, 3, true);
    drain(engine);
    expect(closes).toEqual(['PRECONDITION_FAILED - unknown delivery tag 3']);
    expect(broker.readyIds('q')).toEqual(['m1', 'm2']);
  });

  it('fails an exclusive queue for other connections with 405 and deletes it when its owner closes', () => {
    const { engine, broker, conn, ch } = setup();
    const other = broker.openChannel(broker.connect('other'));
    const errors: string[] = [];
    broker.assertQueue(ch, 'mine', { ...props, exclusive: true }, noop);
    broker.checkQueue(other, 'mine', (err: AmqpServerError | null) => { if (err) errors.push(err.replyText); });
    drain(engine);
    expect(errors[0]).toMatch(/^RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'mine'/);
    broker.closeConnection(conn);
    drain(engine);
    expect(broker.queueStats('mine')).toBeUndefined();
    expect(ofKind(engine.trace, 'queue-deleted')).toMatchObject([{ queue: 'mine', messageCount: 0 }]);
  });

  it('deletes an auto-delete queue when its last consumer is cancelled', () => {
    const { engine, broker, ch } = setup();
    let tag = '';
    broker.assertQueue(ch, 'ad', { ...props, autoDelete: true }, noop);
    broker.consume(ch, 'ad', {}, (_e, ok) => { tag = ok?.consumerTag ?? ''; });
    drain(engine);
    expect(broker.queueStats('ad')).toBeDefined();
    broker.cancel(ch, tag, noop);
    drain(engine);
    expect(broker.queueStats('ad')).toBeUndefined();
  });

  it('refuses a reserved amq. queue name with 403, even redeclaring an existing server-named queue', () => {
    const { engine, broker, ch } = setup();
    let message = '';
    broker.assertQueue(ch, 'amq.mine', props, (err) => { message = err?.replyText ?? ''; });
    drain(engine);
    expect(message).toBe("ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
    const ch2 = broker.openChannel(broker.connect('again'));
    let generated = '';
    let again = '';
    broker.assertQueue(ch2, '', props, (_e, info) => {
      generated = info?.queue ?? '';
      broker.assertQueue(ch2, generated, props, (err) => { again = err?.replyText ?? 'ok'; });
    });
    drain(engine);
    expect(again).toBe(`ACCESS_REFUSED - queue name '${generated}' contains reserved prefix 'amq.*'`);
  });

  it('words argument mismatches like RabbitMQ', () => {
    const { engine, broker, ch } = setup();
    const texts: string[] = [];
    const collect = (err: AmqpServerError | null) => { if (err) texts.push(err.replyText); };
    broker.assertQueue(ch, 'a', { ...props, arguments: { 'x-message-ttl': 1000 } }, noop);
    const ch2 = broker.openChannel(broker.connect('x'));
    const ch3 = broker.openChannel(broker.connect('y'));
    broker.assertQueue(ch2, 'a', { ...props, arguments: { 'x-message-ttl': 2000 } }, collect);
    broker.assertQueue(ch3, 'a', props, collect);
    drain(engine);
    expect(texts).toEqual([
      "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'a' in vhost '/': received '2000' but current is '1000'",
      "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'a' in vhost '/': received none but current is the value '1000' of type 'short'",
    ]);
  });

  it('stops with SimulationLimitError past messagesInFlightMax', () => {
    const { broker, ch } = setup({ messagesInFlightMax: 3 });
    for (let i = 0; i < 3; i++) broker.publish(ch, '', 'q', i, {}, String(i));
    expect(() => broker.publish(ch, '', 'q', 3, {}, '3')).toThrow(SimulationLimitError);
  });

  it('gives identical traces and names for the same seed', () => {
    const once = (seed: number) => {
      const { engine, broker, ch } = setup({ seed });
      broker.assertQueue(ch, '', props, noop);
      broker.consume(ch, 'x', {}, noop);
      drain(engine);
      return JSON.stringify(engine.trace);
    };
    expect(once(3)).toBe(once(3));
    expect(once(3)).not.toBe(once(4));
  });
});
