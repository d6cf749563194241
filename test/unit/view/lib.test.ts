import { describe, expect, it } from 'vitest';
import { lessonUrl, withBase } from '../../../src/lib/url.ts';
import { normalizeProgress } from '../../../src/lib/progress.ts';
import { readJson, writeJson } from '../../../src/lib/storage.ts';

describe('withBase', () => {
  it('prefixes internal paths with the base path, whatever slashes the caller used', () => {
    expect(withBase('lessons/01-work-queue/', '/mq-lab/')).toBe('/mq-lab/lessons/01-work-queue/');
    expect(withBase('/favicon.svg', '/mq-lab')).toBe('/mq-lab/favicon.svg');
    expect(withBase('', '/')).toBe('/');
  });

  it('builds lesson URLs with an optional fragment', () => {
    expect(lessonUrl('01-work-queue', 'simulation', '/x/')).toBe('/x/lessons/01-work-queue/#simulation');
    expect(lessonUrl('01-work-queue', undefined, '/')).toBe('/lessons/01-work-queue/');
  });
});

describe('normalizeProgress', () => {
  it('keeps well-formed entries and drops everything else field by field', () => {
    expect(normalizeProgress({
      lessons: { a: { read: true, exercisePassed: 'yes' }, b: 5, c: { exercisePassed: true }, d: [] },
    })).toEqual({ lessons: { a: { read: true }, c: { exercisePassed: true } } });
  });

  it('reads anything that is not an object of lessons as no progress', () => {
    for (const raw of [undefined, null, 'x', 42, [], { lessons: [] }, { lessons: 'x' }]) {
      expect(normalizeProgress(raw)).toEqual({ lessons: {} });
    }
  });
});

describe('storage without localStorage', () => {
  it('reads undefined and refuses to write instead of throwing', () => {
    expect(readJson('k')).toBeUndefined();
    expect(writeJson('k', { a: 1 })).toBe(false);
  });

  it('reads corrupted JSON as undefined', () => {
    const store = new Map<string, string>([['k', '{oops']]);
    const fake = { getItem: (key: string) => store.get(key) ?? null, setItem: () => { throw new Error('QuotaExceededError'); } };
    Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
    try {
      expect(readJson('k')).toBeUndefined();
      expect(writeJson('k', 1)).toBe(false);
    } finally {
      Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });
});
