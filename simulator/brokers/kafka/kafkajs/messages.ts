/**
 * Record shapes between kafkajs programs and the model: what the producer sends (kafkajs's record encoding, which
 * `String()`s keys, values and header values that are not Buffers, node_modules/kafkajs/src/protocol/encoder.js
 * `writeVarIntBytes`), and the message objects `eachMessage` / `eachBatch` get (kafkajs's record batch decoder,
 * protocol/recordBatch/v0/decoder.js and record/v0/decoder.js): `{ magicByte: 2, attributes: 0, timestamp,
 * offset, key, value, headers, isControlRecord: false, batchContext }` with offsets and timestamps as strings,
 * keys / values / header values as Buffers (null for null), a header sent several times as an array of Buffers.
 */
import { Buffer } from 'buffer';
import { RECORD_OVERHEAD_BYTES, type RecordPayload } from '../model/partition-log.ts';
import type { FetchedRecord } from '../model/fetch.ts';

/** kafkajs's rule for record bytes: null/undefined → null, a Buffer as is, anything else `String(x)` in UTF-8. */
export function toBytes(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(String(value));
}

/** Header entries in kafkajs's encoding order (an array value gives one entry per element). */
export function headerEntries(headers: unknown): Array<[string, Buffer | null]> {
  if (headers === null || headers === undefined || typeof headers !== 'object') return [];
  const out: Array<[string, Buffer | null]> = [];
  for (const key of Object.keys(headers)) {
    const v = (headers as Record<string, unknown>)[key];
    if (Array.isArray(v)) for (const item of v) out.push([key, toBytes(item)]);
    else out.push([key, toBytes(v)]);
  }
  return out;
}

/** The model's size of a record (see partition-log.ts). */
export function recordSize(payload: RecordPayload): number {
  let size = RECORD_OVERHEAD_BYTES + (payload.key?.length ?? 0) + (payload.value?.length ?? 0);
  for (const [k, v] of payload.headers) size += 2 + Buffer.byteLength(k) + (v?.length ?? 0);
  return size;
}

/** Longest value preview kept in the trace. */
export const PREVIEW_CHARS_MAX = 40;

/** A short printable preview of bytes for the trace: UTF-8 text cut to 40 chars (binary shown as `<n bytes>`). */
export function previewOf(bytes: Uint8Array | null): string {
  if (bytes === null) return '(null)';
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) return `<${bytes.length} bytes>`;
  return text.length > PREVIEW_CHARS_MAX ? `${text.slice(0, PREVIEW_CHARS_MAX - 1)}…` : text;
}

/** Copies bytes into a fresh Buffer (each fetch hands out new Buffers, as decoding does). */
function copy(bytes: Uint8Array | null): Buffer | null {
  return bytes === null ? null : Buffer.from(bytes);
}

/** A message as kafkajs's consumer hands it to `eachMessage` (see the module doc). */
export interface KafkaMessage {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | Array<Buffer | null>>;
  isControlRecord: boolean;
  batchContext: Record<string, unknown>;
}

/** Builds the consumer's message object of a fetched record. */
export function toKafkaMessage(record: FetchedRecord): KafkaMessage {
  const payload = record.payload;
  const headers: KafkaMessage['headers'] = {};
  for (const [k, v] of payload?.headers ?? []) {
    const value = copy(v);
    const current = headers[k];
    headers[k] = current === undefined ? value : Array.isArray(current) ? current.concat([value]) : [current, value];
  }
  const b = record.batch;
  const batchContext = {
    firstOffset: String(b?.baseOffset ?? record.offset),
    firstTimestamp: String(b?.firstTimestamp ?? record.timestamp),
    partitionLeaderEpoch: b?.leaderEpoch ?? 0,
    inTransaction: false,
    isControlBatch: false,
    lastOffsetDelta: b === undefined ? 0 : b.lastOffset - b.baseOffset,
    producerId: String(b?.producerId ?? -1),
    producerEpoch: b?.producerEpoch ?? 0,
    firstSequence: b?.baseSequence ?? 0,
    maxTimestamp: String(b?.maxTimestamp ?? record.timestamp),
    timestampType: 0,
    magicByte: 2,
  };
  return {
    magicByte: 2,
    attributes: 0,
    timestamp: String(record.timestamp),
    offset: String(record.offset),
    key: copy(payload?.key ?? null),
    value: copy(payload === undefined ? Buffer.from(`m${record.msgNum}`) : payload.value),
    headers,
    isControlRecord: false,
    batchContext,
  };
}
