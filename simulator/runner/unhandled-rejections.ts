/**
 * Hears promise rejections nothing handled, from the host: Node's `process.on('unhandledRejection')` or a
 * worker's / window's `unhandledrejection` event (whose default report is then prevented). Node ≥ 15 ends a process
 * on an unhandled rejection (`--unhandled-rejections=throw`), so the runner ends the run with it.
 *
 * The host reports rejections of the whole realm, not of one program; while several runs are active in one realm
 * (tests), a rejection goes to the run started last.
 *
 * Sources: https://nodejs.org/api/process.html#event-unhandledrejection,
 * https://html.spec.whatwg.org/multipage/webappapis.html#unhandled-promise-rejections
 */
type Listener = (reason: unknown) => void;

const listeners: Listener[] = [];
let detachHost: (() => void) | undefined;

function deliver(reason: unknown): void {
  listeners[listeners.length - 1]?.(reason);
}

function attachHost(): () => void {
  const nodeProcess = (globalThis as { process?: { on?: unknown; off?: unknown } }).process;
  if (nodeProcess !== undefined && typeof nodeProcess.on === 'function' && typeof nodeProcess.off === 'function') {
    const p = nodeProcess as { on(e: string, f: Listener): void; off(e: string, f: Listener): void };
    const handler: Listener = (reason) => deliver(reason);
    p.on('unhandledRejection', handler);
    return () => p.off('unhandledRejection', handler);
  }
  const target = globalThis as unknown as {
    addEventListener?: (type: string, f: (e: { reason: unknown; preventDefault(): void }) => void) => void;
    removeEventListener?: (type: string, f: (e: { reason: unknown; preventDefault(): void }) => void) => void;
  };
  if (typeof target.addEventListener === 'function') {
    const handler = (event: { reason: unknown; preventDefault(): void }) => {
      event.preventDefault();
      deliver(event.reason);
    };
    target.addEventListener('unhandledrejection', handler);
    return () => target.removeEventListener?.('unhandledrejection', handler);
  }
  return () => {};
}

/** Starts listening for one run; returns the function that stops. */
export function onUnhandledRejection(listener: Listener): () => void {
  listeners.push(listener);
  if (listeners.length === 1) detachHost = attachHost();
  return () => {
    const index = listeners.lastIndexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
    if (listeners.length === 0) {
      detachHost?.();
      detachHost = undefined;
    }
  };
}
