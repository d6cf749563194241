/**
 * Node-style timers on the simulation's virtual clock: `setTimeout`, `setInterval`, `setImmediate` and their
 * `clear*` functions schedule on the `Engine`, so `setTimeout(f, 2000)` runs `f` at simulated +2000 ms and costs no
 * wall time.
 *
 * Node rules kept (https://nodejs.org/api/timers.html):
 * - a delay that is not a number in [1, 2^31 - 1] becomes 1 ms (so `setTimeout(f, 0)` runs at +1 ms);
 * - `setImmediate` runs at the current simulated time, after everything already scheduled for it;
 * - the handle is a `Timeout` object with `ref()`, `unref()`, `hasRef()`, `refresh()`, `close()` and a numeric
 *   primitive value; `clearTimeout` accepts the object or that number, and clears intervals too;
 * - a non-function callback throws TypeError `ERR_INVALID_ARG_TYPE`.
 * Not modelled: `unref()` keeps the timer from holding the program open in Node; here every pending timer keeps
 * the run going (an endless `setInterval` ends the run at `untilMs`).
 *
 * A callback that throws is reported to `onUncaught` (the runner ends the run with that error, as Node would
 * crash on an uncaught exception).
 */
import type { Engine, TimerId } from '../core/engine.ts';

/** Node's TIMEOUT_MAX: delays above it (and below 1) become 1 ms. */
export const TIMEOUT_MAX_MS = 2 ** 31 - 1;

function invalidCallback(callback: unknown): TypeError {
  const shown = typeof callback === 'string' ? `type string ('${callback}')` : callback === null ? 'null' : `type ${typeof callback}`;
  const error = new TypeError(`The "callback" argument must be of type function. Received ${shown}`) as TypeError & {
    code: string;
  };
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function delayOf(delay: unknown): number {
  const ms = Number(delay);
  return ms >= 1 && ms <= TIMEOUT_MAX_MS ? ms : 1;
}

type Callback = (...args: unknown[]) => void;

/** The handle `setTimeout` / `setInterval` / `setImmediate` return. */
export class Timeout {
  readonly #timers: VirtualTimers;
  readonly #id: number;
  #ref = true;
  constructor(timers: VirtualTimers, id: number) {
    this.#timers = timers;
    this.#id = id;
  }
  ref(): this {
    this.#ref = true;
    return this;
  }
  unref(): this {
    this.#ref = false;
    return this;
  }
  hasRef(): boolean {
    return this.#ref;
  }
  /** Restarts the timer's delay from now. */
  refresh(): this {
    this.#timers.refresh(this.#id);
    return this;
  }
  close(): this {
    this.#timers.clear(this.#id);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.#id;
  }
}

interface TimerEntry {
  callback: Callback;
  args: unknown[];
  delayMs: number;
  repeat: boolean;
  engineId: TimerId;
}

export class VirtualTimers {
  private readonly engine: Engine;
  private readonly onUncaught: (error: unknown) => void;
  private readonly onFire: () => void;
  private readonly active = new Map<number, TimerEntry>();
  private nextId = 1;

  /**
   * @param onUncaught called with what a callback threw
   * @param onFire called before each callback runs (the runner's `ClientActivity.mark`)
   */
  constructor(engine: Engine, onUncaught: (error: unknown) => void, onFire: () => void = () => {}) {
    this.engine = engine;
    this.onUncaught = onUncaught;
    this.onFire = onFire;
  }

  /** Number of timers, intervals and immediates still pending. */
  get pendingCount(): number {
    return this.active.size;
  }

  /** Cancels every pending timer (the process ended: nothing of it runs any more). */
  clearAll(): void {
    for (const entry of this.active.values()) this.engine.cancel(entry.engineId);
    this.active.clear();
  }

  setTimeout = (callback: unknown, delay?: unknown, ...args: unknown[]): Timeout =>
    this.add(callback, delayOf(delay), false, args);

  setInterval = (callback: unknown, delay?: unknown, ...args: unknown[]): Timeout =>
    this.add(callback, delayOf(delay), true, args);

  setImmediate = (callback: unknown, ...args: unknown[]): Timeout => this.add(callback, 0, false, args);

  clearTimeout = (handle: unknown): void => {
    const id = this.idOf(handle);
    if (id !== undefined) this.clear(id);
  };

  clearInterval = this.clearTimeout;
  clearImmediate = this.clearTimeout;

  /** `timers/promises` `setTimeout(delay, value)`: resolves with `value` after `delay` simulated ms. */
  sleep = (delay?: unknown, value?: unknown): Promise<unknown> =>
    new Promise((resolve) => {
      this.add(() => resolve(value), delayOf(delay), false, []);
    });

  /** `timers/promises` `setImmediate(value)`. */
  immediate = (value?: unknown): Promise<unknown> =>
    new Promise((resolve) => {
      this.add(() => resolve(value), 0, false, []);
    });

  /** Cancels timer `id` (no-op when it already ran or was cleared). */
  clear(id: number): void {
    const entry = this.active.get(id);
    if (entry === undefined) return;
    this.engine.cancel(entry.engineId);
    this.active.delete(id);
  }

  /** Restarts timer `id`'s delay from the current simulated time. */
  refresh(id: number): void {
    const entry = this.active.get(id);
    if (entry === undefined) return;
    this.engine.cancel(entry.engineId);
    entry.engineId = this.engine.schedule(entry.delayMs, () => this.fire(id));
  }

  private idOf(handle: unknown): number | undefined {
    if (handle instanceof Timeout) return handle[Symbol.toPrimitive]();
    if (typeof handle === 'number' || typeof handle === 'string') {
      const id = Number(handle);
      return Number.isInteger(id) ? id : undefined;
    }
    return undefined;
  }

  private add(callback: unknown, delayMs: number, repeat: boolean, args: unknown[]): Timeout {
    if (typeof callback !== 'function') throw invalidCallback(callback);
    const id = this.nextId++;
    const engineId = this.engine.schedule(delayMs, () => this.fire(id));
    this.active.set(id, { callback: callback as Callback, args, delayMs, repeat, engineId });
    return new Timeout(this, id);
  }

  private fire(id: number): void {
    const entry = this.active.get(id);
    if (entry === undefined) return;
    if (!entry.repeat) this.active.delete(id);
    this.onFire();
    try {
      entry.callback(...entry.args);
    } catch (error) {
      this.onUncaught(error);
      return;
    }
    if (entry.repeat && this.active.get(id) === entry) {
      entry.engineId = this.engine.schedule(entry.delayMs, () => this.fire(id));
    }
  }
}
