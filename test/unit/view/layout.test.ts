import { describe, expect, it } from 'vitest';
import { topologyOf } from '../../../simulator/brokers/amqp/fold.ts';
import { layoutTopology, pathBetween, ROW_HEIGHT } from '../../../src/components/sim/layout.ts';
import { WORK_QUEUE_FIXTURE } from '../snapshot/fixture-trace.ts';

describe('layoutTopology', () => {
  const layout = layoutTopology(topologyOf(WORK_QUEUE_FIXTURE));

  it('puts producers, exchange, queue and consumers in columns from left to right', () => {
    const x = (key: string) => layout.boxes.get(key)!.x;
    expect(x('producer:c1')).toBeLessThan(x('exchange:'));
    expect(x('exchange:')).toBeLessThan(x('queue:tasks'));
    expect(x('queue:tasks')).toBeLessThan(x('consumer:ctag1'));
  });

  it('stacks consumers one row apart, centred on the single queue', () => {
    const c1 = layout.boxes.get('consumer:ctag1')!;
    const c2 = layout.boxes.get('consumer:ctag2')!;
    const queue = layout.boxes.get('queue:tasks')!;
    expect(c2.y - c1.y).toBe(ROW_HEIGHT);
    expect((c1.y + c2.y) / 2).toBe(queue.y);
  });

  it('draws edges along publish, route and consume paths only', () => {
    expect(layout.edges).toEqual([
      { from: 'producer:c1', to: 'exchange:' },
      { from: 'exchange:', to: 'queue:tasks' },
      { from: 'queue:tasks', to: 'consumer:ctag1' },
      { from: 'queue:tasks', to: 'consumer:ctag2' },
    ]);
  });

  it('runs acks back on a separate lane from the consumer to the queue', () => {
    const forward = pathBetween(layout, { kind: 'queue', id: 'tasks' }, { kind: 'consumer', id: 'ctag1' })!;
    const back = pathBetween(layout, { kind: 'consumer', id: 'ctag1' }, { kind: 'queue', id: 'tasks' })!;
    expect(forward.x0).toBeLessThan(forward.x1);
    expect(back.x0).toBeGreaterThan(back.x1);
    expect(back.y0).toBeGreaterThan(forward.y1);
    expect(pathBetween(layout, { kind: 'queue', id: 'nope' }, { kind: 'consumer', id: 'ctag1' })).toBeUndefined();
  });
});

describe('consumer order', () => {
  it('groups consumers by the row of their queue, whatever order they subscribed in', () => {
    const layout = layoutTopology({
      producers: [], exchanges: [], routes: [], publishes: [], exchangeRoutes: [], deadLetters: [], depthMax: 0,
      queues: ['a', 'b'],
      consumers: [
        { consumerTag: 'on-b', label: 'b worker', channel: 'c1.ch1', connection: 'c1', queue: 'b' },
        { consumerTag: 'on-a', label: 'a worker', channel: 'c2.ch1', connection: 'c2', queue: 'a' },
      ],
    });
    expect(layout.boxes.get('consumer:on-a')!.y).toBeLessThan(layout.boxes.get('consumer:on-b')!.y);
  });
});
