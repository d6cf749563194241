import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../../../simulator/brokers/amqp/model/message.ts';
import { PriorityReadyList } from '../../../simulator/brokers/amqp/model/priority-ready-list.ts';

const msg = (seq: number, priority: number | undefined): BrokerMessage => ({
  num: seq, exchange: '', routingKey: 'q', content: null, properties: priority === undefined ? {} : { priority },
  preview: '', redelivered: false, seq, expiresAtMs: Infinity,
});

/** The reference order of a priority queue: effective priority descending, then seq ascending. */
function referenceOrder(messages: BrokerMessage[], maxPriority: number): string[] {
  const effective = (m: BrokerMessage) => Math.min(Number(m.properties.priority ?? 0), maxPriority);
  return [...messages].sort((a, b) => effective(b) - effective(a) || a.seq - b.seq).map((m) => `m${m.num}`);
}

type Op = { kind: 'push'; priority: number | undefined } | { kind: 'shift' } | { kind: 'requeue'; count: number };

describe('PriorityReadyList', () => {
  it('delivers like a list sorted by (capped priority desc, seq asc) under random push, shift and requeue', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), priority: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }) }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('requeue' as const), count: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 300 }), (maxPriority, ops) => {
      const list = new PriorityReadyList(maxPriority);
      const model: BrokerMessage[] = [];
      const taken: BrokerMessage[] = [];
      let seq = 0;
      for (const o of ops) {
        if (o.kind === 'push') {
          const m = msg(++seq, o.priority);
          list.push(m);
          model.push(m);
        } else if (o.kind === 'shift') {
          const head = list.shift();
          const expected = referenceOrder(model, maxPriority)[0];
          expect(head === undefined ? undefined : `m${head.num}`).toBe(expected);
          if (head !== undefined) {
            model.splice(model.indexOf(head), 1);
            taken.push(head);
          }
        } else {
          // Requeue some taken messages, one by one (few) or in bulk (sorted by seq), as the broker does.
          const back = taken.splice(0, o.count).sort((a, b) => a.seq - b.seq);
          if (back.length <= 3) for (const m of back) list.insertBySeq(m);
          else list.insertManyBySeq(back);
          model.push(...back);
        }
        expect(list.length).toBe(model.length);
      }
      expect(list.ids()).toEqual(referenceOrder(model, maxPriority));
      expect(list.peek()?.num).toBe(model.length === 0 ? undefined : Number(referenceOrder(model, maxPriority)[0].slice(1)));
      expect(list.sum(() => 1)).toBe(model.length);
      expect(list.clear()).toBe(model.length);
      expect(list.length).toBe(0);
      expect(list.shift()).toBeUndefined();
    }), { numRuns: 300 });
  });

  it('counts a missing priority as 0 and one above the maximum as the maximum', () => {
    const list = new PriorityReadyList(4);
    expect(list.priorityOf(msg(1, undefined))).toBe(0);
    expect(list.priorityOf(msg(2, 0))).toBe(0);
    expect(list.priorityOf(msg(3, 3))).toBe(3);
    expect(list.priorityOf(msg(4, 255))).toBe(4);
  });
});
