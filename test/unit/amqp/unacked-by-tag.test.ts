import { describe, expect, it } from 'vitest';
import { UnackedByTag } from '../../../simulator/brokers/amqp/model/unacked-by-tag.ts';
import type { Unacked } from '../../../simulator/brokers/amqp/model/channel.ts';

const entry = (deliveryTag: number) => ({ deliveryTag }) as unknown as Unacked;

describe('UnackedByTag', () => {
  it('behaves like a Map in tag order under random deliveries and settles', () => {
    const real = new Map<number, Unacked>();
    const ours = new UnackedByTag();
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    let tag = 1;
    for (let step = 0; step < 20_000; step++) {
      const r = next() % 10;
      if (r < 5) {
        tag += 1 + (next() % 3); // tags skip (noAck deliveries on the same channel)
        const u = entry(tag);
        real.set(tag, u);
        ours.set(tag, u);
      } else {
        const keys = [...real.keys()];
        const k = keys.length > 0 && r < 9 ? keys[next() % keys.length] : tag + 5;
        expect(ours.delete(k)).toBe(real.delete(k));
      }
      expect(ours.size).toBe(real.size);
      if (step % 997 === 0) {
        expect([...ours].map(([t]) => t)).toEqual([...real.keys()]);
        expect([...ours.values()]).toEqual([...real.values()]);
      }
      const probe = tag - (next() % 50);
      expect(ours.get(probe)).toBe(real.get(probe));
    }
  });

  it('keeps lookups right after dropping a long run of settled leading tags', () => {
    const ours = new UnackedByTag();
    for (let t = 1; t <= 3000; t++) ours.set(t, entry(t));
    for (let t = 1; t <= 2000; t++) ours.delete(t);
    expect(ours.size).toBe(1000);
    expect(ours.get(2000)).toBeUndefined();
    expect(ours.get(2500)?.deliveryTag).toBe(2500);
    expect([...ours.values()].map((u) => u.deliveryTag)).toEqual(Array.from({ length: 1000 }, (_, i) => 2001 + i));
    ours.set(3005, entry(3005));
    expect([...ours].at(-1)?.[0]).toBe(3005);
  });

  it('refuses a tag that is not above the outstanding ones', () => {
    const ours = new UnackedByTag();
    ours.set(5, entry(5));
    expect(() => ours.set(5, entry(5))).toThrow(RangeError);
    expect(() => ours.set(3, entry(3))).toThrow(/delivery tag 3/);
  });
});
