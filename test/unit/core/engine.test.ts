import { describe, expect, it } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';
import { EventHeap } from '../../../simulator/core/heap.ts';
import { Prng } from '../../../simulator/core/prng.ts';
import { SimulationLimitError } from '../../../simulator/core/limits.ts';

describe('EventHeap', () => {
  it('pops entries in (atMs, seq) order, FIFO among equal times', () => {
    const heap = new EventHeap<{ atMs: number; seq: number; name: string }>();
    const input = [
      { atMs: 5, seq: 0, name: 'a' }, { atMs: 1, seq: 1, name: 'b' }, { atMs: 5, seq: 2, name: 'c' },
      { atMs: 0, seq: 3, name: 'd' }, { atMs: 5, seq: 4, name: 'e' }, { atMs: 1, seq: 5, name: 'f' },
    ];
    for (const e of input) heap.push(e);
    const out: string[] = [];
    for (let e = heap.pop(); e; e = heap.pop()) out.push(e.name);
    expect(out).toEqual(['d', 'b', 'f', 'a', 'c', 'e']);
  });

  it('agrees with a sort by (atMs, seq) on 2,000 random entries', () => {
    const rng = new Prng(42);
    const heap = new EventHeap<{ atMs: number; seq: number }>();
    const all = Array.from({ length: 2000 }, (_, seq) => ({ atMs: rng.int(0, 50), seq }));
    for (const e of all) heap.push(e);
    const popped: number[] = [];
    for (let e = heap.pop(); e; e = heap.pop()) popped.push(e.seq);
    const sorted = [...all].sort((x, y) => x.atMs - y.atMs || x.seq - y.seq).map((e) => e.seq);
    expect(popped).toEqual(sorted);
  });
});

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Prng(7), b = new Prng(7), c = new Prng(8);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('int(min, max) stays within bounds and reaches both ends', () => {
    const rng = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Prng(Number.NaN)).toThrow(RangeError);
  });
});

describe('Engine', () => {
  it('runs scheduled actions in time order and advances the virtual clock', () => {
    const engine = new Engine({ seed: 1 });
    const seen: string[] = [];
    engine.schedule(20, () => seen.push(`b@${engine.nowMs}`));
    engine.schedule(10, () => seen.push(`a@${engine.nowMs}`));
    engine.schedule(20, () => seen.push(`c@${engine.nowMs}`));
    while (engine.step());
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(engine.nowMs).toBe(20);
  });

  it('skips cancelled actions', () => {
    const engine = new Engine({ seed: 1 });
    const seen: number[] = [];
    const id = engine.schedule(5, () => seen.push(5));
    engine.schedule(6, () => seen.push(6));
    engine.cancel(id);
    while (engine.step());
    expect(seen).toEqual([6]);
  });

  it('runUntil processes events up to the limit and moves the clock to it', () => {
    const engine = new Engine({ seed: 1 });
    const seen: number[] = [];
    for (const d of [100, 200, 300]) engine.schedule(d, () => seen.push(d));
    expect(engine.runUntil(250)).toBe(2);
    expect(seen).toEqual([100, 200]);
    expect(engine.nowMs).toBe(250);
    expect(engine.nextEventAtMs()).toBe(300);
  });

  it('records trace entries stamped with the current simulated time', () => {
    const engine = new Engine({ seed: 1 });
    engine.schedule(42, () => engine.record({ kind: 'console', level: 'log', text: 'hi' }));
    engine.runUntil(100);
    expect(engine.trace.toArray()).toEqual([{ t: 42, kind: 'console', level: 'log', text: 'hi' }]);
  });

  it('rejects negative, NaN and infinite delays', () => {
    const engine = new Engine({ seed: 1 });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => engine.schedule(bad, () => {})).toThrow(RangeError);
    }
  });

  it('throws SimulationLimitError when a run exceeds eventsMax instead of hanging', () => {
    const engine = new Engine({ seed: 1, limits: { eventsMax: 100 } });
    const forever = () => { engine.schedule(1, forever); };
    engine.schedule(0, forever);
    expect(() => { while (engine.step()); }).toThrow(SimulationLimitError);
  });

  it('gives an identical trace for the same seed (determinism)', () => {
    const run = (seed: number) => {
      const engine = new Engine({ seed });
      const rng = engine.rng.fork();
      for (let i = 0; i < 50; i++) {
        engine.schedule(rng.int(0, 1000), () => engine.record({ kind: 'console', level: 'log', text: `e${i}` }));
      }
      while (engine.step());
      return JSON.stringify(engine.trace);
    };
    expect(run(9)).toBe(run(9));
    expect(run(9)).not.toBe(run(10));
  });
});

describe('Engine.isQuiescent and cancelled events', () => {
  it('a cancelled foreground event deep in the heap does not keep the run busy', () => {
    const engine = new Engine({ seed: 1 });
    engine.scheduleIdle(5_000, () => {});
    const timeout = engine.schedule(60_000, () => {});
    expect(engine.isQuiescent).toBe(false);
    engine.cancel(timeout);
    // The idle poll at 5 s is at the head; the cancelled 60 s event is behind it and no longer counts.
    expect(engine.isQuiescent).toBe(true);
    engine.schedule(100, () => {});
    expect(engine.isQuiescent).toBe(false);
    engine.step();
    expect(engine.isQuiescent).toBe(true);
  });
});
