/**
 * `format(...args)`: Node's `util.format` / `console.log` formatting, browser-safe, so the console panel shows
 * exactly what `node program.js` would print.
 *
 * - A first argument that is a string is a format string: `%s` (String; numbers keep `-0`, bigints get `n`,
 *   objects with a built-in `toString` are inspected with depth 0), `%d` (Number), `%i` (parseInt), `%f`
 *   (parseFloat), `%j` (JSON.stringify, `[Circular]` on cycles), `%o` (inspect with showHidden, depth 4), `%O`
 *   (inspect), `%c` (CSS, consumed and dropped), `%%` (a literal %). A specifier without a matching argument stays
 *   as written.
 * - Remaining arguments are appended with one space: strings as they are, anything else through `inspect`.
 *
 * A port of Node.js's `util.format` (https://nodejs.org/api/util.html#utilformatformat-args), i.e.
 * `formatWithOptionsInternal` in `lib/internal/util/inspect.js`: Copyright Node.js contributors, MIT licence (the
 * notice is in `inspect.ts`, which says why the port is kept rather than the `node-inspect-extracted` package).
 */
import { hasBuiltInToString, inspect, type InspectOptions } from './inspect.ts';

export { inspect, type InspectOptions } from './inspect.ts';

function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : `${value}`;
}

function tryStringify(value: unknown): string {
  try {
    return JSON.stringify(value) as string;
  } catch (err) {
    if (err instanceof TypeError && /circular/i.test(err.message)) return '[Circular]';
    throw err;
  }
}

/** `util.format(...args)` with the given inspect options (e.g. the runner's `errorStack`). */
export function formatWithOptions(inspectOptions: InspectOptions, ...args: unknown[]): string {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';

  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr = '';
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const nextChar = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        switch (nextChar) {
          case 115: { // 's'
            const arg = args[++a];
            if (typeof arg === 'number') tempStr = formatNumber(arg);
            else if (typeof arg === 'bigint') tempStr = `${arg}n`;
            else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) tempStr = String(arg);
            else tempStr = inspect(arg, { ...inspectOptions, compact: 3, depth: 0 });
            break;
          }
          case 106: // 'j'
            tempStr = tryStringify(args[++a]);
            break;
          case 100: { // 'd'
            const arg = args[++a];
            if (typeof arg === 'bigint') tempStr = `${arg}n`;
            else if (typeof arg === 'symbol') tempStr = 'NaN';
            else tempStr = formatNumber(Number(arg));
            break;
          }
          case 79: // 'O'
            tempStr = inspect(args[++a], inspectOptions);
            break;
          case 111: // 'o'
            tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, depth: 4 });
            break;
          case 105: { // 'i'
            const arg = args[++a];
            if (typeof arg === 'bigint') tempStr = `${arg}n`;
            else if (typeof arg === 'symbol') tempStr = 'NaN';
            else tempStr = formatNumber(Number.parseInt(arg as string));
            break;
          }
          case 102: { // 'f'
            const arg = args[++a];
            tempStr = typeof arg === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(arg as string));
            break;
          }
          case 99: // 'c'
            a += 1;
            tempStr = '';
            break;
          case 37: // '%'
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          default:
            continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += tempStr;
        lastPos = i + 1;
      } else if (nextChar === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }

  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

/** `util.format(...args)`: what `console.log(...args)` prints (without the trailing newline). */
export function format(...args: unknown[]): string {
  return formatWithOptions({}, ...args);
}
