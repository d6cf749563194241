/**
 * `inspect(value, options)`: Node's `util.inspect` (Node 22, no colours) for the browser, for the values learner
 * programs print: primitives, strings (quoting and escaping), plain and class objects, nested objects past `depth`
 * (`[Object]`), arrays (holes, `... n more items`, grouping of long arrays into columns), Maps, Sets, Buffers
 * (`<Buffer 6d 31>`), typed arrays, Errors (stack form, extra properties, `cause`), functions and classes, Dates,
 * RegExps, boxed primitives, circular references (`<ref *1>` / `[Circular *1]`), getters, and
 * `Symbol.for('nodejs.util.inspect.custom')` methods. Line breaking follows Node's `compact: 3` / `breakLength: 80`
 * rules exactly, so output matches what `node` prints for the same value (test/unit/runner/format.test.ts compares
 * thousands of generated values with `node:util`). The `errorStack` option is our addition: the runner prints an
 * Error's stack with only the learner's frames.
 *
 * Not reproducible in plain JS (documented differences): a Promise always prints `Promise { <pending> }` (its state
 * cannot be read synchronously), Proxies print as their target, Map/Set iterators print without their entries, and
 * the width of non-ASCII text is estimated without ICU.
 *
 * Origin and licence. This is a port to TypeScript of the parts of Node.js's `lib/internal/util/inspect.js`
 * (https://github.com/nodejs/node/blob/main/lib/internal/util/inspect.js; documented at
 * https://nodejs.org/api/util.html#utilinspectobject-options) that the values above need, so it is covered by
 * Node.js's licence:
 *
 *   Copyright Node.js contributors. All rights reserved.
 *
 *   Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
 *   documentation files (the "Software"), to deal in the Software without restriction, including without limitation
 *   the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
 *   to permit persons to whom the Software is furnished to do so, subject to the following conditions:
 *
 *   The above copyright notice and this permission notice shall be included in all copies or substantial portions
 *   of the Software.
 *
 *   THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
 *   THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 *   AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
 *   CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 *   DEALINGS IN THE SOFTWARE.
 *
 * Why the port stays instead of the npm package `node-inspect-extracted` (3.3.3, MIT, Node's own file bundled for
 * the web), weighed in issue 11 by running this project's format tests against it:
 * - it prints what an older Node printed, not Node 22: symbol keys as `Symbol(k): 1` where Node 22 prints
 *   `[Symbol(k)]: 1`, and `util.format('%s', buffer)` as `<Buffer …>` where Node prints the buffer's text; two of
 *   the format tests fail on it;
 * - it has no hook for the stack printed for an Error; the runner's learner-frames-only stacks (`errorStack`) would
 *   need every Error in a printed value rewritten before and restored after each call;
 * - it is 51 KB minified (18.8 KB gzip) in the runner's worker, against 19.7 KB (7.4 KB gzip) for this file.
 */
import {
  builtInObjects,
  isArgumentsObject,
  isArrayBuffer,
  isArrayIndexKey,
  isAsyncFunction,
  isBigIntObject,
  isBooleanObject,
  isBoxedPrimitive,
  isBufferLike,
  isDataView,
  isDate,
  isError,
  isGeneratorFunction,
  isMap,
  isNumberObject,
  isPromise,
  isRegExp,
  isSet,
  isSharedArrayBuffer,
  isStringObject,
  isWeakMap,
  isWeakSet,
  typedArrayKind,
} from './inspect-types.ts';

/** Options of `inspect` (the subset of Node's `util.inspect` options the simulator supports). */
export interface InspectOptions {
  /** Levels of nesting to show; deeper objects print as `[Object]`. Default 2; null or Infinity = all. */
  depth?: number | null;
  /** Also show non-enumerable properties (`[length]: 2`). Default false. */
  showHidden?: boolean;
  /** Call `[Symbol.for('nodejs.util.inspect.custom')]` methods. Default true. */
  customInspect?: boolean;
  /** Most array / Set / Map entries shown. Default 100; null = all. */
  maxArrayLength?: number | null;
  /** Most characters of a string shown. Default 10_000; null = all. */
  maxStringLength?: number | null;
  /** Line width past which entries go on separate lines. Default 80. */
  breakLength?: number;
  /** Node's `compact`: a number (default 3) or true / false. */
  compact?: number | boolean;
  /** Sort object keys (true or a comparator). Default false. */
  sorted?: boolean | ((a: string, b: string) => number);
  /** Show getter values. Default false. */
  getters?: boolean | 'get' | 'set';
  /**
   * The stack text printed for an Error (default: `err.stack`). The runner passes one that keeps only the learner's
   * frames, so printed errors do not show simulator internals.
   */
  errorStack?: (error: Error) => string | undefined;
}

/** `Symbol.for('nodejs.util.inspect.custom')`: the key of custom inspect methods (shared with Node and `buffer`). */
export const customInspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** Most bytes of a Buffer shown (Node's `buffer.INSPECT_MAX_BYTES`). */
export const INSPECT_MAX_BYTES = 50;

interface Context {
  budget: Record<number, number>;
  indentationLvl: number;
  seen: unknown[];
  currentDepth: number;
  circular?: Map<unknown, number>;
  depth: number;
  showHidden: boolean;
  customInspect: boolean;
  maxArrayLength: number;
  maxStringLength: number;
  breakLength: number;
  compact: number | boolean;
  sorted: boolean | ((a: string, b: string) => number);
  getters: boolean | 'get' | 'set';
  errorStack?: (error: Error) => string | undefined;
  userOptions: InspectOptions;
}

type Key = string | symbol;
type AnyObject = Record<Key, unknown>;

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;
type ExtrasType = typeof kObjectType | typeof kArrayType | typeof kArrayExtrasType;

const kMinLineLength = 16;
const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const numberRegExp = /^(0|[1-9][0-9]*)$/;
/* eslint-disable no-control-regex */
const escapeAll = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const escapeNoQuote = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ansiRegExp = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?(?:\u0007|\u001B\u005C|\u009C))|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~]))/g;
/* eslint-enable no-control-regex */

const NAMED_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  const named = NAMED_ESCAPES[code];
  if (named !== undefined) return named;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return `\\u${code.toString(16)}`; // lone surrogate
}

/** Quotes a string the way Node does: '…' unless it contains ', then "…", then `…`; escapes control chars. */
export function quoteString(str: string): string {
  let quote = "'";
  let pattern = escapeAll;
  if (str.includes("'")) {
    if (!str.includes('"')) quote = '"';
    else if (!str.includes('`') && !str.includes('${')) quote = '`';
    if (quote !== "'") pattern = escapeNoQuote;
  }
  pattern.lastIndex = 0;
  return `${quote}${str.replace(pattern, escapeChar)}${quote}`;
}

/**
 * East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15's EastAsianWidth.txt (inclusive pairs), which ICU
 * uses for Node's string width; JS regexps have no East_Asian_Width property.
 */
const WIDE_RANGES: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe,
  0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be,
  0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa,
  0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55,
  0x2e80, 0x303e, 0x3041, 0x3247, 0x3250, 0x4dbf, 0x4e00, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3, 0xf900, 0xfaff,
  0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x16fe4, 0x16ff0, 0x16ff1, 0x17000, 0x187f7,
  0x18800, 0x18cd5, 0x18d00, 0x18d08, 0x1aff0, 0x1affe, 0x1b000, 0x1b122, 0x1b132, 0x1b132, 0x1b150, 0x1b152,
  0x1b155, 0x1b155, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e,
  0x1f191, 0x1f19a, 0x1f200, 0x1f202, 0x1f210, 0x1f23b, 0x1f240, 0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265,
  0x1f300, 0x1f320, 0x1f32d, 0x1f335, 0x1f337, 0x1f37c, 0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf, 0x1f3d3,
  0x1f3e0, 0x1f3f0, 0x1f3f4, 0x1f3f4, 0x1f3f8, 0x1f43e, 0x1f440, 0x1f440, 0x1f442, 0x1f4fc, 0x1f4ff, 0x1f53d,
  0x1f54b, 0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a, 0x1f595, 0x1f596, 0x1f5a4, 0x1f5a4, 0x1f5fb, 0x1f64f,
  0x1f680, 0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2, 0x1f6d5, 0x1f6d7, 0x1f6dc, 0x1f6df, 0x1f6eb, 0x1f6ec,
  0x1f6f4, 0x1f6fc, 0x1f7e0, 0x1f7eb, 0x1f7f0, 0x1f7f0, 0x1f90c, 0x1f93a, 0x1f93c, 0x1f945, 0x1f947, 0x1f9ff,
  0x1fa70, 0x1fa7c, 0x1fa80, 0x1fa88, 0x1fa90, 0x1fabd, 0x1fabf, 0x1fac5, 0x1face, 0x1fadb, 0x1fae0, 0x1fae8,
  0x1faf0, 0x1faf8, 0x20000, 0x2fffd, 0x30000, 0x3fffd,
];

function isFullWidthCodePoint(code: number): boolean {
  if (code < 0x1100) return false;
  for (let i = 0; i < WIDE_RANGES.length; i += 2) {
    if (code < WIDE_RANGES[i]) return false;
    if (code <= WIDE_RANGES[i + 1]) return true;
  }
  return false;
}

/** Zero-width code points as Node's ICU-based width counts them: controls, format chars, marks, emoji modifiers. */
const zeroWidthRegExp = /^(?:\p{Cc}|\p{Cf}|\p{Me}|\p{Mn}|\p{Emoji_Modifier})$/u;
const emojiPresentationRegExp = /^\p{Emoji_Presentation}$/u;

/**
 * Columns a string takes on a terminal, following Node's `getStringWidth` (ICU): 0 for controls, format
 * characters, combining marks and emoji modifiers (U+00AD excepted), 2 for East Asian wide / full-width characters
 * (estimated with Node's fallback ranges, as JS regexps have no East_Asian_Width property) and emoji shown as
 * pictures, else 1. ANSI escape sequences are removed first.
 */
function stringWidth(input: string): number {
  const str = input.replace(ansiRegExp, '');
  let width = 0;
  let i = 0;
  for (; i < str.length; i++) {
    const code = str.charCodeAt(i);
    if (code >= 127) break;
    if (code >= 32) width++;
  }
  if (i === str.length) return width;
  for (const ch of str.slice(i).normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code !== 0xad && zeroWidthRegExp.test(ch)) continue;
    width += isFullWidthCodePoint(code) || emojiPresentationRegExp.test(ch) ? 2 : 1;
  }
  return width;
}

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : `${value}`;
}

function formatBigInt(value: bigint): string {
  return `${value}n`;
}

function formatPrimitive(value: unknown, ctx: Context): string {
  if (typeof value === 'string') {
    let str = value;
    let trailer = '';
    if (str.length > ctx.maxStringLength) {
      const remaining = str.length - ctx.maxStringLength;
      str = str.slice(0, ctx.maxStringLength);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    if (ctx.compact !== true && str.length > kMinLineLength && str.length > ctx.breakLength - ctx.indentationLvl - 4) {
      return str
        .split(/(?<=\n)/)
        .map((line) => quoteString(line))
        .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
    }
    return quoteString(str) + trailer;
  }
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return formatBigInt(value);
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'undefined') return 'undefined';
  return (value as symbol).toString();
}

function getConstructorName(obj: object, ctx: Context, recurseTimes: number): string | null {
  let firstProto: object | null | undefined;
  const tmp = obj;
  let cur: object | null = obj;
  while (cur) {
    const descriptor = Object.getOwnPropertyDescriptor(cur, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' && descriptor.value.name !== '') {
      let isInstance = false;
      try {
        isInstance = tmp instanceof descriptor.value;
      } catch {
        isInstance = false;
      }
      if (isInstance) return String(descriptor.value.name);
    }
    cur = Object.getPrototypeOf(cur) as object | null;
    if (firstProto === undefined) firstProto = cur;
  }
  if (firstProto === null || firstProto === undefined) return null;
  const res = 'Object';
  if (recurseTimes > ctx.depth) return `${res} <Complex prototype>`;
  const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1);
  if (protoConstr === null) {
    return `${res} <${inspectWith(firstProto, { ...ctx, customInspect: false, depth: -1 })}>`;
  }
  return `${res} <${protoConstr}>`;
}

function getPrefix(constructor: string | null, tag: string, fallback: string, size = ''): string {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function getKeys(value: object, showHidden: boolean): Key[] {
  const symbols = Object.getOwnPropertySymbols(value);
  let keys: Key[];
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value);
    keys.push(...symbols);
  } else {
    keys = Object.keys(value);
    keys.push(...symbols.filter((key) => Object.prototype.propertyIsEnumerable.call(value, key)));
  }
  return keys;
}

/** Own keys that are not array indices (strings, then symbols), enumerable only unless `showHidden`. */
function getNonIndexKeys(value: object, showHidden: boolean): Key[] {
  return Reflect.ownKeys(value).filter((key) => {
    if (typeof key === 'string' && isArrayIndexKey(key)) return false;
    return showHidden || Object.prototype.propertyIsEnumerable.call(value, key);
  });
}

function getCtxStyle(constructor: string | null, tag: string, fallbackName: string): string {
  let fallback = '';
  if (constructor === null) {
    fallback = fallbackName;
    if (fallback === tag) fallback = 'Object';
  }
  return getPrefix(constructor, tag, fallback);
}

function formatBuffer(value: Uint8Array): string {
  const shown = Math.min(INSPECT_MAX_BYTES, value.length);
  const hex: string[] = [];
  for (let i = 0; i < shown; i++) hex.push(value[i].toString(16).padStart(2, '0'));
  let str = hex.join(' ');
  const remaining = value.length - INSPECT_MAX_BYTES;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return `<${(value.constructor as { name: string }).name} ${str}>`;
}

function userOptions(ctx: Context): InspectOptions & { stylize: (s: string) => string } {
  return {
    ...ctx.userOptions,
    depth: ctx.depth,
    showHidden: ctx.showHidden,
    customInspect: ctx.customInspect,
    maxArrayLength: ctx.maxArrayLength,
    maxStringLength: ctx.maxStringLength,
    breakLength: ctx.breakLength,
    compact: ctx.compact,
    sorted: ctx.sorted,
    getters: ctx.getters,
    stylize: (s: string) => s,
  };
}

function formatValue(ctx: Context, value: unknown, recurseTimes: number, typedArray?: boolean): string {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value, ctx);
  if (value === null) return 'null';
  const obj = value as object;

  if (isBufferLike(obj)) return formatBuffer(obj);

  if (ctx.customInspect) {
    let maybeCustom: unknown;
    try {
      maybeCustom = (obj as AnyObject)[customInspectSymbol];
    } catch {
      maybeCustom = undefined;
    }
    if (
      typeof maybeCustom === 'function' &&
      maybeCustom !== inspect &&
      (Object.getOwnPropertyDescriptor(obj, 'constructor')?.value as { prototype?: unknown } | undefined)?.prototype !==
        obj
    ) {
      const depth = ctx.depth - recurseTimes;
      const ret: unknown = maybeCustom.call(obj, depth, userOptions(ctx), inspect);
      if (ret !== obj) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
  }

  if (ctx.seen.includes(obj)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map([[obj, index]]);
    } else {
      const known = ctx.circular.get(obj);
      if (known === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(obj, index);
      } else {
        index = known;
      }
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, obj, recurseTimes, typedArray);
}

type Formatter = (ctx: Context, value: object, recurseTimes: number) => string[];
const emptyFormatter: Formatter = () => [];

function formatRaw(ctx: Context, value: object, recurseTimes: number, typedArray?: boolean): string {
  let keys: Key[] = [];
  const constructor = getConstructorName(value, ctx, recurseTimes);
  let tag: unknown;
  try {
    tag = (value as AnyObject)[Symbol.toStringTag];
  } catch {
    tag = '';
  }
  if (
    typeof tag !== 'string' ||
    (tag !== '' &&
      (ctx.showHidden ? Object.prototype.hasOwnProperty : Object.prototype.propertyIsEnumerable).call(
        value,
        Symbol.toStringTag,
      ))
  ) {
    tag = '';
  }
  const tagStr = tag as string;
  let base = '';
  let formatter: Formatter = emptyFormatter;
  let braces: [string, string] = ['{', '}'];
  let noIterator = true;
  let extrasType: ExtrasType = kObjectType;
  let fallbackName = 'Object';

  if (Symbol.iterator in value || constructor === null) {
    noIterator = false;
    const kind = typedArrayKind(value);
    if (Array.isArray(value)) {
      const prefix = constructor !== 'Array' || tagStr !== ''
        ? getPrefix(constructor, tagStr, 'Array', `(${value.length})`)
        : '';
      keys = getNonIndexKeys(value, ctx.showHidden);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      extrasType = kArrayExtrasType;
      formatter = formatArray;
    } else if (isSet(value)) {
      const set = value as Set<unknown>;
      const prefix = getPrefix(constructor, tagStr, 'Set', `(${set.size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = (c, _v, r) => formatSet(c, set, r);
      if (set.size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (isMap(value)) {
      const map = value as Map<unknown, unknown>;
      const prefix = getPrefix(constructor, tagStr, 'Map', `(${map.size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = (c, _v, r) => formatMap(c, map, r);
      if (map.size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (kind !== undefined) {
      const typed = value as unknown as ArrayLike<number | bigint>;
      keys = getNonIndexKeys(value, ctx.showHidden);
      const fallback = constructor === null ? kind : '';
      const size = typed.length;
      const prefix = getPrefix(constructor, tagStr, fallback, `(${size})`);
      braces = [`${prefix}[`, ']'];
      if (typed.length === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
      formatter = (c, _v, r) => formatTypedArray(c, typed, size, r);
      extrasType = kArrayExtrasType;
    } else {
      const objTag = Object.prototype.toString.call(value);
      if (objTag === '[object Map Iterator]' || objTag === '[object Set Iterator]') {
        const type = objTag === '[object Map Iterator]' ? 'Map' : 'Set';
        keys = getKeys(value, ctx.showHidden);
        let t = tagStr;
        if (t !== `${type} Iterator`) {
          if (t !== '') t += '] [';
          t += `${type} Iterator`;
        }
        braces = [`[${t}] {`, '}'];
      } else {
        noIterator = true;
      }
    }
  }

  if (noIterator) {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (typeof value === 'function') {
      base = getFunctionBase(ctx, value as (...args: unknown[]) => unknown, constructor, tagStr);
      if (keys.length === 0) return base;
    } else if (constructor === 'Object') {
      if (isArgumentsObject(value)) braces[0] = '[Arguments] {';
      else if (tagStr !== '') braces[0] = `${getPrefix(constructor, tagStr, 'Object')}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    } else if (isRegExp(value)) {
      base = RegExp.prototype.toString.call(constructor !== null ? value : new RegExp(value as RegExp));
      const prefix = getPrefix(constructor, tagStr, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (keys.length === 0 || recurseTimes > ctx.depth) return base;
    } else if (isDate(value)) {
      const time = Date.prototype.getTime.call(value);
      base = Number.isNaN(time) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value);
      const prefix = getPrefix(constructor, tagStr, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      base = formatError(value, constructor, tagStr, ctx, keys);
      if (keys.length === 0) return base;
    } else if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
      const arrayType = isArrayBuffer(value) ? 'ArrayBuffer' : 'SharedArrayBuffer';
      const prefix = getPrefix(constructor, tagStr, arrayType);
      const byteLength = (value as ArrayBuffer).byteLength;
      if (typedArray === undefined) {
        formatter = (c) => formatArrayBuffer(c, value as ArrayBuffer);
      } else if (keys.length === 0) {
        return `${prefix}{ [byteLength]: ${formatNumber(byteLength)} }`;
      }
      braces[0] = `${prefix}{`;
      keys.unshift('byteLength');
    } else if (isDataView(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'DataView')}{`;
      keys.unshift('byteLength', 'byteOffset', 'buffer');
    } else if (isPromise(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'Promise')}{`;
      formatter = () => ['<pending>'];
    } else if (isWeakSet(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'WeakSet')}{`;
      formatter = () => ['<items unknown>'];
    } else if (isWeakMap(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'WeakMap')}{`;
      formatter = () => ['<items unknown>'];
    } else if (isBoxedPrimitive(value)) {
      base = getBoxedBase(value, ctx, keys, constructor, tagStr);
      if (keys.length === 0) return base;
    } else {
      fallbackName = 'Object';
      if (keys.length === 0) return `${getCtxStyle(constructor, tagStr, fallbackName)}{}`;
      braces[0] = `${getCtxStyle(constructor, tagStr, fallbackName)}{`;
    }
  }

  if (recurseTimes > ctx.depth) {
    let constructorName = getCtxStyle(constructor, tagStr, fallbackName).slice(0, -1);
    if (constructor !== null) constructorName = `[${constructorName}]`;
    return constructorName;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output: string[];
  const indentationLvl = ctx.indentationLvl;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasType));
  } catch (err) {
    if (!(err instanceof RangeError && /call stack/i.test(err.message))) throw err;
    ctx.seen.pop();
    ctx.indentationLvl = indentationLvl;
    const constructorName = getCtxStyle(constructor, tagStr, fallbackName).slice(0, -1);
    return `[${constructorName}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`;
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = `<ref *${index}>`;
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  ctx.seen.pop();

  if (ctx.sorted) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) {
      output.sort(comparator);
    } else if (keys.length > 1) {
      const sorted = output.slice(output.length - keys.length).sort(comparator);
      output.splice(output.length - keys.length, keys.length, ...sorted);
    }
  }

  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  const budget = ctx.budget[ctx.indentationLvl] || 0;
  const newLength = budget + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  if (newLength > 2 ** 27) ctx.depth = -1;
  return res;
}

function getBoxedBase(value: object, ctx: Context, keys: Key[], constructor: string | null, tag: string): string {
  let type: string;
  let primitive: unknown;
  if (isNumberObject(value)) {
    type = 'Number';
    primitive = Number.prototype.valueOf.call(value);
  } else if (isStringObject(value)) {
    type = 'String';
    primitive = String.prototype.valueOf.call(value);
    keys.splice(0, (primitive as string).length);
  } else if (isBooleanObject(value)) {
    type = 'Boolean';
    primitive = Boolean.prototype.valueOf.call(value);
  } else if (isBigIntObject(value)) {
    type = 'BigInt';
    primitive = BigInt.prototype.valueOf.call(value);
  } else {
    type = 'Symbol';
    primitive = Symbol.prototype.valueOf.call(value);
  }
  let base = `[${type}`;
  if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  base += `: ${formatPrimitive(primitive, { ...ctx, compact: 3 })}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  return base;
}

function getFunctionBase(
  ctx: Context,
  value: (...args: unknown[]) => unknown,
  constructor: string | null,
  tag: string,
): string {
  let stringified = '';
  try {
    stringified = Function.prototype.toString.call(value);
  } catch {
    stringified = '';
  }
  if (stringified.startsWith('class') && stringified.endsWith('}')) {
    const slice = stringified.slice(5, -1);
    const bracketIndex = slice.indexOf('{');
    if (
      bracketIndex !== -1 &&
      (!slice.slice(0, bracketIndex).includes('(') ||
        /^(\s+[^(]*?)\s*{/.test(slice.replace(/(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g, '')))
    ) {
      return getClassBase(value, constructor, tag);
    }
  }
  let type = 'Function';
  if (isGeneratorFunction(value)) type = `Generator${type}`;
  if (isAsyncFunction(value)) type = `Async${type}`;
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  if (value.name === '') base += ' (anonymous)';
  else base += `: ${typeof value.name === 'string' ? value.name : formatValue(ctx, value.name, 0)}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function getClassBase(value: (...args: unknown[]) => unknown, constructor: string | null, tag: string): string {
  const hasName = Object.prototype.hasOwnProperty.call(value, 'name');
  const name = (hasName && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  if (constructor !== null) {
    const superName = (Object.getPrototypeOf(value) as { name?: string }).name;
    if (superName) base += ` extends ${superName}`;
  } else {
    base += ' extends [null prototype]';
  }
  return `[${base}]`;
}

function identicalSequenceRange(a: string[], b: string[]): { len: number; offset: number } {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = Math.min(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { len, offset: i };
      }
    }
  }
  return { len: 0, offset: 0 };
}

function getStackString(ctx: Context, error: Error): string {
  const custom = ctx.errorStack?.(error);
  if (custom !== undefined) return custom;
  if (error.stack) {
    if (typeof error.stack === 'string') return error.stack;
    return formatValue(ctx, error.stack, 0);
  }
  return Error.prototype.toString.call(error);
}

function getStackFrames(ctx: Context, err: Error, stack: string): string[] {
  const frames = stack.split('\n');
  let cause: unknown;
  try {
    cause = (err as { cause?: unknown }).cause;
  } catch {
    cause = undefined;
  }
  if (cause != null && typeof cause === 'object' && isError(cause)) {
    const causeStack = getStackString(ctx, cause);
    const causeStackStart = causeStack.indexOf('\n    at');
    if (causeStackStart !== -1) {
      const causeFrames = causeStack.slice(causeStackStart + 1).split('\n');
      const { len, offset } = identicalSequenceRange(frames, causeFrames);
      if (len > 0) {
        const skipped = len - 2;
        frames.splice(offset + 1, skipped, `    ... ${skipped} lines matching cause stack trace ...`);
      }
    }
  }
  return frames;
}

function improveStack(stack: string, constructor: string | null, name: string, tag: string): string {
  let len = name.length;
  if (
    constructor === null ||
    (name.endsWith('Error') && stack.startsWith(name) && (stack.length === len || stack[len] === ':' || stack[len] === '\n'))
  ) {
    let fallback = 'Error';
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
      fallback = start?.[1] || '';
      len = fallback.length;
      fallback ||= 'Error';
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
    if (name !== prefix) {
      if (prefix.includes(name)) {
        stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
      } else {
        stack = `${prefix} [${name}]${stack.slice(len)}`;
      }
    }
  }
  return stack;
}

function formatError(err: Error, constructor: string | null, tag: string, ctx: Context, keys: Key[]): string {
  const name = err.name != null ? String(err.name) : 'Error';
  let stack = getStackString(ctx, err);
  if (!ctx.showHidden && keys.length !== 0) {
    for (const prop of ['name', 'message', 'stack'] as const) {
      const index = keys.indexOf(prop);
      if (index !== -1 && (typeof err[prop] !== 'string' || stack.includes(err[prop] as string))) keys.splice(index, 1);
    }
  }
  if ('cause' in err && (keys.length === 0 || !keys.includes('cause'))) keys.push('cause');
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors) && (keys.length === 0 || !keys.includes('errors'))) keys.push('errors');

  stack = improveStack(stack, constructor, name, tag);

  let pos = (err.message && stack.indexOf(err.message)) || -1;
  if (pos !== -1) pos += err.message.length;
  const stackStart = stack.indexOf('\n    at', pos);
  if (stackStart === -1) {
    stack = `[${stack}]`;
  } else {
    const head = stack.slice(0, stackStart);
    const lines = getStackFrames(ctx, err, stack.slice(stackStart + 1));
    stack = `${head}\n${lines.join('\n')}`;
  }
  if (ctx.indentationLvl !== 0) stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
  return stack;
}

function groupArrayElements(ctx: Context, output: string[], value: unknown): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen: number[] = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = stringWidth(output[i]);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      (ctx.compact as number) * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp: string[] = [];
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineMaxLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
      }
      maxLineLength.push(lineMaxLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      const arr = value as ArrayLike<unknown>;
      for (let i = 0; i < output.length; i++) {
        if (typeof arr[i] !== 'number' && typeof arr[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += padStart ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}

const remainingText = (remaining: number): string => `... ${remaining} more item${remaining > 1 ? 's' : ''}`;

function formatSpecialArray(
  ctx: Context,
  value: unknown[],
  recurseTimes: number,
  maxLength: number,
  output: string[],
  start: number,
): string[] {
  const keys = Object.keys(value);
  let index = start;
  let i = start;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!numberRegExp.test(key)) break;
      const emptyItems = tmp - index;
      output.push(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`);
      index = tmp;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) output.push(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`);
  } else if (remaining > 0) {
    output.push(remainingText(remaining));
  }
  return output;
}

function formatArray(ctx: Context, valueObj: object, recurseTimes: number): string[] {
  const value = valueObj as unknown[];
  const valLen = value.length;
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output: string[] = [];
  for (let i = 0; i < len; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
    }
    output.push(formatProperty(ctx, value, recurseTimes, String(i), kArrayType));
  }
  if (remaining > 0) output.push(remainingText(remaining));
  return output;
}

function formatArrayBuffer(ctx: Context, value: ArrayBuffer): string[] {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(value);
  } catch {
    return ['(detached)'];
  }
  const shown = Math.min(ctx.maxArrayLength, bytes.length);
  const hex: string[] = [];
  for (let i = 0; i < shown; i++) hex.push(bytes[i].toString(16).padStart(2, '0'));
  let str = hex.join(' ');
  const remaining = bytes.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${str}>`];
}

function formatTypedArray(
  ctx: Context,
  value: ArrayLike<number | bigint>,
  length: number,
  recurseTimes: number,
): string[] {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = value.length - maxLength;
  const output: string[] = [];
  for (let i = 0; i < maxLength; ++i) {
    const element = value[i];
    output.push(typeof element === 'number' ? formatNumber(element) : formatBigInt(element));
  }
  if (remaining > 0) output.push(remainingText(remaining));
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      const str = formatValue(ctx, (value as unknown as AnyObject)[key], recurseTimes, true);
      output.push(`[${key}]: ${str}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatSet(ctx: Context, value: Set<unknown>, recurseTimes: number): string[] {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), value.size);
  const remaining = value.size - maxLength;
  const output: string[] = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const v of value) {
    if (i >= maxLength) break;
    output.push(formatValue(ctx, v, recurseTimes));
    i++;
  }
  if (remaining > 0) output.push(remainingText(remaining));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx: Context, value: Map<unknown, unknown>, recurseTimes: number): string[] {
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), value.size);
  const remaining = value.size - maxLength;
  const output: string[] = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const [k, v] of value) {
    if (i >= maxLength) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
    i++;
  }
  if (remaining > 0) output.push(remainingText(remaining));
  ctx.indentationLvl -= 2;
  return output;
}

function formatProperty(
  ctx: Context,
  value: object,
  recurseTimes: number,
  key: Key,
  type: ExtrasType,
  original: object = value,
): string {
  let name: string;
  let str: string;
  let extra = ' ';
  const desc: PropertyDescriptor = Object.getOwnPropertyDescriptor(value, key) ?? {
    // Keys that are not own properties (ArrayBuffer `byteLength`, DataView fields) print as `[key]`, like Node.
    value: (value as AnyObject)[key],
    enumerable: false,
  };
  if (desc.value !== undefined) {
    const diff = ctx.compact !== true || type !== kObjectType ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < stringWidth(str)) extra = `\n${' '.repeat(ctx.indentationLvl)}`;
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
    if (
      ctx.getters &&
      (ctx.getters === true ||
        (ctx.getters === 'get' && desc.set === undefined) ||
        (ctx.getters === 'set' && desc.set !== undefined))
    ) {
      try {
        const tmp: unknown = desc.get.call(original);
        ctx.indentationLvl += 2;
        if (tmp === null) str = `[${label}: null]`;
        else if (typeof tmp === 'object') str = `[${label}] ${formatValue(ctx, tmp, recurseTimes)}`;
        else str = `[${label}: ${formatPrimitive(tmp, ctx)}]`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `[${label}: <Inspection threw (${(err as Error).message})>]`;
      }
    } else {
      str = `[${label}]`;
    }
  } else if (desc.set !== undefined) {
    str = '[Setter]';
  } else {
    str = 'undefined';
  }
  if (type === kArrayType) return str;
  if (typeof key === 'symbol') {
    escapeAll.lastIndex = 0;
    name = `[${key.toString().replace(escapeAll, escapeChar)}]`;
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    escapeAll.lastIndex = 0;
    name = `[${key.replace(escapeAll, escapeChar)}]`;
  } else if (keyStrRegExp.test(key)) {
    name = key;
  } else {
    name = quoteString(key);
  }
  return `${name}:${extra}${str}`;
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    totalLength += entry.length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(
  ctx: Context,
  input: string[],
  base: string,
  braces: [string, string],
  extrasType: ExtrasType,
  recurseTimes: number,
  value?: unknown,
): string {
  let output = input;
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
  }
  const indentation = ' '.repeat(ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}

function inspectWith(value: unknown, ctx: Context): string {
  return formatValue({ ...ctx, seen: [], budget: {}, indentationLvl: 0, currentDepth: 0, circular: undefined }, value, 0);
}

/**
 * Formats `value` the way Node's `util.inspect(value, options)` does (no colours). Pure: reads `value` (and calls
 * its getters only with `getters: true` and its custom inspect method), never mutates it.
 */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  const nullable = (v: number | null | undefined, fallback: number): number =>
    v === null ? Infinity : v === undefined ? fallback : v;
  const ctx: Context = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    depth: nullable(options.depth, 2),
    showHidden: options.showHidden ?? false,
    customInspect: options.customInspect ?? true,
    maxArrayLength: nullable(options.maxArrayLength, 100),
    maxStringLength: nullable(options.maxStringLength, 10_000),
    breakLength: options.breakLength ?? 80,
    compact: options.compact ?? 3,
    sorted: options.sorted ?? false,
    getters: options.getters ?? false,
    errorStack: options.errorStack,
    userOptions: options,
  };
  return formatValue(ctx, value, 0);
}

/**
 * Node's `hasBuiltInToString`: true when `value`'s `toString` / `Symbol.toPrimitive` comes from a built-in class
 * (so `%s` inspects it instead of calling its `toString`).
 */
export function hasBuiltInToString(value: object): boolean {
  const obj = value as AnyObject;
  let hasOwnToString = (o: object, k: Key) => Object.prototype.hasOwnProperty.call(o, k);
  let hasOwnToPrimitive = hasOwnToString;
  if (typeof obj.toString !== 'function') {
    if (typeof obj[Symbol.toPrimitive] !== 'function') return true;
    if (Object.prototype.hasOwnProperty.call(obj, Symbol.toPrimitive)) return false;
    hasOwnToString = () => false;
  } else if (Object.prototype.hasOwnProperty.call(obj, 'toString')) {
    return false;
  } else if (typeof obj[Symbol.toPrimitive] !== 'function') {
    hasOwnToPrimitive = () => false;
  } else if (Object.prototype.hasOwnProperty.call(obj, Symbol.toPrimitive)) {
    return false;
  }
  let pointer: object | null = value;
  do {
    pointer = Object.getPrototypeOf(pointer) as object | null;
  } while (pointer !== null && !hasOwnToString(pointer, 'toString') && !hasOwnToPrimitive(pointer, Symbol.toPrimitive));
  if (pointer === null) return true;
  const descriptor = Object.getOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' && builtInObjects.has(descriptor.value.name);
}
