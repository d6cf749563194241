/**
 * `PendingReplies`: remembers the promises a client library handed to the program (a channel's `assertQueue()`,
 * `consume()`, a connection's `createChannel()`, …) so that a run which ends while one of them is still unsettled can
 * say so. Such a run ends as 'completed' with the code after the `await` never run: typically a channel that
 * waits for a reply that never comes (amqplib 0.10 behaviour reproduced by the facade, see
 * `simulator/brokers/amqp/amqplib/channel.ts` and github.com/amqp-node/amqplib/issues/575). Real Node would hang there
 * with the socket open; the simulator ends, and `describePending()` gives the notice line to print.
 *
 * How: `wrapModule(module, objects)` returns a copy of the module whose functions record each promise they return.
 * A function named in `objects` resolves to an object whose methods are wrapped the same way (own, non-enumerable
 * properties on that object, so `instanceof`, printing and private fields are unchanged); its promise is chained
 * once (`then`) to reach that object, which delays its continuation by one microtask. Nothing is attached to the
 * other promises while the run goes on (attaching a handler would mark a rejection as handled); `describePending()`
 * looks at them once the run is over.
 *
 * Limit: the last `PENDING_REPLIES_TRACKED_MAX` promises are remembered (a hung call is among the last ones a
 * program made).
 */

/** Most recent library promises remembered. */
export const PENDING_REPLIES_TRACKED_MAX = 1_000;

type AnyFunction = (...args: unknown[]) => unknown;

/** For each function that resolves to an object worth wrapping: the name of that object in notices. */
export type WrappedObjects = Readonly<Record<string, string>>;

interface Call {
  label: string;
  promise: Promise<unknown>;
  /** The process that made the call (0: unknown). */
  pid: number;
}

export class PendingReplies {
  private calls: Call[] = [];

  /** A copy of `module` whose functions record their promises (`objects`: see the module docstring). */
  wrapModule<T extends object>(module: T, moduleName: string, objects: WrappedObjects, owner?: { pid: number }): T {
    const copy: Record<string, unknown> = { ...(module as Record<string, unknown>) };
    const pid = owner?.pid ?? 0;
    for (const [name, value] of Object.entries(copy)) {
      if (typeof value === 'function' && !isClass(value)) {
        copy[name] = this.wrapFunction(value as AnyFunction, `${moduleName}.${name}()`, name, objects, pid);
      }
    }
    return copy as T;
  }

  /**
   * After the run: the calls whose promise never settled, as one notice line, or `undefined` if none. Needs one
   * host turn (`yieldToHost`) so the settled promises' reactions have run.
   */
  async describePending(yieldToHost: () => Promise<void>,
    isLive: (pid: number) => boolean = () => true): Promise<string | undefined> {
    // A process that ended waits for nothing: its calls are not reported.
    const states = this.calls.filter((call) => call.pid === 0 || isLive(call.pid)).map((call) => {
      const state = { call, settled: false };
      const settle = () => { state.settled = true; };
      call.promise.then(settle, settle);
      return state;
    });
    await yieldToHost();
    const pending = states.filter((s) => !s.settled).map((s) => s.call.label);
    if (pending.length === 0) return undefined;
    const shown = [...new Set(pending)];
    return 'The program ended while still waiting for a reply from the broker: '
      + `${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ` and ${shown.length - 3} more` : ''} never got `
      + `${pending.length === 1 ? 'its answer' : 'their answers'}, so the code after ${pending.length === 1 ? 'that' : 'those'} `
      + 'await never ran. A real program would hang here (e.g. a channel left waiting after an earlier call on it '
      + 'failed: amqplib issue #575).';
  }

  private record(label: string, promise: Promise<unknown>, pid: number): void {
    this.calls.push({ label, promise, pid });
    if (this.calls.length > PENDING_REPLIES_TRACKED_MAX) this.calls.shift();
  }

  private wrapFunction(fn: AnyFunction, label: string, name: string, objects: WrappedObjects, pid: number): AnyFunction {
    const tracker = this;
    const objectName = Object.prototype.hasOwnProperty.call(objects, name) ? objects[name] : undefined;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const result = fn.apply(this, args);
      if (!(result instanceof Promise)) return result;
      tracker.record(label, result, pid);
      if (objectName === undefined) return result;
      return result.then((value: unknown) => {
        if (typeof value === 'object' && value !== null) tracker.wrapObject(value, objectName, objects, pid);
        return value;
      });
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    Object.defineProperty(wrapped, 'length', { value: fn.length });
    return wrapped;
  }

  /** Wraps the methods of `target` (found on its prototype chain) as own non-enumerable properties. */
  private wrapObject(target: object, objectName: string, objects: WrappedObjects, pid: number): void {
    const names = new Set<string>();
    for (let proto = Object.getPrototypeOf(target) as object | null; proto !== null && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto) as object | null) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key === 'constructor' || names.has(key)) continue;
        const descriptor = Object.getOwnPropertyDescriptor(proto, key);
        if (descriptor !== undefined && typeof descriptor.value === 'function') names.add(key);
      }
    }
    for (const key of names) {
      if (Object.prototype.hasOwnProperty.call(target, key)) continue;
      const method = (target as Record<string, unknown>)[key] as AnyFunction;
      Object.defineProperty(target, key, {
        value: this.wrapFunction(method, `${objectName}.${key}()`, key, objects, pid),
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}
