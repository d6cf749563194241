import { describe, expect, it } from 'vitest';
import { isEditIntent } from '../../../src/components/code/editor-entry.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing', boolean>> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, ...mods,
});

describe('isEditIntent: which keys on the focused code block move the focus into the editor', () => {
  it('Enter and typed characters do', () => {
    for (const k of ['Enter', 'a', 'Z', '1', '{', ';']) expect(isEditIntent(key(k)), k).toBe(true);
  });

  it('navigation keys, Space and shortcuts do not (Tab must never end up in the code)', () => {
    for (const k of ['Tab', 'Escape', 'ArrowDown', 'PageDown', 'Home', 'Shift', ' ', 'F5']) {
      expect(isEditIntent(key(k)), k).toBe(false);
    }
    expect(isEditIntent(key('Enter', { ctrlKey: true })), 'Ctrl+Enter runs the code').toBe(false);
    expect(isEditIntent(key('Enter', { metaKey: true }))).toBe(false);
    expect(isEditIntent(key('c', { ctrlKey: true })), 'Ctrl+C copies').toBe(false);
    expect(isEditIntent(key('f', { altKey: true }))).toBe(false);
    expect(isEditIntent(key('a', { isComposing: true }))).toBe(false);
  });
});
