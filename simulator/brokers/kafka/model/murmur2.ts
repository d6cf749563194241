/**
 * Kafka's murmur2 hash, bit for bit as the Java client computes it (`org.apache.kafka.common.utils.Utils.murmur2`,
 * Kafka 0.10.2 and every later version), which is what kafkajs 2's DefaultPartitioner uses
 * (node_modules/kafkajs/src/producer/partitioners/default/murmur2.js). Keys that are not bytes are hashed as the
 * UTF-8 bytes of `String(key)`, as kafkajs does (`Buffer.from(String(key))`; a lone UTF-16 surrogate becomes
 * U+FFFD, as in Node).
 *
 * Known values (Kafka's own test vectors, checked in test/unit/kafka/partitioner.test.ts):
 * murmur2("0") = 971027396, murmur2("100:48069") = 1009543857.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Scratch buffer for UTF-8 encoding (grows; reused so hashing a key allocates nothing). */
let scratch = new Uint8Array(256);

/**
 * Writes the UTF-8 bytes of `text` into `scratch` (growing it) and returns the byte length. Lone surrogates are
 * encoded as U+FFFD (EF BF BD), as `Buffer.from(text)` and `TextEncoder` do.
 */
function utf8Into(text: string): number {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
      } else {
        out[n++] = 0xef;
        out[n++] = 0xbf;
        out[n++] = 0xbd;
      }
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/**
 * murmur2 of `length` bytes of `data` (a signed 32-bit integer, like Java's `int`). 32-bit multiplication is
 * `Math.imul`, `>>>` is Java's unsigned shift, so every step wraps exactly as in Java.
 */
export function murmur2Bytes(data: Uint8Array, length = data.length): number {
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4] & 0xff) | ((data[i4 + 1] & 0xff) << 8) | ((data[i4 + 2] & 0xff) << 16) | ((data[i4 + 3] & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  switch (length & 3) {
    case 3:
      h ^= (data[tail + 2] & 0xff) << 16;
    // falls through
    case 2:
      h ^= (data[tail + 1] & 0xff) << 8;
    // falls through
    case 1:
      h ^= data[tail] & 0xff;
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** murmur2 of a record key: bytes as they are, anything else as the UTF-8 bytes of `String(key)` (kafkajs). */
export function murmur2(key: Uint8Array | string | number | boolean | bigint | object): number {
  if (key instanceof Uint8Array) return murmur2Bytes(key);
  const length = utf8Into(String(key));
  return murmur2Bytes(scratch, length);
}

/**
 * Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`: -2^31 would stay negative), as kafkajs's
 * partitioner does with `x & 0x7fffffff`.
 */
export function toPositive(x: number): number {
  return x & 0x7fffffff;
}
