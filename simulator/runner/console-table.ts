/**
 * `console.table(data, properties?)` as Node 22 prints it: a box-drawing table whose first column is the row key
 * (`(index)`, or `(iteration index)` for a Map or Set), then one column per property (in first-seen order), then a
 * `Values` column for primitive rows. Cells are the values inspected on one line (`breakLength: Infinity`), arrays
 * cut at 3 items, nested objects shown as `[Object]` (depth 0; an object cell with more than 2 keys prints as
 * `[Object]` itself, depth -1); cells are left-aligned and padded to the column's display width.
 *
 * Not an object (a number, a string, null) ⇒ printed like `console.log` would. Map and Set iterators are shown as
 * plain objects (Node previews their entries without consuming them, which a program cannot do).
 *
 * Source: Node.js lib/internal/console/constructor.js (`table`) and lib/internal/cli_table.js (v22),
 * https://nodejs.org/api/console.html#consoletabletabulardata-properties
 * @throws TypeError when `properties` is given and is not an array (Node's ERR_INVALID_ARG_TYPE).
 */
import { inspect, type InspectOptions } from './inspect.ts';

const INDEX_KEY = '(index)';
const ITERATION_KEY = '(iteration index)';
const KEY_KEY = 'Key';
const VALUES_KEY = 'Values';

/**
 * The table text for `data` (no trailing newline), or `undefined` when `data` is not an object (the caller prints
 * it like `console.log`).
 */
export function formatTable(data: unknown, properties: unknown, options: InspectOptions): string | undefined {
  if (properties !== undefined && !Array.isArray(properties)) {
    throw new TypeError(`The "properties" argument must be an instance of Array. Received ${describe(properties)}`);
  }
  if (data === null || typeof data !== 'object') return undefined;
  const cell = (v: unknown): string => {
    const depth = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
    return inspect(v, { ...options, depth, maxArrayLength: 3, breakLength: Infinity });
  };
  const indexes = (length: number) => Array.from({ length }, (_, i) => cell(i));

  if (data instanceof Map) {
    const keys: string[] = [];
    const values: string[] = [];
    for (const [k, v] of data) {
      keys.push(cell(k));
      values.push(cell(v));
    }
    return renderTable([ITERATION_KEY, KEY_KEY, VALUES_KEY], [indexes(keys.length), keys, values]);
  }
  if (data instanceof Set) {
    const values: string[] = [];
    for (const v of data) values.push(cell(v));
    return renderTable([ITERATION_KEY, VALUES_KEY], [indexes(values.length), values]);
  }

  const columns: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let hasPrimitives = false;
  const primitiveValues: string[] = [];
  const rowKeys = Object.keys(data);
  const record = data as Record<string, unknown>;
  for (let i = 0; i < rowKeys.length; i++) {
    const item = record[rowKeys[i]];
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      primitiveValues[i] = cell(item);
    } else {
      const keys = (properties as unknown[] | undefined) ?? Object.keys(item as object);
      for (const key of keys) {
        const name = String(key);
        columns[name] ??= [];
        columns[name][i] = (primitive && properties !== undefined) || !Object.prototype.hasOwnProperty.call(item, name)
          ? ''
          : cell((item as Record<string, unknown>)[name]);
      }
    }
  }
  const head = Object.keys(columns);
  const values = Object.values(columns);
  if (hasPrimitives) {
    head.push(VALUES_KEY);
    values.push(primitiveValues);
  }
  head.unshift(INDEX_KEY);
  values.unshift(rowKeys);
  return renderTable(head, values);
}

/** lib/internal/cli_table.js: `head` cells and `columns` (sparse arrays: a hole is an empty cell). */
function renderTable(head: string[], columns: string[][]): string {
  const widths = head.map(stringWidth);
  const longest = Math.max(0, ...columns.map((c) => c.length));
  const rows: string[][] = [];
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longest; j++) {
      rows[j] ??= [];
      const value = Object.prototype.hasOwnProperty.call(column, j) ? column[j] : '';
      rows[j][i] = value;
      widths[i] = Math.max(widths[i] ?? 0, stringWidth(value));
    }
  }
  const divider = widths.map((w) => '─'.repeat(w + 2));
  const renderRow = (row: string[]) =>
    `│ ${row.map((c, i) => c + ' '.repeat(widths[i] - stringWidth(c))).join(' │ ')} │`;
  let out = `┌${divider.join('┬')}┐\n${renderRow(head)}\n├${divider.join('┼')}┤\n`;
  for (const row of rows) out += `${renderRow(row)}\n`;
  return `${out}└${divider.join('┴')}┘`;
}

/** Columns a string takes in a terminal (Node's getStringWidth without ICU: wide CJK = 2, combining = 0). */
export function stringWidth(text: string): number {
  let width = 0;
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    if (isZeroWidth(code)) continue;
    width += isFullWidth(code) ? 2 : 1;
  }
  return width;
}

function isZeroWidth(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f)
    || (code >= 0x200b && code <= 0x200f) || (code >= 0x20d0 && code <= 0x20ff) || (code >= 0xfe00 && code <= 0xfe0f)
    || (code >= 0xfe20 && code <= 0xfe2f) || (code >= 0xe0100 && code <= 0xe01ef);
}

function isFullWidth(code: number): boolean {
  return code >= 0x1100 && (code <= 0x115f || code === 0x2329 || code === 0x232a
    || (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || (code >= 0x3250 && code <= 0x4dbf)
    || (code >= 0x4e00 && code <= 0xa4c6) || (code >= 0xa960 && code <= 0xa97c) || (code >= 0xac00 && code <= 0xd7a3)
    || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe10 && code <= 0xfe19) || (code >= 0xfe30 && code <= 0xfe6b)
    || (code >= 0xff01 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1b000 && code <= 0x1b001)
    || (code >= 0x1f200 && code <= 0x1f251) || (code >= 0x1f300 && code <= 0x1f64f) || (code >= 0x20000 && code <= 0x3fffd));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') return `an instance of ${(value as object).constructor?.name ?? 'Object'}`;
  return `type ${typeof value} (${inspect(value)})`;
}
