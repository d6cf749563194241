import { Buffer } from 'buffer';

/**
 * AMQP field tables (message `headers`) as amqplib 0.10 encodes and decodes them: a port of
 * node_modules/amqplib/lib/codec.js (`encodeTable`, `encodeFieldValue`, `encodeArray`, `decodeFields`) and of the
 * 64-bit helpers it takes from buffer-more-ints. The facade sends a message's headers through `roundTripTable`, so a
 * consumer sees what it would see from RabbitMQ: `{ '!': 'int', value: 7 }` arrives as 7, a float as its 32-bit
 * value, -0 as 0, `undefined` entries vanish, a Date or Map arrives as `{}`, inherited keys are copied, and a value
 * that does not fit its type throws where amqplib throws (RangeError / TypeError from the Buffer writes; in the
 * browser the `buffer` package words some of them its own way). Timestamps and decimals decode to
 * `{ '!': 'timestamp' | 'decimal', value }`, as in amqplib. Verified with amqplib 0.10 and RabbitMQ 3.10 by
 * test/conformance/amqp/41-header-values.mjs.
 */

/** amqplib encodes tables into a 64 KiB scratch buffer (defs.js `SCRATCH`); a bigger table throws there too. */
const SCRATCH_BYTES = 65536;
const SHIFT_LEFT_32 = (1 << 16) * (1 << 16);
const SHIFT_RIGHT_32 = 1 / SHIFT_LEFT_32;

/** The scratch buffer, allocated on first use and reused (decoding copies every string and Buffer out of it). */
let scratch: Buffer | undefined;

/**
 * `table` encoded and decoded again, as the consumer of a message receives it: a new object, nothing shared with
 * `table`. Throws as amqplib's encoder does (then nothing was sent).
 */
export function roundTripTable(table: object): Record<string, unknown> {
  let empty = true;
  for (const _key in table) {
    empty = false;
    break;
  }
  if (empty) return {};
  scratch ??= Buffer.alloc(SCRATCH_BYTES);
  const size = encodeTable(scratch, table, 0);
  return decodeFields(scratch.subarray(4, size));
}

/**
 * codec.js isFloatingPoint: at or above 2^50 a double cannot tell fractions from integers, so such numbers are
 * written as 64-bit integers, except above 2^63 - 1, which only a double holds.
 */
function isFloatingPoint(n: number): boolean {
  return n >= 0x8000000000000000 || (Math.abs(n) < 0x4000000000000 && Math.floor(n) !== n);
}

function encodeTable(buffer: Buffer, table: object, offset: number): number {
  const start = offset;
  offset += 4;
  for (const key in table) {
    const value = (table as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const len = Buffer.byteLength(key);
    buffer.writeUInt8(len, offset); offset++;
    buffer.write(key, offset, 'utf8'); offset += len;
    offset += encodeFieldValue(buffer, value, offset);
  }
  buffer.writeUInt32BE(offset - start - 4, start);
  return offset - start;
}

function encodeArray(buffer: Buffer, values: unknown[], offset: number): number {
  const start = offset;
  offset += 4;
  for (const value of values) offset += encodeFieldValue(buffer, value, offset);
  buffer.writeUInt32BE(offset - start - 4, start);
  return offset - start;
}

function encodeFieldValue(buffer: Buffer, value: unknown, offset: number): number {
  const start = offset;
  let type: string = typeof value;
  let val = value;
  if (value && type === 'object' && Object.prototype.hasOwnProperty.call(value, '!')) {
    val = (value as { value?: unknown }).value;
    type = String((value as Record<string, unknown>)['!']);
  }
  if (type === 'number') {
    const n = val as number;
    if (isFloatingPoint(n)) type = 'double';
    else if (n < 128 && n >= -128) type = 'byte';
    else if (n >= -0x8000 && n < 0x8000) type = 'short';
    else if (n >= -0x80000000 && n < 0x80000000) type = 'int';
    else type = 'long';
  }
  const tag = (t: string) => { buffer.write(t, offset); offset++; };
  const n = val as number;
  switch (type) {
    case 'string': {
      const len = Buffer.byteLength(val as string, 'utf8');
      tag('S');
      buffer.writeUInt32BE(len, offset); offset += 4;
      buffer.write(val as string, offset, 'utf8'); offset += len;
      break;
    }
    case 'object':
      if (val === null) tag('V');
      else if (Array.isArray(val)) {
        tag('A');
        offset += encodeArray(buffer, val, offset);
      } else if (Buffer.isBuffer(val)) {
        tag('x');
        buffer.writeUInt32BE(val.length, offset); offset += 4;
        val.copy(buffer, offset); offset += val.length;
      } else {
        tag('F');
        offset += encodeTable(buffer, val as object, offset);
      }
      break;
    case 'boolean':
      tag('t');
      buffer.writeUInt8(val ? 1 : 0, offset); offset++;
      break;
    case 'double': case 'float64':
      tag('d');
      buffer.writeDoubleBE(n, offset); offset += 8;
      break;
    case 'byte': case 'int8':
      tag('b');
      buffer.writeInt8(n, offset); offset++;
      break;
    case 'unsignedbyte': case 'uint8':
      tag('B');
      buffer.writeUInt8(n, offset); offset++;
      break;
    case 'short': case 'int16':
      tag('s');
      buffer.writeInt16BE(n, offset); offset += 2;
      break;
    case 'unsignedshort': case 'uint16':
      tag('u');
      buffer.writeUInt16BE(n, offset); offset += 2;
      break;
    case 'int': case 'int32':
      tag('I');
      buffer.writeInt32BE(n, offset); offset += 4;
      break;
    case 'unsignedint': case 'uint32':
      tag('i');
      buffer.writeUInt32BE(n, offset); offset += 4;
      break;
    case 'long': case 'int64':
      tag('l');
      writeInt64BE(buffer, n, offset); offset += 8;
      break;
    case 'timestamp':
      tag('T');
      writeUInt64BE(buffer, n, offset); offset += 8;
      break;
    case 'float':
      tag('f');
      buffer.writeFloatBE(n, offset); offset += 4;
      break;
    case 'decimal': {
      tag('D');
      const d = val as { places?: number; digits?: number } | null;
      if (d && Object.prototype.hasOwnProperty.call(d, 'places') && Object.prototype.hasOwnProperty.call(d, 'digits')
        && (d.places as number) >= 0 && (d.places as number) < 256) {
        buffer[offset] = d.places as number; offset++;
        buffer.writeUInt32BE(d.digits as number, offset); offset += 4;
      } else {
        throw new TypeError(`Decimal value must be {'places': 0..255, 'digits': uint32}, got ${JSON.stringify(val)}`);
      }
      break;
    }
    default:
      throw new TypeError(`Unknown type to encode: ${type}`);
  }
  return offset - start;
}

function decodeFields(slice: Buffer): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  let offset = 0;
  const value = (): unknown => {
    const tag = String.fromCharCode(slice[offset]); offset++;
    let len: number;
    let out: unknown;
    switch (tag) {
      case 'b': out = slice.readInt8(offset); offset++; break;
      case 'B': out = slice.readUInt8(offset); offset++; break;
      case 'S':
        len = slice.readUInt32BE(offset); offset += 4;
        out = slice.toString('utf8', offset, offset + len); offset += len;
        break;
      case 'I': out = slice.readInt32BE(offset); offset += 4; break;
      case 'i': out = slice.readUInt32BE(offset); offset += 4; break;
      case 'D': {
        const places = slice[offset]; offset++;
        const digits = slice.readUInt32BE(offset); offset += 4;
        out = { '!': 'decimal', value: { places, digits } };
        break;
      }
      case 'T':
        out = { '!': 'timestamp', value: slice.readUInt32BE(offset) * SHIFT_LEFT_32 + slice.readUInt32BE(offset + 4) };
        offset += 8;
        break;
      case 'F':
        len = slice.readUInt32BE(offset); offset += 4;
        out = decodeFields(slice.subarray(offset, offset + len)); offset += len;
        break;
      case 'A': {
        len = slice.readUInt32BE(offset); offset += 4;
        const until = offset + len;
        const items: unknown[] = [];
        while (offset < until) items.push(value());
        out = items;
        break;
      }
      case 'd': out = slice.readDoubleBE(offset); offset += 8; break;
      case 'f': out = slice.readFloatBE(offset); offset += 4; break;
      case 'l': out = slice.readInt32BE(offset) * SHIFT_LEFT_32 + slice.readUInt32BE(offset + 4); offset += 8; break;
      case 's': out = slice.readInt16BE(offset); offset += 2; break;
      case 'u': out = slice.readUInt16BE(offset); offset += 2; break;
      case 't': out = slice[offset] !== 0; offset++; break;
      case 'V': out = null; break;
      case 'x':
        len = slice.readUInt32BE(offset); offset += 4;
        // A copy: amqplib decodes each delivery from its own frame.
        out = Buffer.from(slice.subarray(offset, offset + len)); offset += len;
        break;
      default:
        throw new TypeError(`Unexpected type tag "${tag}"`);
    }
    return out;
  };
  while (offset < slice.length) {
    const len = slice.readUInt8(offset); offset++;
    const key = slice.toString('utf8', offset, offset + len); offset += len;
    fields[key] = value();
  }
  return fields;
}

/** buffer-more-ints check_value: an integer within [min, max], else TypeError '"value" argument is out of bounds'. */
function checkInt64(value: number, min: number, max: number): number {
  const v = +value;
  if (typeof v !== 'number' || v < min || v > max || Math.floor(v) !== v) {
    throw new TypeError('"value" argument is out of bounds');
  }
  return v;
}

function checkBounds(buffer: Buffer, offset: number): void {
  if (offset < 0 || offset + 8 > buffer.length) throw new RangeError('Index out of range');
}

function writeInt64BE(buffer: Buffer, value: number, offset: number): void {
  const v = checkInt64(value, -0x800000000000000000, 0x7fffffffffffffff);
  checkBounds(buffer, offset);
  if (v < 0x8000000000000000) {
    buffer.writeInt32BE(Math.floor(v * SHIFT_RIGHT_32), offset);
    buffer.writeInt32BE(v & -1, offset + 4);
  } else {
    buffer.fill(0xff, offset, offset + 8);
    buffer[offset] = 0x7f;
  }
}

function writeUInt64BE(buffer: Buffer, value: number, offset: number): void {
  const v = checkInt64(value, 0, 0xffffffffffffffff);
  checkBounds(buffer, offset);
  if (v < 0x10000000000000000) {
    buffer.writeUInt32BE(Math.floor(v * SHIFT_RIGHT_32), offset);
    buffer.writeInt32BE(v & -1, offset + 4);
  } else {
    buffer.fill(0xff, offset, offset + 8);
  }
}
