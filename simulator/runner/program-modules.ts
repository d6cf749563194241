/**
 * `require(name)` for learner programs (and the `import` statements sucrase turns into `require`). Only the modules
 * the simulator provides resolve; `node:` prefixes are accepted for Node built-ins (`node:buffer`). Anything else
 * throws like Node: Error `Cannot find module 'x'` with `code: 'MODULE_NOT_FOUND'`, thrown at the learner's
 * `require`/`import` line.
 *
 * Source: Node.js modules (https://nodejs.org/api/modules.html#all-together).
 */

/** Node built-ins the simulator provides (also reachable as `node:<name>`). */
const BUILTINS = new Set(['buffer', 'timers', 'timers/promises', 'util', 'process']);

/** Where `require` looks for modules that are not built-ins: the run's brokers (see run-program.ts). */
export interface BrokerModules {
  /** The exports of broker module `name` for this process, or undefined when no loaded broker provides it. */
  broker(name: string): unknown;
  /**
   * The error for a module of a known broker that is not simulated (e.g. "kafkajs … is not simulated yet…"), or
   * undefined for a name no broker has (Node's "Cannot find module" follows).
   */
  missing(name: string): Error | undefined;
  /** Broker module names a program can require in this run (listed in "Cannot find module"). */
  names(): readonly string[];
}

/**
 * The require function handed to a program; `modules` maps a built-in module name to its exports, `brokers`
 * resolves the client libraries (each process gets its own instance, made on its first require and cached).
 */
export function createRequire(modules: Readonly<Record<string, unknown>>,
  brokers?: BrokerModules): (name: unknown) => unknown {
  const loaded = new Map<string, unknown>();
  return function require(name: unknown): unknown {
    if (typeof name !== 'string') {
      const error = new TypeError(`The "id" argument must be of type string. Received ${typeof name}`) as TypeError & {
        code: string;
      };
      error.code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    const bare = name.startsWith('node:') && BUILTINS.has(name.slice(5)) ? name.slice(5) : name;
    if (Object.prototype.hasOwnProperty.call(modules, bare)) return modules[bare];
    if (brokers !== undefined) {
      if (loaded.has(name)) return loaded.get(name);
      const exports = brokers.broker(name);
      if (exports !== undefined) {
        loaded.set(name, exports);
        return exports;
      }
      const missing = brokers.missing(name);
      if (missing !== undefined) throw missing;
    }
    const available = [...Object.keys(modules), ...(brokers?.names() ?? [])]
      .map((m) => `'${m}'`)
      .join(', ');
    const error = new Error(`Cannot find module '${name}' (the simulator provides ${available})`) as Error & {
      code: string;
    };
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  };
}
