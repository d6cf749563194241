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

export class ClientActivity {
  private ran = false;

  /** Notes that client-side code ran in the current step. */
  mark(): void {
    this.ran = true;
  }

  /** Whether client-side code ran since the last call (and resets). */
  take(): boolean {
    const ran = this.ran;
    this.ran = false;
    return ran;
  }

  /** `fn` that marks activity whenever it is called. */
  wrap<F extends AnyFunction>(fn: F): F {
    const activity = this;
    return function (this: unknown, ...args: unknown[]) {
      activity.mark();
      return fn.apply(this, args);
    } as F;
  }

  /**
   * A view of `api` (the broker) for a client library: its methods behave the same, but every function argument
   * and every listener object (an argument with methods, e.g. `{ onDeliver() {} }`) marks activity when the broker
   * calls back, and `api.engine.schedule(delayMs, action)` marks activity when `action` runs. Data arguments
   * (strings, Buffers, options objects without methods) pass through untouched.
   */
  observe<T extends object>(api: T): T {
    const wrapArg = (arg: unknown): unknown => {
      if (typeof arg === 'function') return this.wrap(arg as AnyFunction);
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || ArrayBuffer.isView(arg)) return arg;
      if (!hasMethods(arg)) return arg;
      return new Proxy(arg, {
        get: (target, prop, receiver) => {
          const value: unknown = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? this.wrap(value as AnyFunction) : value;
        },
      });
    };
    let engineView: Engine | undefined;
    return new Proxy(api, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'engine' && typeof value === 'object' && value !== null) {
          engineView ??= this.observeEngine(value as Engine);
          return engineView;
        }
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (value as AnyFunction).apply(target, args.map(wrapArg));
      },
    });
  }

  private observeEngine(engine: Engine): Engine {
    return new Proxy(engine, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop, target);
        if (prop === 'schedule') {
          return (delayMs: number, action: () => void) => target.schedule(delayMs, this.wrap(action));
        }
        return typeof value === 'function' ? (value as AnyFunction).bind(target) : value;
      },
    });
  }
}
