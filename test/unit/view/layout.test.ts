import { describe, expect, it } from 'vitest';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import type { ViewTopology } from '../../../simulator/view/model.ts';
import { layoutTopology, pathBetween, VIEW_WIDTH } from '../../../src/components/sim/layout.ts';
import { WORK_QUEUE_FIXTURE } from '../snapshot/fixture-trace.ts';

const topology = amqpViewPlugin.createView(WORK_QUEUE_FIXTURE).topology;

describe('layoutTopology, horizontal', () => {
  const layout = layoutTopology(topology);

  it('puts producers, exchange, queue and consumers in columns from left to right', () => {
    const x = (key: string) => layout.boxes.get(key)!.x;
    expect(x('producer:c1')).toBeLessThan(x('exchange:'));
    expect(x('exchange:')).toBeLessThan(x('queue:tasks'));
    expect(x('queue:tasks')).toBeLessThan(x('consumer:ctag1'));
  });

  it('stacks consumers one above the other, centred on the single queue, without overlapping', () => {
    const c1 = layout.boxes.get('consumer:ctag1')!;
    const c2 = layout.boxes.get('consumer:ctag2')!;
    const queue = layout.boxes.get('queue:tasks')!;
    expect(c2.y - c1.y).toBeGreaterThanOrEqual(c1.h);
    expect((c1.y + c2.y) / 2).toBeCloseTo(queue.y);
  });

  it('draws edges along publish, route and consume paths only', () => {
    expect(layout.edges.map((e) => [e.from, e.to, e.style])).toEqual([
      ['producer:c1', 'exchange:', 'flow'],
      ['exchange:', 'queue:tasks', 'flow'],
      ['queue:tasks', 'consumer:ctag1', 'flow'],
      ['queue:tasks', 'consumer:ctag2', 'flow'],
    ]);
  });

  it('runs acks back on a separate lane from the consumer to the queue', () => {
    const forward = pathBetween(layout, 'queue:tasks', 'consumer:ctag1')!;
    const back = pathBetween(layout, 'consumer:ctag1', 'queue:tasks')!;
    expect(forward.x0).toBeLessThan(forward.x1);
    expect(back.x0).toBeGreaterThan(back.x1);
    expect(back.y0).toBeGreaterThan(forward.y1);
    expect(pathBetween(layout, 'queue:nope', 'consumer:ctag1')).toBeUndefined();
  });
});

describe('layoutTopology, vertical (narrow screens)', () => {
  const layout = layoutTopology(topology, { orientation: 'vertical' });

  it('keeps every node inside the narrow width, in rows from top to bottom', () => {
    for (const box of layout.boxes.values()) {
      expect(box.x - box.w / 2).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w / 2).toBeLessThanOrEqual(VIEW_WIDTH.vertical);
    }
    const y = (key: string) => layout.boxes.get(key)!.y;
    expect(y('producer:c1')).toBeLessThan(y('exchange:'));
    expect(y('exchange:')).toBeLessThan(y('queue:tasks'));
    expect(y('queue:tasks')).toBeLessThan(y('consumer:ctag1'));
    expect(y('consumer:ctag1')).toBe(y('consumer:ctag2'));
  });

  it('wraps a row that does not fit onto more lines', () => {
    const many: ViewTopology = {
      ...topology,
      nodes: Array.from({ length: 5 }, (_, i) => ({ id: `w${i}`, shape: 'worker' as const, kindLabel: 'consumer', label: `w${i}`, column: 0 })),
      edges: [],
    };
    const wrapped = layoutTopology(many, { orientation: 'vertical' });
    const rows = new Set([...wrapped.boxes.values()].map((b) => b.y));
    expect(rows.size).toBe(3);
    for (const box of wrapped.boxes.values()) expect(box.x + box.w / 2).toBeLessThanOrEqual(VIEW_WIDTH.vertical);
  });
});
