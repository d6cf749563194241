/**
 * Saved edits of code runners (src/components/code/code-store.ts) and the inline markup of exercise texts
 * (src/components/exercise/format.ts): corrupt or oversized stored values are ignored, a full storage loses
 * nothing but the save, and exercise text can never inject HTML.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearCode, codeKey, loadCode, saveCode, STORED_CODE_CHARS_MAX } from '../../../src/components/code/code-store.ts';
import { escapeHtml, inlineMarkup } from '../../../src/components/exercise/format.ts';

class MemoryStorage {
  items = new Map<string, string>();
  full = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function useStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  return storage;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('code store', () => {
  it('round-trips an edit under mqlab:code:v1:<id>', () => {
    const storage = useStorage();
    expect(saveCode('hello', 'console.log(1)')).toBe(true);
    expect([...storage.items.keys()]).toEqual(['mqlab:code:v1:hello']);
    expect(loadCode('hello')).toBe('console.log(1)');
    clearCode('hello');
    expect(loadCode('hello')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops'],
    ['a bare string', '"code"'],
    ['an array', '["x"]'],
    ['code of the wrong type', '{"code":42}'],
    ['oversized code', JSON.stringify({ code: 'x'.repeat(STORED_CODE_CHARS_MAX + 1) })],
  ])('ignores %s', (_label, raw) => {
    const storage = useStorage();
    storage.items.set(codeKey('r'), raw);
    expect(loadCode('r')).toBeUndefined();
  });

  it('reports a full storage as not saved instead of throwing', () => {
    const storage = useStorage();
    storage.full = true;
    expect(saveCode('r', 'x')).toBe(false);
  });

  it('works without any storage', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(loadCode('r')).toBeUndefined();
    expect(saveCode('r', 'x')).toBe(false);
    expect(() => clearCode('r')).not.toThrow();
  });
});

describe('exercise inline markup', () => {
  it('renders `code` and **bold**', () => {
    expect(inlineMarkup('Use `noAck: false` **now**')).toBe('Use <code>noAck: false</code> <strong>now</strong>');
  });

  it('escapes HTML everywhere, inside code too', () => {
    expect(inlineMarkup('<img src=x onerror=alert(1)> `<b>`')).toBe(
      '&#60;img src=x onerror=alert(1)&#62; <code>&#60;b&#62;</code>');
    expect(escapeHtml(`"'&`)).toBe('&#34;&#39;&#38;');
  });
});
