/**
 * Starts a part of the page (a code runner, an exercise, the charts) only when the learner comes near it, so a
 * lesson page downloads the JavaScript of what is on screen and no more (the page-weight row of `npm run bench`).
 *
 * A part is started ("mounted") when the first of these happens:
 * - it comes within `rootMargin` of the viewport (IntersectionObserver; where that is missing, at once);
 * - the learner points at, clicks, focuses, types in or changes a field of it before that (e.g. a fast click right
 *   after scrolling, Tab into it, a slider moved): those events are kept and, once the part is mounted, dispatched
 *   again on the same element, so the first click, Enter or slider move is not lost;
 * - the page was opened from a share link (`#share=`), whose state every part must restore;
 * - something needs every part, e.g. "Share" collecting the state of the whole page (`mountEverything`).
 *
 * Mounting happens once per element; a failing mount is reported on the console and marks the element with
 * `data-mount-error` (its server-rendered content stays readable).
 */

/** Starts one part; may load its code first. */
export type Mount = (root: HTMLElement) => Promise<unknown> | void;

/** Events that start a part early and are replayed once it runs. */
const EARLY_EVENTS = ['pointerdown', 'click', 'focusin', 'keydown', 'input', 'change'] as const;
/** At most this many early events are kept per part (a held key must not pile up). */
const EARLY_EVENTS_MAX = 8;

interface Pending {
  mount: Mount;
  events: Event[];
  observer?: IntersectionObserver;
  started?: Promise<void>;
}

const pending = new Map<HTMLElement, Pending>();
const started = new WeakMap<HTMLElement, Promise<void>>();

function pageOpenedFromShareLink(): boolean {
  return typeof location !== 'undefined' && /(^#|&)share=/.test(location.hash);
}

/**
 * Mounts each of `roots` when the learner comes near it (see the module doc). `rootMargin` is the
 * IntersectionObserver margin: how far outside the viewport a part starts loading (CSS length, default 600 px).
 */
export function whenNear(roots: Iterable<HTMLElement>, mount: Mount, rootMargin = '600px'): void {
  const list = [...roots].filter((root) => !pending.has(root) && !started.has(root));
  if (list.length === 0) return;
  const atOnce = pageOpenedFromShareLink() || typeof IntersectionObserver === 'undefined';
  const observer = atOnce ? undefined : new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) void start(entry.target as HTMLElement);
  }, { rootMargin });
  for (const root of list) {
    const entry: Pending = { mount, events: [], observer };
    pending.set(root, entry);
    if (atOnce) {
      void start(root);
      continue;
    }
    observer!.observe(root);
    for (const type of EARLY_EVENTS) root.addEventListener(type, onEarlyEvent, { capture: true });
  }
}

function onEarlyEvent(event: Event): void {
  const root = event.currentTarget as HTMLElement;
  const entry = pending.get(root);
  if (!entry) return;
  // A piece inside that is live already (marked `data-ready`, e.g. an exercise's code runner while the exercise
  // itself loads) handled the event itself: replaying it would do it twice.
  const live = event.target instanceof Element ? event.target.closest('[data-ready]') : null;
  if (live !== null && live !== root && root.contains(live)) return;
  if (entry.events.length < EARLY_EVENTS_MAX) entry.events.push(event);
  void start(root);
}

/** Mounts `root` now if it waits (idempotent); resolves when it has mounted (or failed to). */
function start(root: HTMLElement): Promise<void> {
  const already = started.get(root);
  if (already) return already;
  const entry = pending.get(root);
  if (!entry) return Promise.resolve();
  entry.observer?.unobserve(root);
  const done = (async () => {
    try {
      await entry.mount(root);
    } catch (error) {
      root.dataset.mountError = 'true';
      console.error('MQ Lab: this part of the page could not start:', error);
      return;
    } finally {
      // Events keep being collected while the part loads (a click during the download is not lost either).
      for (const type of EARLY_EVENTS) root.removeEventListener(type, onEarlyEvent, { capture: true });
      pending.delete(root);
    }
    replay(entry.events);
  })();
  started.set(root, done);
  return done;
}

/** Dispatches the events that arrived before the part ran again on their targets, as the part now listens. */
function replay(events: Event[]): void {
  for (const event of events) {
    const target = event.target;
    if (!(target instanceof HTMLElement) || !target.isConnected) continue;
    if (event.type === 'focusin') {
      // Only if the focus is still there: focus moved on means the learner moved on.
      if (document.activeElement !== target) continue;
      target.dispatchEvent(new FocusEvent('focus'));
      target.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    } else if (event instanceof KeyboardEvent) {
      target.dispatchEvent(new KeyboardEvent(event.type, {
        key: event.key, code: event.code, ctrlKey: event.ctrlKey, metaKey: event.metaKey, shiftKey: event.shiftKey,
        altKey: event.altKey, bubbles: true, cancelable: true,
      }));
    } else if (event.type === 'input' || event.type === 'change') {
      // The field holds its new value already; the part now hears that it changed.
      target.dispatchEvent(new Event(event.type, { bubbles: true }));
    } else if (event.type === 'click') {
      // A link followed its href already; a button did nothing yet.
      if (!target.closest('a[href]')) target.click();
    } else {
      target.dispatchEvent(new PointerEvent(event.type, { bubbles: true, cancelable: true }));
    }
  }
}

/** Mounts every part still waiting (e.g. before "Share" collects the page's state); resolves when all have. */
export async function mountEverything(): Promise<void> {
  await Promise.all([...pending.keys()].map(start));
}
