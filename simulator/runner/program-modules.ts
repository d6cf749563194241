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

/** The require function handed to a program; `modules` maps a module name to its exports. */
export function createRequire(modules: Readonly<Record<string, unknown>>): (name: unknown) => unknown {
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
    const available = Object.keys(modules)
      .map((m) => `'${m}'`)
      .join(', ');
    const error = new Error(`Cannot find module '${name}' (the simulator provides ${available})`) as Error & {
      code: string;
    };
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  };
}
