/**
 * How the keyboard enters a code runner's editor. The code block — the `<pre>` until Monaco loads, the editor's
 * host element after — is one Tab stop that takes no text: Enter, or typing a character, while it has the focus
 * moves the focus into the editor (that key is not typed into the code); Escape in the editor gives the focus back
 * to the block (see `MountOptions.onEscape`), from where Tab moves on. Nothing else moves the focus into the editor:
 * not Monaco finishing its load, not the block being swapped for the editor while it has the focus. So a learner
 * Tabbing through the page never has a Tab typed into their code.
 */

/** Does this key press on the focused code block ask to edit? Enter, or a printable character without Ctrl/Alt/Meta. */
export function isEditIntent(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing'>): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false;
  // Space is left alone: on a focused block that is not a text field it scrolls the page, as everywhere else.
  return event.key === 'Enter' || (event.key.length === 1 && event.key !== ' ');
}

/** Calls `enter` when the learner presses Enter or types on `block` itself (not on an element inside it). */
export function onEditIntent(block: HTMLElement, enter: () => void): void {
  block.addEventListener('keydown', (event) => {
    if (event.target !== block || !isEditIntent(event)) return;
    event.preventDefault();
    enter();
  });
}

/**
 * Runs `swap` (which hides or replaces `from`) and, if `from` had the focus, gives it to `to`, so the focus does not
 * fall back to the page's `<body>`.
 */
export function swapKeepingFocus(from: HTMLElement, to: () => HTMLElement | undefined, swap: () => void): void {
  const hadFocus = document.activeElement === from;
  swap();
  if (hadFocus) to()?.focus({ preventScroll: true });
}
