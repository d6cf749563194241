import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { topologyOf } from '../../../simulator/brokers/amqp/fold.ts';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import { edgeEndpoints, layoutTopology } from '../../../src/components/sim/layout.ts';

/**
 * The diagram's lines follow the paths messages took: a topic exchange bound to a fanout exchange (exchange-to-
 * exchange binding) feeding two queues, and a queue dead-lettering to a fanout exchange that feeds a third queue.
 */
const PROGRAM = `
const amqp = require('amqplib');
const conn = await amqp.connect('amqp://localhost');
const ch = await conn.createChannel();
await ch.assertExchange('orders', 'topic', { durable: false });
await ch.assertExchange('everyone', 'fanout', { durable: false });
await ch.assertExchange('dead', 'fanout', { durable: false });
await ch.bindExchange('everyone', 'orders', 'order.*');
await ch.assertQueue('parked', { durable: false });
await ch.bindQueue('parked', 'dead', '');
await ch.assertQueue('audit', { durable: false, deadLetterExchange: 'dead' });
await ch.assertQueue('billing', { durable: false });
for (const q of ['audit', 'billing']) await ch.bindQueue(q, 'everyone', '');
ch.publish('orders', 'order.new', Buffer.from('{}'));
await new Promise((resolve) => setTimeout(resolve, 100));
const m = await ch.get('audit');
ch.nack(m, false, false);
await new Promise((resolve) => setTimeout(resolve, 100));
await conn.close();
`;

describe('exchange graph in the topology and the layout', async () => {
  const result = await runProgram(PROGRAM, {});
  const topology = topologyOf(result.trace);

  it('runs the program', () => {
    expect(result.error).toBeUndefined();
  });

  it('routes come from the exchange that delivered each queue; hops and dead letters are their own pairs', () => {
    expect(topology.publishes).toEqual([{ connection: expect.any(String), exchange: 'orders' }]);
    expect(topology.exchangeRoutes).toEqual([{ from: 'orders', to: 'everyone' }]);
    expect(topology.routes).toEqual(expect.arrayContaining([
      { exchange: 'everyone', queue: 'audit' }, { exchange: 'everyone', queue: 'billing' },
      { exchange: 'dead', queue: 'parked' },
    ]));
    expect(topology.routes.some((r) => r.exchange === 'orders')).toBe(false);
    expect(topology.deadLetters).toEqual([{ queue: 'audit', exchange: 'dead' }]);
  });

  it('draws only those lines: no producer line to an exchange it never published to; bindings carry their keys', () => {
    const view = amqpViewPlugin.createView(result.trace).topology;
    const layout = layoutTopology(view);
    const lines = layout.edges.map((e) => `${e.from} > ${e.to}${e.style === 'dead-letter' ? ' (dead letter)' : ''}`);
    expect(view.edges.find((e) => e.from === 'exchange:orders')?.label).toBe('order.*');
    expect(lines.filter((l) => l.startsWith('producer:'))).toEqual([expect.stringMatching(/ > exchange:orders$/)]);
    expect(lines).toEqual(expect.arrayContaining([
      'exchange:orders > exchange:everyone', 'exchange:everyone > queue:audit', 'exchange:everyone > queue:billing',
      'queue:audit > exchange:dead (dead letter)', 'exchange:dead > queue:parked',
    ]));
  });

  it('joins boxes of one column top to bottom, and runs a line back to the left from side to side', () => {
    const layout = layoutTopology(amqpViewPlugin.createView(result.trace).topology);
    const orders = layout.boxes.get('exchange:orders')!;
    const everyone = layout.boxes.get('exchange:everyone')!;
    const down = edgeEndpoints(orders, everyone, 'horizontal');
    expect(down.x0).toBe(orders.x);
    expect(down.x1).toBe(everyone.x);
    expect(Math.abs(down.y1 - down.y0)).toBeLessThan(Math.abs(everyone.y - orders.y));
    const audit = layout.boxes.get('queue:audit')!;
    const dead = layout.boxes.get('exchange:dead')!;
    const back = edgeEndpoints(audit, dead, 'horizontal');
    expect(back.x0).toBe(audit.x - audit.w / 2);
    expect(back.x1).toBe(dead.x + dead.w / 2);
  });
});
