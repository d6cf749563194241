/**
 * `Engine.scheduleCall(delayMs, fn, arg)` (the closure-free form the broker's hot paths use) keeps the engine's
 * rules: FIFO among equal times together with `schedule`, the same delay validation, and cancellation by id even
 * though the engine reuses the heap entries of events that already ran.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';

describe('Engine.scheduleCall', () => {
  it('runs fn(arg) at its time, in insertion order with schedule() among equal times', () => {
    const engine = new Engine({ seed: 1 });
    const seen: string[] = [];
    const note = (label: string) => seen.push(`${label}@${engine.nowMs}`);
    engine.scheduleCall(5, note, 'a');
    engine.schedule(5, () => note('b'));
    engine.scheduleCall(5, note, 'c');
    engine.scheduleCall(1, note, 'first');
    engine.runUntil(10);
    expect(seen).toEqual(['first@1', 'a@5', 'b@5', 'c@5']);
  });

  it('rejects negative, NaN and infinite delays like schedule()', () => {
    const engine = new Engine({ seed: 1 });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => engine.scheduleCall(bad, () => {}, 0)).toThrow(RangeError);
    }
  });

  it('cancels by id after entries of earlier events were reused, and never cancels the new event in that entry', () => {
    const engine = new Engine({ seed: 1 });
    const seen: number[] = [];
    const push = (n: number) => seen.push(n);
    const early = engine.scheduleCall(1, push, 1);
    engine.runUntil(1); // the entry of event 1 is now spare and is reused below
    engine.cancel(early); // cancelling an event that already ran does nothing
    const keep = engine.scheduleCall(1, push, 2);
    const drop = engine.scheduleCall(1, push, 3);
    engine.cancel(drop);
    engine.runUntil(100);
    expect(seen).toEqual([1, 2]);
    expect(keep).not.toBe(early);
  });
});
