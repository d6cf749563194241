/**
 * Which names a learner program must not reach on the host's global object. The runner passes each of them as an
 * `undefined` parameter of the program's wrapper function, which shadows the global: the program sees the standard
 * JavaScript built-ins (`Object`, `Promise`, `JSON`, …) and what the runner gives it, but not `self`,
 * `postMessage`, `fetch`, `importScripts` (in a Web Worker) or `process`, `require`, real timers (in Node).
 *
 * This is isolation for fidelity and determinism, not a security boundary: `Function('return this')()` still
 * reaches the real global (the learner runs their own code in their own browser).
 */

/** ECMAScript global names (ES2025 + Intl + WebAssembly); everything else on the host global is shadowed. */
const ECMASCRIPT_GLOBALS = new Set([
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'decodeURI',
  'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'AggregateError', 'Array',
  'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error',
  'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function', 'Int8Array',
  'Int16Array', 'Int32Array', 'Iterator', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'Proxy',
  'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol',
  'SyntaxError', 'TypeError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError',
  'WeakMap', 'WeakRef', 'WeakSet', 'Intl', 'SuppressedError', 'DisposableStack', 'AsyncDisposableStack',
]);

/** Words that cannot name a parameter of a strict-mode async function. */
const RESERVED = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements',
  'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public',
  'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'yield',
]);

/** The ECMAScript built-ins present on this host (copied onto the program's own `globalThis` object). */
export function ecmascriptGlobalNames(): string[] {
  return [...ECMASCRIPT_GLOBALS].filter((name) => name in globalThis);
}

/**
 * Host global names to shadow: own and inherited (up to `Object.prototype`) properties of `globalThis` that are
 * valid parameter names, are not ECMAScript built-ins and are not in `provided`.
 */
export function hostGlobalsToShadow(provided: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (let obj: object | null = globalThis; obj !== null && obj !== Object.prototype; obj = Object.getPrototypeOf(obj)) {
    for (const name of Object.getOwnPropertyNames(obj)) names.add(name);
  }
  return [...names]
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    .filter((name) => !ECMASCRIPT_GLOBALS.has(name) && !RESERVED.has(name) && !provided.has(name))
    .sort();
}
