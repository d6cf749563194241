/**
 * Type tests for `inspect.ts` in plain JavaScript (no `node:util/types`), so the formatter runs in a browser Web
 * Worker too. Each test is a brand check (calling a built-in getter or method that throws on the wrong receiver)
 * where one exists, so a plain object with a faked `Symbol.toStringTag` is not mistaken for a Map or a Date.
 *
 * Source of the behaviour mirrored: Node.js `lib/internal/util/types` and `lib/internal/util/inspect.js`
 * (https://github.com/nodejs/node/blob/main/lib/internal/util/inspect.js).
 */

const objectToString = (value: unknown): string => Object.prototype.toString.call(value);

function brand(check: (value: object) => unknown): (value: object) => boolean {
  return (value) => {
    try {
      check(value);
      return true;
    } catch {
      return false;
    }
  };
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTagGetter = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)!.get!;
const regExpSourceGetter = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!;
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const dataViewByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength')!.get!;
const sharedArrayBufferByteLength =
  typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')?.get
    : undefined;

export const isMap = brand((v) => Map.prototype.has.call(v, undefined));
export const isSet = brand((v) => Set.prototype.has.call(v, undefined));
export const isWeakMap = brand((v) => WeakMap.prototype.has.call(v, {}));
export const isWeakSet = brand((v) => WeakSet.prototype.has.call(v, {}));
export const isDate = brand((v) => Date.prototype.getTime.call(v));
export const isArrayBuffer = brand((v) => arrayBufferByteLength.call(v));
export const isSharedArrayBuffer = (v: object): boolean =>
  sharedArrayBufferByteLength !== undefined && brand((x) => sharedArrayBufferByteLength.call(x))(v);
export const isDataView = brand((v) => dataViewByteLength.call(v));
export const isNumberObject = brand((v) => Number.prototype.valueOf.call(v));
export const isStringObject = brand((v) => String.prototype.valueOf.call(v));
export const isBooleanObject = brand((v) => Boolean.prototype.valueOf.call(v));
export const isBigIntObject = brand((v) => BigInt.prototype.valueOf.call(v));
export const isSymbolObject = brand((v) => Symbol.prototype.valueOf.call(v));

export function isRegExp(value: object): boolean {
  if (value === RegExp.prototype) return false;
  try {
    regExpSourceGetter.call(value);
    return true;
  } catch {
    return false;
  }
}

/** The typed array's kind (`'Uint8Array'`, …) or undefined when `value` is not a typed array. */
export function typedArrayKind(value: object): string | undefined {
  return typedArrayTagGetter.call(value) as string | undefined;
}

export function isBoxedPrimitive(value: object): boolean {
  return (
    isNumberObject(value) || isStringObject(value) || isBooleanObject(value) || isBigIntObject(value) ||
    isSymbolObject(value)
  );
}

export function isPromise(value: object): boolean {
  return value instanceof Promise;
}

export function isArgumentsObject(value: object): boolean {
  return objectToString(value) === '[object Arguments]';
}

/** Node's `isError`: a native error or anything whose `Object.prototype.toString` tag is `Error`. */
export function isError(value: object): value is Error {
  return value instanceof Error || objectToString(value) === '[object Error]';
}

export function isAsyncFunction(value: object): boolean {
  const tag = objectToString(value);
  return tag === '[object AsyncFunction]' || tag === '[object AsyncGeneratorFunction]';
}

export function isGeneratorFunction(value: object): boolean {
  const tag = objectToString(value);
  return tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]';
}

/** Canonical array index (`'0'`, `'12'`, … up to 2^32 - 2). */
export function isArrayIndexKey(key: string): boolean {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) <= 2 ** 32 - 2;
}

/** A Buffer (Node's or the `buffer` package's): a Uint8Array whose constructor is named `Buffer`. */
export function isBufferLike(value: object): value is Uint8Array {
  if (typedArrayKind(value) !== 'Uint8Array') return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name === 'Buffer';
}

/**
 * Names of global classes (`/^[A-Z][a-zA-Z0-9]+$/`), as Node's inspect computes them. `Buffer` is left out as in
 * Node (whose set is computed before `Buffer` becomes a global), so `%s` prints a Buffer's text.
 */
export const builtInObjects: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(globalThis).filter((name) => /^[A-Z][a-zA-Z0-9]+$/.test(name) && name !== 'Buffer'),
);
