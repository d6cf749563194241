/**
 * Bad input in localStorage: corrupted, mistyped or hostile values under the `mqlab:*` keys (progress, saved code)
 * and storage that throws. Readers never throw and return the documented safe default.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeProgress, PROGRESS_KEY, readProgress, updateLessonProgress } from '../../../src/lib/progress.ts';
import { readJson, writeJson } from '../../../src/lib/storage.ts';
import { codeKey, loadCode, saveCode, STORED_CODE_CHARS_MAX } from '../../../src/components/code/code-store.ts';

/** A Map-backed Storage; `failing` makes every call throw like a storage blocked by the browser. */
class MemoryStorage {
  readonly data = new Map<string, string>();
  failing = false;
  getItem(key: string): string | null { this.check(); return this.data.get(key) ?? null; }
  setItem(key: string, value: string): void { this.check(); this.data.set(key, String(value)); }
  removeItem(key: string): void { this.check(); this.data.delete(key); }
  private check(): void { if (this.failing) throw new DOMException('The operation is insecure.', 'SecurityError'); }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

/** Strings a corrupted or hostile store could hold. */
const storedText = fc.oneof(
  fc.constantFrom('', '{', 'null', 'undefined', '[]', '42', 'true', '"text"', '{"lessons":[1,2]}',
    '{"lessons":{"01-work-queue":"yes"}}', '{"lessons":{"__proto__":{"read":true}}}', '{"__proto__":{"lessons":{}}}',
    '{"lessons":{"a":{"read":"true","exercisePassed":1}}}', '{"code":12}', '{"code":null}', '\uD800', '\u0000'),
  fc.string(),
  fc.json(),
  fc.anything().map((v) => { try { return JSON.stringify(v) ?? 'undefined'; } catch { return 'x'; } }),
);

function isCleanProgress(p: unknown): boolean {
  if (typeof p !== 'object' || p === null) return false;
  const { lessons } = p as { lessons: unknown };
  if (typeof lessons !== 'object' || lessons === null || Array.isArray(lessons)) return false;
  if (Object.getPrototypeOf(lessons) !== Object.prototype && Object.getPrototypeOf(lessons) !== null) return false;
  return Object.values(lessons).every((entry) => typeof entry === 'object' && entry !== null
    && Object.entries(entry).every(([k, v]) => (k === 'read' || k === 'exercisePassed') && v === true));
}

describe('progress parsing on bad input', () => {
  it('normalizeProgress never throws and keeps only { lessons: { slug: { read?: true, exercisePassed?: true } } }', () => {
    fc.assert(fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBoxedValues: true }), fc.json().map((j) => JSON.parse(j) as unknown)), (raw) => {
      expect(isCleanProgress(normalizeProgress(raw))).toBe(true);
    }), { numRuns: 2000 });
  });

  it('readProgress never throws on any stored text, and returns clean progress', () => {
    fc.assert(fc.property(storedText, (text) => {
      storage.data.set(PROGRESS_KEY, text);
      expect(isCleanProgress(readProgress())).toBe(true);
    }), { numRuns: 2000 });
  });

  it('keeps the good entries next to corrupted ones', () => {
    storage.data.set(PROGRESS_KEY, JSON.stringify({ lessons: { good: { read: true }, bad: 'x', worse: [1], odd: { read: 'yes' } } }));
    expect(readProgress().lessons.good).toEqual({ read: true });
    expect(readProgress().lessons.bad).toBeUndefined();
  });

  it('updating over corrupted progress replaces the garbage with a clean record', () => {
    storage.data.set(PROGRESS_KEY, '{"lessons": nonsense');
    expect(updateLessonProgress('01-work-queue', { exercisePassed: true })).toBe(true);
    expect(JSON.parse(storage.data.get(PROGRESS_KEY)!)).toEqual({ lessons: { '01-work-queue': { exercisePassed: true } } });
  });

  it('a storage that throws gives empty progress and a false write, never an exception', () => {
    storage.failing = true;
    expect(readProgress()).toEqual({ lessons: {} });
    expect(updateLessonProgress('01-work-queue', { read: true })).toBe(false);
    expect(readJson('mqlab:anything')).toBeUndefined();
    expect(writeJson('mqlab:anything', 1)).toBe(false);
  });

  it('works with no localStorage at all', () => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
    expect(readProgress()).toEqual({ lessons: {} });
    expect(updateLessonProgress('x', { read: true })).toBe(false);
  });
});

describe('saved code on bad input', () => {
  it('loadCode returns a string within the size limit or undefined, for anything stored', () => {
    fc.assert(fc.property(storedText, (text) => {
      storage.data.set(codeKey('r1'), text);
      const code = loadCode('r1');
      expect(code === undefined || (typeof code === 'string' && code.length <= STORED_CODE_CHARS_MAX)).toBe(true);
    }), { numRuns: 1000 });
  });

  it('ignores oversized and mistyped stored code, keeps a valid edit', () => {
    storage.data.set(codeKey('r1'), JSON.stringify({ code: 'x'.repeat(STORED_CODE_CHARS_MAX + 1) }));
    expect(loadCode('r1')).toBeUndefined();
    storage.data.set(codeKey('r1'), JSON.stringify({ code: ['not', 'a', 'string'] }));
    expect(loadCode('r1')).toBeUndefined();
    storage.data.set(codeKey('r1'), JSON.stringify({ code: 'const x = ;' }));
    expect(loadCode('r1')).toBe('const x = ;');
  });

  it('a storage that throws loses the save quietly (false), never an exception', () => {
    storage.failing = true;
    expect(saveCode('r1', 'x')).toBe(false);
    expect(loadCode('r1')).toBeUndefined();
  });
});
