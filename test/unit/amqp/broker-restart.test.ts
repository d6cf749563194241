import { describe, expect, it } from 'vitest';
import { Buffer } from 'buffer';
import { Engine } from '../../../simulator/core/engine.ts';
import { AmqpBroker } from '../../../simulator/brokers/amqp/model/broker.ts';
import { lab, ofKind, run, settle } from './helpers.ts';

const props = { durable: true, exclusive: false, autoDelete: false, arguments: {} };
const noop = () => {};

function drain(engine: Engine) {
  while (engine.step()) { /* run everything */ }
}

describe('AmqpBroker stop / start / restart (a broker restart as a fault)', () => {
  it('closes every connection with 320, keeps durable things and persistent messages, records the kinds', () => {
    const engine = new Engine({ seed: 1 });
    const broker = new AmqpBroker(engine);
    const closes: string[] = [];
    const conn = broker.connect('app', { onServerClose: (r) => closes.push(`${r.code} ${r.text}`) });
    const ch = broker.openChannel(conn);
    broker.assertQueue(ch, 'durable', props, noop);
    broker.assertQueue(ch, 'transient', { ...props, durable: false }, noop);
    broker.assertExchange(ch, 'x', 'direct', { durable: false, autoDelete: false, internal: false }, noop);
    broker.bindQueue(ch, 'durable', 'x', 'k', noop);
    drain(engine);
    broker.publish(ch, '', 'durable', 'p', { deliveryMode: 2 }, 'p');
    broker.publish(ch, '', 'durable', 't', {}, 't');
    broker.publish(ch, '', 'transient', 'p', { deliveryMode: 2 }, 'p');
    drain(engine);
    broker.restart({ inMs: 100, downMs: 1000 });
    engine.runUntil(engine.nowMs + 200);
    expect(broker.isRunning).toBe(false);
    drain(engine);
    expect(broker.isRunning).toBe(true);
    expect(closes).toEqual(["320 CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"]);
    expect(broker.queueStats('durable')).toEqual({ ready: 1, unacked: 0, consumers: 0 });
    expect(broker.queueStats('transient')).toBeUndefined();
    const trace = [...engine.trace];
    const stopped = ofKind(trace, 'broker-stopped')[0];
    const started = ofKind(trace, 'broker-started')[0];
    expect(started.t - stopped.t).toBe(1000);
    expect(stopped.restartAtMs).toBe(started.t);
    expect(ofKind(trace, 'dropped').filter((e) => e.reason === 'transient')).toMatchObject([{ msgId: 'm2', queue: 'durable' }]);
    // Its bindings go with it (as with exchange.delete, the trace has no queue-unbound for bindings from it).
    expect(ofKind(trace, 'exchange-deleted')).toMatchObject([{ exchange: 'x' }]);
    expect(ofKind(trace, 'connection-closed')).toMatchObject([{ connection: conn, reason: { code: 320 } }]);
  });

  it('refuses connections while stopped (ECONNREFUSED through the facade) and accepts them once started', async () => {
    const { engine, amqp, broker } = lab();
    broker.stop();
    const refused = await run(engine, () => amqp.connect('amqp://localhost').then(() => 'connected', (e: Error & { code?: string }) => `${e.code} ${e.message}`));
    expect(refused).toBe('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5672');
    const tls = await run(engine, () => amqp.connect('amqps://10.1.2.3').then(() => 'connected', (e: Error) => e.message));
    expect(tls).toBe('connect ECONNREFUSED 10.1.2.3:5671');
    broker.start();
    const conn = await run(engine, () => amqp.connect('amqp://localhost'));
    await run(engine, () => conn.close());
  });

  it('expires nothing while stopped and catches up when started; x-expires starts its wait again', async () => {
    const engine = new Engine({ seed: 1 });
    const broker = new AmqpBroker(engine);
    const conn = broker.connect('app');
    const ch = broker.openChannel(conn);
    broker.assertQueue(ch, 'ttl', { ...props, arguments: { 'x-message-ttl': 500 } }, noop);
    broker.assertQueue(ch, 'exp', { ...props, arguments: { 'x-expires': 800 } }, noop);
    engine.runUntil(30);
    broker.publish(ch, '', 'ttl', 'p', { deliveryMode: 2 }, 'p');
    engine.runUntil(engine.nowMs + 50);
    const t0 = engine.nowMs;
    broker.stop();
    engine.runUntil(t0 + 2000);
    expect(broker.queueStats('ttl')?.ready).toBe(1);
    expect(broker.queueStats('exp')).toBeDefined();
    broker.start();
    expect(broker.queueStats('ttl')?.ready).toBe(0);
    engine.runUntil(engine.nowMs + 700);
    expect(broker.queueStats('exp')).toBeDefined();
    engine.runUntil(engine.nowMs + 200);
    expect(broker.queueStats('exp')).toBeUndefined();
  });

  it('rejects a restart with a bad time', () => {
    const { broker } = lab();
    expect(() => broker.restart({ downMs: -1 })).toThrow(RangeError);
    expect(() => broker.restart({ inMs: Number.NaN })).toThrow(/inMs must be a finite number/);
  });

  it('stops and starts idempotently', () => {
    const { engine, broker } = lab();
    broker.start();
    broker.stop();
    broker.stop();
    broker.start();
    expect(ofKind(engine.trace, 'broker-stopped')).toHaveLength(1);
    expect(ofKind(engine.trace, 'broker-started')).toHaveLength(1);
  });

  it('a client sees close (320) without error, as amqplib does', async () => {
    const { engine, amqp, broker } = lab();
    const events: string[] = [];
    await run(engine, async () => {
      const conn = await amqp.connect('amqp://localhost');
      conn.on('error', (e: Error) => events.push(`error ${e.message}`));
      conn.on('close', (e: Error & { code?: number }) => events.push(`close ${e.code}`));
      const ch = await conn.createChannel();
      ch.on('close', () => events.push('channel close'));
      ch.sendToQueue('nowhere', Buffer.from('x'));
      broker.restart({ downMs: 100 });
    });
    await settle(engine);
    expect(events).toEqual(['channel close', 'close 320']);
  });
});
