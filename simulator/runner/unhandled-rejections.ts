/**
 * Hears promise rejections nothing handled, from the host: Node's `process.on('unhandledRejection')` or a
 * worker's / window's `unhandledrejection` event (whose default report is then prevented). Node ≥ 15 ends a process
 * on an unhandled rejection (`--unhandled-rejections=throw`), so the runner ends the run with it.
 *
 * The host reports rejections of the whole realm, not of one program; while several runs are active in one realm
 * (tests), a rejection goes to the run started last.
 *
 * When the host reports, relative to the runner's yields (`yield.ts`), decides whether a run stops at the same
 * engine step everywhere. `hostTurnsToHearRejections()` says how many host macrotasks the runner must yield after a
 * step so that a rejection left unhandled by that step's microtasks has been reported before the next step:
 * - Node fires `unhandledRejection` in `processTicksAndRejections`, right after the microtask queue drains and
 *   before the next macrotask: 1 turn;
 * - a browser fires `unhandledrejection` from a task it queues (DOM manipulation task source) at the microtask
 *   checkpoint that found the rejection. The runner posts its yield message BEFORE that checkpoint (while the
 *   step's microtasks are still running), so the first yield's message runs before the event's task; a second
 *   message, posted after, runs after it (Chromium runs both task sources of a dedicated worker in one FIFO queue;
 *   checked over 2,000 rejections by test/browser/cases/40-qa-runner.ts): 2 turns.
 * With that, an unhandled rejection ends the run at the same simulated moment in Node and in the browser.
 *
 * Sources: https://nodejs.org/api/process.html#event-unhandledrejection,
 * https://html.spec.whatwg.org/multipage/webappapis.html#unhandled-promise-rejections (step "notify about rejected
 * promises" queues a global task)
 */
type Listener = (reason: unknown) => void;

const listeners: Listener[] = [];
let detachHost: (() => void) | undefined;

function deliver(reason: unknown): void {
  listeners[listeners.length - 1]?.(reason);
}

function attachHost(): () => void {
  if (hasNodeProcessEvents()) {
    const p = (globalThis as { process?: unknown }).process as { on(e: string, f: Listener): void; off(e: string, f: Listener): void };
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

/**
 * Host macrotasks the runner yields after a step that ran learner code, so that a rejection left unhandled by
 * that step is reported before the next step: 1 under Node (reported after the microtask drain), 2 in a browser
 * (reported from a task of its own). See the module docstring.
 */
export function hostTurnsToHearRejections(): 1 | 2 {
  return hasNodeProcessEvents() ? 1 : 2;
}

function hasNodeProcessEvents(): boolean {
  const nodeProcess = (globalThis as { process?: { on?: unknown; off?: unknown } }).process;
  return nodeProcess !== undefined && typeof nodeProcess.on === 'function' && typeof nodeProcess.off === 'function';
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
