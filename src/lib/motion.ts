/** True when the visitor asked the OS/browser for reduced motion (no autoplay, no gliding). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** True when keyboard shortcuts must not fire: the focus is in a text field, select or code editor. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .monaco-editor')) {
    return true;
  }
  return false;
}
