import { describe, expect, it } from 'vitest';
import { isRecord } from '../../../src/lib/is-record.ts';

describe('isRecord (the shared first check on untrusted data)', () => {
  it('accepts objects, including ones without a prototype', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ lessons: {} })).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
  });

  it('refuses null, arrays and primitives', () => {
    for (const value of [null, undefined, [], [1], 'x', 1, true, 1n, Symbol('s')]) expect(isRecord(value), String(value)).toBe(false);
  });
});
