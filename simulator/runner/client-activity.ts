/**
 * Tells the runner whether an engine step ran client-side code (a client library's callback or a learner timer),
 * so it yields to the host (to let the learner's promise continuations run) only after such steps. Steps that are
 * purely the broker's own work (a frame reaching the broker, a queue dispatching to another client's channel
 * before the frame arrives) cannot have queued any learner microtask and are run back to back.
 *
 * Why this is exact: learner code and the promises it awaits are reached from an engine step only through
 * 1. callbacks the client library hands to the broker (RPC replies, `onOpen`, listener methods such as
 *    `onDeliver`), wrapped by `observe(broker)`;
 * 2. actions the client library schedules itself on the engine (`broker.engine.schedule(...)`), wrapped the same
 *    way;
 * 3. the runner's own virtual timers (which call `mark()`).
 * Anything else in a step is the broker model's internal work, which runs no promise reaction (the broker is
 * callback-only by design, see `simulator/brokers/amqp/model/broker.ts`).
 */
import type { Engine } from '../core/engine.ts';

type AnyFunction = (...args: unknown[]) => unknown;

function hasMethods(value: object): boolean {
  for (let obj: object | null = value; obj !== null && obj !== Object.prototype; obj = Object.getPrototypeOf(obj)) {
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(obj, key);
      if (descriptor !== undefined && typeof descriptor.value === 'function') return true;
    }
  }
  return false;
}

/**
 * Which process client code belongs to: the runner gives each process an id (`pid`); callbacks of a process that
 * has ended are dropped (a dead process runs nothing more).
 */
export interface ActivityOwner {
  pid: number;
}

export class ClientActivity {
  private ran = false;
  /** Pid of the process whose code ran last (for unhandled rejections, which name no process). */
  private lastPid = 0;
  /** Pid of the process whose callback threw last (a step that throws names its process this way). */
  private throwerPid = 0;
  private readonly isEnded: (pid: number) => boolean;

  /** @param isEnded tells whether a process has ended (its callbacks are then not called). */
  constructor(isEnded: (pid: number) => boolean = () => false) {
    this.isEnded = isEnded;
  }

  /** Notes that client-side code of process `pid` ran in the current step (pid 0: unknown process). */
  mark(pid = 0): void {
    this.ran = true;
    if (pid !== 0) this.lastPid = pid;
  }

  /** Whether client-side code ran since the last call (and resets). */
  take(): boolean {
    const ran = this.ran;
    this.ran = false;
    return ran;
  }

  /** The process whose code ran last (0 if none is known). */
  get lastProcess(): number {
    return this.lastPid;
  }

  /** The process whose callback threw last, once (then 0). */
  takeThrower(): number {
    const pid = this.throwerPid;
    this.throwerPid = 0;
    return pid;
  }

  /**
   * `fn` that marks activity of `owner` whenever it is called; while `owner` has ended, calling it does nothing
   * (returns undefined). What it throws is passed on, with `owner` noted as the thrower.
   */
  wrap<F extends AnyFunction>(fn: F, owner?: ActivityOwner): F {
    const activity = this;
    const pid = owner?.pid ?? 0;
    return function (this: unknown, ...args: unknown[]) {
      if (pid !== 0 && activity.isEnded(pid)) return undefined;
      activity.mark(pid);
      try {
        return fn.apply(this, args);
      } catch (error) {
        activity.throwerPid = pid;
        throw error;
      }
    } as F;
  }

  /**
   * A view of `api` (the broker) for a client library of process `owner`: its methods behave the same, but every
   * function argument and every listener object (an argument with methods, e.g. `{ onDeliver() {} }`) marks
   * activity when the broker calls back, and `api.engine.schedule(delayMs, action)` (and `scheduleIdle`) marks
   * activity when `action` runs. Data arguments (strings, Buffers, options objects without methods) pass through
   * untouched. Callbacks of an ended process are dropped (see `wrap`).
   */
  observe<T extends object>(api: T, owner?: ActivityOwner): T {
    const wrapArg = (arg: unknown): unknown => {
      if (typeof arg === 'function') return this.wrap(arg as AnyFunction, owner);
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || ArrayBuffer.isView(arg)) return arg;
      if (!hasMethods(arg)) return arg;
      return new Proxy(arg, {
        get: (target, prop, receiver) => {
          const value: unknown = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? this.wrap(value as AnyFunction, owner) : value;
        },
      });
    };
    let engineView: Engine | undefined;
    return new Proxy(api, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'engine' && typeof value === 'object' && value !== null) {
          engineView ??= this.observeEngine(value as Engine, owner);
          return engineView;
        }
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (value as AnyFunction).apply(target, args.map(wrapArg));
      },
    });
  }

  private observeEngine(engine: Engine, owner?: ActivityOwner): Engine {
    return new Proxy(engine, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'schedule') {
          return (delayMs: number, action: () => void) => target.schedule(delayMs, this.wrap(action, owner));
        }
        if (prop === 'scheduleIdle') {
          return (delayMs: number, action: () => void) => target.scheduleIdle(delayMs, this.wrap(action, owner));
        }
        return typeof value === 'function' ? (value as AnyFunction).bind(target) : value;
      },
    });
  }
}
