/**
 * Kafka's consumer protocol: the bytes a consumer puts in JoinGroup (its subscription, "member metadata") and the
 * leader puts in SyncGroup (each member's assignment). The coordinator treats them as opaque bytes; clients and
 * the trace decode them. Format (Kafka `ConsumerProtocol` version 0, kafkajs `assignerProtocol.js`), big-endian:
 * - MemberMetadata: version int16, topics [int32 count, then each string int16 length + UTF-8], userData
 *   (int32 length, -1 for null, then bytes);
 * - MemberAssignment: version int16, [int32 count of (topic string, [int32 count, int32 partition…])], userData.
 * `decodeAssignment` returns null for bytes too short to hold a version (an empty assignment), as kafkajs does.
 */

/** A member's subscription. */
export interface MemberMetadata {
  version: number;
  topics: string[];
  userData: Uint8Array;
}

/** A member's assignment: topic → partitions. */
export interface MemberAssignment {
  version: number;
  assignment: Record<string, number[]>;
  userData: Uint8Array;
}

class Writer {
  private bytes: number[] = [];
  int16(v: number): this {
    this.bytes.push((v >> 8) & 0xff, v & 0xff);
    return this;
  }
  int32(v: number): this {
    this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }
  string(s: string): this {
    const b = new TextEncoder().encode(s);
    this.int16(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  bytesField(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  private off = 0;
  private readonly b: Uint8Array;
  constructor(b: Uint8Array) {
    this.b = b;
  }
  canRead(n: number): boolean {
    return this.off + n <= this.b.length;
  }
  int16(): number {
    if (!this.canRead(2)) throw new RangeError('consumer protocol: truncated int16');
    const v = (this.b[this.off] << 8) | this.b[this.off + 1];
    this.off += 2;
    return (v << 16) >> 16;
  }
  int32(): number {
    if (!this.canRead(4)) throw new RangeError('consumer protocol: truncated int32');
    const v = (this.b[this.off] << 24) | (this.b[this.off + 1] << 16) | (this.b[this.off + 2] << 8) | this.b[this.off + 3];
    this.off += 4;
    return v | 0;
  }
  string(): string {
    const n = this.int16();
    if (n < 0) return '';
    if (!this.canRead(n)) throw new RangeError('consumer protocol: truncated string');
    const s = new TextDecoder().decode(this.b.subarray(this.off, this.off + n));
    this.off += n;
    return s;
  }
  bytesField(): Uint8Array {
    if (!this.canRead(4)) return new Uint8Array(0);
    const n = this.int32();
    if (n < 0) return new Uint8Array(0);
    if (!this.canRead(n)) throw new RangeError('consumer protocol: truncated bytes');
    const out = this.b.slice(this.off, this.off + n);
    this.off += n;
    return out;
  }
}

/** Encodes a subscription (kafkajs `MemberMetadata.encode`). */
export function encodeMemberMetadata(m: { version: number; topics: readonly string[]; userData?: Uint8Array }): Uint8Array {
  const w = new Writer().int16(m.version).int32(m.topics.length);
  for (const t of m.topics) w.string(t);
  return w.bytesField(m.userData ?? new Uint8Array(0)).done();
}

/** Decodes a subscription. @throws RangeError for truncated bytes. */
export function decodeMemberMetadata(bytes: Uint8Array): MemberMetadata {
  const r = new Reader(bytes);
  const version = r.int16();
  const n = r.int32();
  const topics: string[] = [];
  for (let i = 0; i < n; i++) topics.push(r.string());
  return { version, topics, userData: r.bytesField() };
}

/** Encodes an assignment (kafkajs `MemberAssignment.encode`), topics in the object's key order. */
export function encodeAssignment(a: { version: number; assignment: Record<string, readonly number[]>; userData?: Uint8Array }): Uint8Array {
  const topics = Object.keys(a.assignment);
  const w = new Writer().int16(a.version).int32(topics.length);
  for (const t of topics) {
    w.string(t).int32(a.assignment[t].length);
    for (const p of a.assignment[t]) w.int32(p);
  }
  return w.bytesField(a.userData ?? new Uint8Array(0)).done();
}

/** Decodes an assignment; null when the bytes hold none (kafkajs: fewer than 2 bytes). @throws RangeError. */
export function decodeAssignment(bytes: Uint8Array): MemberAssignment | null {
  const r = new Reader(bytes);
  if (!r.canRead(2)) return null;
  const version = r.int16();
  const n = r.int32();
  const assignment: Record<string, number[]> = {};
  for (let i = 0; i < n; i++) {
    const topic = r.string();
    const count = r.int32();
    const partitions: number[] = [];
    for (let j = 0; j < count; j++) partitions.push(r.int32());
    assignment[topic] = partitions;
  }
  return { version, assignment, userData: r.bytesField() };
}
