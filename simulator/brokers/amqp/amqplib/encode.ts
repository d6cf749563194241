import { Buffer } from 'buffer';

/**
 * amqplib 0.10's client-side field checks, done when it encodes a frame (node_modules/amqplib/lib/defs.js
 * `encode<Method>` / `encodeBasicProperties`, lib/codec.js `encodeTable`, buffer-more-ints `check_value`), ported so
 * the facade rejects exactly what amqplib rejects, with the same error class and message:
 * - shortstr (queue, routingKey, consumerTag, contentType, …): a string of at most 255 UTF-8 bytes, else
 *   TypeError "Field 'queue' is the wrong type; must be a string (up to 255 chars)". In a method frame `undefined`
 *   means '' (null is wrong); in the properties `undefined` and `null` mean "absent".
 * - numbers: TypeError "Field 'priority' is the wrong type; must be a number (but not NaN)"; then the write's range:
 *   octet / short ⇒ Node's RangeError 'The value of "value" is out of range. It must be >= 0 and <= 255. Received
 *   300'; longlong (delivery tag, timestamp) ⇒ TypeError '"value" argument is out of bounds' (negative, fraction,
 *   ≥ 2^64).
 * - tables (arguments, headers): an object; values string / number / boolean / null / Buffer / array / object, or
 *   `{ '!': type, value }`; anything else ⇒ TypeError "Unknown type to encode: function".
 * - mandatory fields without a value (basic.cancel's consumerTag, basic.reject's deliveryTag) ⇒
 *   Error "Missing value for mandatory field 'consumerTag'".
 * Checks run in amqplib's order (a method's string and table fields first, then its numbers), so the first error
 * reported is amqplib's. Everything here is synchronous and pure; the caller decides whether it throws or rejects.
 */

type FieldType = 'shortstr' | 'table' | 'octet' | 'short' | 'long' | 'longlong' | 'bit';

interface FieldSpec {
  name: string;
  type: FieldType;
  mandatory?: boolean;
}

const f = (name: string, type: FieldType, mandatory = false): FieldSpec => ({ name, type, mandatory });

/** The fields of each method the facade sends, in defs.js order (bits omitted: any value encodes). */
export const METHOD_FIELDS = {
  ExchangeDeclare: [f('ticket', 'short'), f('exchange', 'shortstr', true), f('type', 'shortstr'), f('arguments', 'table')],
  ExchangeDelete: [f('ticket', 'short'), f('exchange', 'shortstr', true)],
  QueueDeclare: [f('ticket', 'short'), f('queue', 'shortstr'), f('arguments', 'table')],
  QueueBind: [f('ticket', 'short'), f('queue', 'shortstr'), f('exchange', 'shortstr', true), f('routingKey', 'shortstr'),
    f('arguments', 'table')],
  QueueUnbind: [f('ticket', 'short'), f('queue', 'shortstr'), f('exchange', 'shortstr', true), f('routingKey', 'shortstr'),
    f('arguments', 'table')],
  ExchangeBind: [f('ticket', 'short'), f('destination', 'shortstr', true), f('source', 'shortstr', true),
    f('routingKey', 'shortstr'), f('arguments', 'table')],
  ExchangeUnbind: [f('ticket', 'short'), f('destination', 'shortstr', true), f('source', 'shortstr', true),
    f('routingKey', 'shortstr'), f('arguments', 'table')],
  QueueDelete: [f('ticket', 'short'), f('queue', 'shortstr')],
  QueuePurge: [f('ticket', 'short'), f('queue', 'shortstr')],
  BasicQos: [f('prefetchSize', 'long'), f('prefetchCount', 'short')],
  BasicConsume: [f('ticket', 'short'), f('queue', 'shortstr'), f('consumerTag', 'shortstr'), f('arguments', 'table')],
  BasicCancel: [f('consumerTag', 'shortstr', true)],
  BasicPublish: [f('ticket', 'short'), f('exchange', 'shortstr'), f('routingKey', 'shortstr')],
  BasicGet: [f('ticket', 'short'), f('queue', 'shortstr')],
  BasicAck: [f('deliveryTag', 'longlong')],
  BasicReject: [f('deliveryTag', 'longlong', true)],
  BasicNack: [f('deliveryTag', 'longlong')],
  BasicRecover: [] as FieldSpec[],
} satisfies Record<string, FieldSpec[]>;

export type EncodedMethod = keyof typeof METHOD_FIELDS;

/** BasicProperties in defs.js order. */
const PROPERTY_FIELDS: FieldSpec[] = [
  f('contentType', 'shortstr'), f('contentEncoding', 'shortstr'), f('headers', 'table'), f('deliveryMode', 'octet'),
  f('priority', 'octet'), f('correlationId', 'shortstr'), f('replyTo', 'shortstr'), f('expiration', 'shortstr'),
  f('messageId', 'shortstr'), f('timestamp', 'longlong'), f('type', 'shortstr'), f('userId', 'shortstr'),
  f('appId', 'shortstr'), f('clusterId', 'shortstr'),
];

const VARYING: ReadonlySet<FieldType> = new Set(['shortstr', 'table']);

/**
 * Checks `fields` as amqplib's `encode<method>` would. Throws TypeError / RangeError / Error (see module doc).
 * Source: node_modules/amqplib/lib/defs.js.
 */
export function checkMethodFields(method: EncodedMethod, fields: Readonly<Record<string, unknown>>): void {
  const specs = METHOD_FIELDS[method];
  // First pass (sizes): strings and tables; second pass (writes): numbers.
  for (const spec of specs) {
    if (!VARYING.has(spec.type)) continue;
    const value = fields[spec.name];
    if (value === undefined) {
      if (spec.mandatory) throw new Error(`Missing value for mandatory field '${spec.name}'`);
      continue;
    }
    checkValue(spec, value);
  }
  for (const spec of specs) {
    if (VARYING.has(spec.type)) continue;
    const value = fields[spec.name];
    if (value === undefined) {
      if (spec.mandatory) throw new Error(`Missing value for mandatory field '${spec.name}'`);
      continue;
    }
    checkValue(spec, value);
  }
}

/** Checks basic properties as amqplib's `encodeBasicProperties` would (absent = undefined or null). */
export function checkBasicProperties(properties: Readonly<Record<string, unknown>>): void {
  for (const spec of PROPERTY_FIELDS) {
    const value = properties[spec.name];
    if (value === undefined || value === null) continue;
    checkType(spec, value);
  }
  for (const spec of PROPERTY_FIELDS) {
    const value = properties[spec.name];
    if (value === undefined || value === null) continue;
    checkRange(spec, value as number);
  }
}

function checkValue(spec: FieldSpec, value: unknown): void {
  checkType(spec, value);
  checkRange(spec, value as number);
}

function checkType(spec: FieldSpec, value: unknown): void {
  switch (spec.type) {
    case 'shortstr':
      if (!(typeof value === 'string' && Buffer.byteLength(value) < 256)) {
        throw new TypeError(`Field '${spec.name}' is the wrong type; must be a string (up to 255 chars)`);
      }
      return;
    case 'table':
      if (typeof value !== 'object') throw new TypeError(`Field '${spec.name}' is the wrong type; must be an object`);
      if (value !== null) checkTable(value, 0);
      return;
    case 'bit':
      return;
    default:
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new TypeError(`Field '${spec.name}' is the wrong type; must be a number (but not NaN)`);
      }
  }
}

const UNSIGNED_MAX: Partial<Record<FieldType, number>> = { octet: 255, short: 65535, long: 4294967295 };

function checkRange(spec: FieldSpec, value: number): void {
  if (spec.type === 'longlong') {
    checkUInt64(value);
    return;
  }
  const max = UNSIGNED_MAX[spec.type];
  if (max !== undefined && (value < 0 || value > max)) throw outOfRange(value, max);
}

/** Node's ERR_OUT_OF_RANGE from `buffer.writeUInt8/16BE/32BE` (the browser's Buffer words it differently). */
export function outOfRange(value: number, max: number): RangeError {
  return new RangeError(`The value of "value" is out of range. It must be >= 0 and <= ${max}. Received ${nodeNumber(value)}`);
}

/** buffer-more-ints `check_value(val, 0, 2^64-1)`. */
function checkUInt64(value: number): void {
  if (value < 0 || value > 0xffffffffffffffff || Math.floor(value) !== value) {
    throw new TypeError('"value" argument is out of bounds');
  }
}

/** Most nested tables checked (a cyclic table overflows amqplib's stack; here it is a clear RangeError). */
const TABLE_DEPTH_MAX = 100;

/** lib/codec.js encodeTable / encodeFieldValue: which values a field table can hold. */
function checkTable(table: object, depth: number): void {
  if (depth > TABLE_DEPTH_MAX) throw new RangeError('Maximum call stack size exceeded');
  for (const key in table) {
    const value = (table as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (Buffer.byteLength(key) > 255) throw outOfRange(Buffer.byteLength(key), 255);
    checkFieldValue(value, depth);
  }
}

function checkFieldValue(value: unknown, depth: number): void {
  let type: string = typeof value;
  let v = value;
  if (value && type === 'object' && Object.prototype.hasOwnProperty.call(value, '!')) {
    v = (value as { value?: unknown }).value;
    type = String((value as Record<string, unknown>)['!']);
  }
  switch (type) {
    case 'number':
    case 'string':
    case 'boolean':
      if (type === 'number' && Number.isNaN(v)) throw new TypeError('"value" argument is out of bounds');
      return;
    case 'object':
      if (v === null || Buffer.isBuffer(v)) return;
      if (Array.isArray(v)) {
        for (const item of v) checkFieldValue(item, depth + 1);
        return;
      }
      checkTable(v as object, depth + 1);
      return;
    case 'double': case 'float64': case 'float': case 'byte': case 'int8': case 'unsignedbyte': case 'uint8':
    case 'short': case 'int16': case 'unsignedshort': case 'uint16': case 'int': case 'int32': case 'unsignedint':
    case 'uint32': case 'long': case 'int64': case 'timestamp': case 'decimal':
      return;
    default:
      throw new TypeError(`Unknown type to encode: ${type}`);
  }
}

/** A number as Node prints it in range errors (digit groups with '_' beyond 2^32). */
export function nodeNumber(value: number): string {
  const text = String(value);
  if (!Number.isInteger(value) || Math.abs(value) <= 2 ** 32) return text;
  let out = '';
  let i = text.length;
  const start = text[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) out = `_${text.slice(i - 3, i)}${out}`;
  return `${text.slice(0, i)}${out}`;
}

/**
 * `Object.create(value || null)` as amqplib's api_args.js does for `arguments` / `headers`: a truthy non-object
 * throws V8's TypeError "Object prototype may only be an Object or null: x" (synchronously, before any frame).
 */
export function checkPrototype(value: unknown): void {
  if (value && typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`Object prototype may only be an Object or null: ${String(value)}`);
  }
}
