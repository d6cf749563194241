/**
 * One partition's log: an append-only sequence of records with consecutive offsets, cut into segments, trimmed at
 * the head by retention. What Kafka keeps per partition on its leader (`kafka.log.UnifiedLog`), simplified:
 *
 * - Offsets: the first record ever appended has offset 0; `logEndOffset` (LEO) is the offset the next record gets;
 *   `logStartOffset` is the first offset still in the log (retention moved it up). Offsets never change or repeat,
 *   except that a leader change can truncate records that were never replicated (`truncate`).
 * - Storage is columnar — message number and running byte total per record in growable typed arrays (off the
 *   garbage-collected heap; the running total makes a fetch's size limit a binary search, not a sum per record), a timestamp per batch (per record only in a batch whose records differ), the key /
 *   value / headers of records a program produced in a side map — so a million-record run allocates no object
 *   per record.
 * - Segments: as in Kafka, the log is a list of segments and retention deletes whole segments, never the active
 *   (last) one. A new segment is rolled on append when the active one would pass `segment.bytes` or is older than
 *   `segment.ms` (measured from the simulated time its first batch was appended; Kafka measures from the first
 *   record's timestamp — the same for records stamped at send time).
 * - Record size: the model counts `RECORD_OVERHEAD_BYTES` per record plus the key, value and header bytes, and
 *   `BATCH_OVERHEAD_BYTES` per batch (Kafka's v2 record batch header is 61 bytes; a record's own header a few
 *   varints). Sizes drive `segment.bytes`, `retention.bytes` and fetch sizes, not exact byte counts on disk.
 * - Retention (`applyRetention`, run by the cluster every `retentionCheckIntervalMs`, Kafka's
 *   log.retention.check.interval.ms): first by time — delete the oldest segments whose newest record timestamp is
 *   older than `retention.ms`; then by size — delete the oldest segments while the log without them is still at
 *   least `retention.bytes`. Only segments wholly below the high watermark are deleted (Kafka:
 *   `UnifiedLog.deleteOldSegments`, `deleteRetentionMsBreachedSegments`, `deleteRetentionSizeBreachedSegments`).
 * - Idempotent producers: per producer id, the last sequence number and the last 5 batches (Kafka's
 *   `ProducerStateManager`, `NUM_BATCHES_TO_RETAIN` = 5), see `checkSequence`.
 */

import { msgAt, msgCount, type MsgList } from './msg-list.ts';

/** Bytes the model counts for one record besides its key, value and headers (length, attributes, deltas). */
export const RECORD_OVERHEAD_BYTES = 8;
/** Bytes the model counts for one record batch (Kafka's v2 RecordBatch header: 61 bytes). */
export const BATCH_OVERHEAD_BYTES = 61;
/** Batches of one producer whose sequence numbers a partition remembers (Kafka: `NUM_BATCHES_TO_RETAIN`). */
export const PRODUCER_BATCHES_RETAINED = 5;

/** Key, value and headers of a record a program produced (bytes as sent). */
export interface RecordPayload {
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** Header entries in the order kafkajs encodes them (an array header value gives one entry per element). */
  headers: ReadonlyArray<readonly [string, Uint8Array | null]>;
}

/** The records of one produce batch, as the leader appends them. */
export interface RecordBatchInput {
  /** Message numbers (ids `m<N>`), one per record. */
  msgs: MsgList;
  /** Record timestamps (epoch ms): one per record, or one for all. */
  timestamps: readonly number[] | number;
  /** Record sizes in bytes (see the module doc): one per record, or one for all. */
  sizes: readonly number[] | number;
  /** Keys / values / headers of program-produced records; absent for scenario records. */
  payloads?: readonly RecordPayload[];
  /** Idempotent producer id (-1: none), epoch and the batch's first sequence number (-1: none). */
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

/** What a consumer's batch context shows of the producer batch a record came in (kafkajs `batchContext`). */
export interface BatchInfo {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  firstTimestamp: number;
  maxTimestamp: number;
  leaderEpoch: number;
  /** The one timestamp of all its records, or NaN when they differ (then each is in `timestampExceptions`). */
  uniformTimestamp: number;
}

interface Segment {
  baseOffset: number;
  bytes: number;
  /** Simulated ms its first batch was appended. */
  createdAtMs: number;
  /** Largest record timestamp in it (epoch ms), -1 while empty. */
  maxTimestamp: number;
}

interface ProducerState {
  epoch: number;
  lastSequence: number;
  /** The last batches (≤ PRODUCER_BATCHES_RETAINED): first / last sequence and first offset. */
  batches: Array<{ firstSeq: number; lastSeq: number; baseOffset: number }>;
}

/** Result of an idempotence check: append, a duplicate of a batch already written, or an error. */
export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' };

/** Retention's work on one check: the new log start offset and how many records went, and why. */
export interface RetentionResult {
  logStartOffset: number;
  count: number;
  reason: 'retention.ms' | 'retention.bytes';
}

/** Dead head entries kept before the columns are compacted (amortizes the copy). */
const COMPACT_MIN = 4096;
/** Records a new log has room for before its columns grow (they double). */
const INITIAL_CAPACITY = 64;

/** One partition's log (see the module doc). */
export class PartitionLog {
  /** First offset still in the log. */
  logStartOffset = 0;
  /** Offset of column index 0 (≤ logStartOffset; the gap is compacted lazily). */
  private base = 0;
  /** Records in the columns (from index 0, i.e. offset `base`). */
  private count = 0;
  private msgNums = new Float64Array(INITIAL_CAPACITY);
  /**
   * Running byte totals: `cumBytes[i + 1] - cumBytes[i]` is the size of the record at column index i (its offset is
   * `base + i`). Length capacity + 1; only differences are meaningful (compaction keeps the totals as they were).
   */
  private cumBytes = new Float64Array(INITIAL_CAPACITY + 1);
  /** Timestamps of records whose batch has no single timestamp (by offset); the others are their batch's. */
  private readonly timestampExceptions = new Map<number, number>();
  /** Bytes of the records the last `readCount` counted. */
  lastReadBytes = 0;
  private readonly payloads = new Map<number, RecordPayload>();
  private readonly batches: BatchInfo[] = [];
  private segments: Segment[] = [{ baseOffset: 0, bytes: 0, createdAtMs: 0, maxTimestamp: -1 }];
  private readonly producers = new Map<number, ProducerState>();

  /** The offset the next record will get. */
  get logEndOffset(): number {
    return this.base + this.count;
  }

  /** Makes room for `n` more records (doubling the columns). */
  private reserve(n: number): void {
    const need = this.count + n;
    if (need <= this.msgNums.length) return;
    let capacity = this.msgNums.length * 2;
    while (capacity < need) capacity *= 2;
    const count = this.count;
    const msgNums = new Float64Array(capacity);
    msgNums.set(this.msgNums.subarray(0, count));
    this.msgNums = msgNums;
    const cumBytes = new Float64Array(capacity + 1);
    cumBytes.set(this.cumBytes.subarray(0, count + 1));
    this.cumBytes = cumBytes;
  }

  /** Bytes of the records still in the log (model sizes, see the module doc). */
  get sizeBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    return total;
  }

  /** Number of segments (the last one is the active segment). */
  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * Kafka's idempotence check for a batch of `count` records from `producerId` with `epoch` starting at sequence
   * `baseSequence` (ProducerStateManager / ProducerAppendInfo): an older epoch → INVALID_PRODUCER_EPOCH; the same
   * first and last sequence as one of the last 5 batches → duplicate (answered with that batch's offset, not
   * written again); otherwise the first sequence must follow the last one written (0 for a producer not seen yet
   * or a new epoch) → else OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  checkSequence(producerId: number, epoch: number, baseSequence: number, count: number): SequenceCheck {
    if (producerId < 0) return { kind: 'append' };
    const state = this.producers.get(producerId);
    const lastSeq = baseSequence + count - 1;
    if (state !== undefined && epoch < state.epoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
    if (state !== undefined && epoch === state.epoch) {
      for (const b of state.batches) {
        if (b.firstSeq === baseSequence && b.lastSeq === lastSeq) return { kind: 'duplicate', baseOffset: b.baseOffset };
      }
      if (baseSequence !== state.lastSequence + 1) return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
      return { kind: 'append' };
    }
    return baseSequence === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  }

  /**
   * Appends a batch at the log end (call `checkSequence` first for idempotent producers) and returns its base
   * offset. Rolls a new segment first when the active one is full or old (see the module doc).
   * @param nowMs simulated ms (segment age); @param leaderEpoch the leader's epoch (kept in the batch info).
   */
  append(batch: RecordBatchInput, nowMs: number, segmentBytes: number, segmentMs: number, leaderEpoch: number): number {
    const msgs = batch.msgs;
    const count = msgCount(msgs);
    const baseOffset = this.logEndOffset;
    let bytes = BATCH_OVERHEAD_BYTES;
    let maxTs = -1;
    let minTs = Infinity;
    const ts = batch.timestamps;
    const sz = batch.sizes;
    this.reserve(count);
    const at = this.count;
    const msgCol = this.msgNums;
    const cum = this.cumBytes;
    if (Array.isArray(msgs)) for (let i = 0; i < count; i++) msgCol[at + i] = (msgs as number[])[i];
    else for (let i = 0; i < count; i++) msgCol[at + i] = msgAt(msgs, i);
    let total = cum[at];
    if (typeof sz === 'number') {
      for (let i = 1; i <= count; i++) cum[at + i] = total + sz * i;
      bytes += sz * count;
    } else {
      for (let i = 0; i < count; i++) {
        total += sz[i];
        cum[at + i + 1] = total;
        bytes += sz[i];
      }
    }
    let uniformTimestamp = NaN;
    if (typeof ts === 'number') {
      uniformTimestamp = ts;
      if (count > 0) maxTs = minTs = ts;
    } else {
      for (let i = 0; i < count; i++) {
        if (ts[i] > maxTs) maxTs = ts[i];
        if (ts[i] < minTs) minTs = ts[i];
      }
      if (minTs === maxTs) uniformTimestamp = minTs;
      else for (let i = 0; i < count; i++) this.timestampExceptions.set(baseOffset + i, ts[i]);
    }
    this.count += count;
    if (batch.payloads !== undefined) {
      for (let i = 0; i < count; i++) this.payloads.set(baseOffset + i, batch.payloads[i]);
    }
    let active = this.segments[this.segments.length - 1];
    if (active.bytes > 0 && (active.bytes + bytes > segmentBytes || nowMs - active.createdAtMs >= segmentMs)) {
      active = { baseOffset, bytes: 0, createdAtMs: nowMs, maxTimestamp: -1 };
      this.segments.push(active);
    }
    if (active.bytes === 0) active.createdAtMs = nowMs;
    active.bytes += bytes;
    if (maxTs > active.maxTimestamp) active.maxTimestamp = maxTs;
    this.batches.push({
      baseOffset, lastOffset: baseOffset + count - 1, producerId: batch.producerId, producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence, firstTimestamp: count === 0 ? -1 : minTs, maxTimestamp: maxTs, leaderEpoch,
      uniformTimestamp,
    });
    if (batch.producerId >= 0) {
      let state = this.producers.get(batch.producerId);
      if (state === undefined || state.epoch !== batch.producerEpoch) {
        state = { epoch: batch.producerEpoch, lastSequence: -1, batches: [] };
        this.producers.set(batch.producerId, state);
      }
      state.lastSequence = batch.baseSequence + count - 1;
      state.batches.push({ firstSeq: batch.baseSequence, lastSeq: state.lastSequence, baseOffset });
      if (state.batches.length > PRODUCER_BATCHES_RETAINED) state.batches.shift();
    }
    return baseOffset;
  }

  /**
   * How many records a fetch at `fromOffset` returns: records below `upTo` (the high watermark), at most
   * `maxRecords`, within `maxBytes` — but at least one record when one is available, as Kafka returns the first
   * batch even when it is larger than the limit (KIP-74), so a consumer always makes progress.
   */
  readCount(fromOffset: number, upTo: number, maxBytes: number, maxRecords = Infinity): number {
    this.lastReadBytes = 0;
    const end = Math.min(upTo, this.logEndOffset);
    if (fromOffset >= end || fromOffset < this.logStartOffset) return 0;
    const cum = this.cumBytes;
    const from = fromOffset - this.base;
    const start = cum[from];
    // The largest n in [1, limit] whose records fit in maxBytes (n = 1 even when the first alone does not).
    let lo = 1;
    let hi = Math.min(end - fromOffset, maxRecords);
    if (!(hi >= 1)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cum[from + mid] - start <= maxBytes) lo = mid;
      else hi = mid - 1;
    }
    this.lastReadBytes = cum[from + lo] - start;
    return lo;
  }

  /** Model bytes of the records at offsets [from, to) (both within [logStartOffset, logEndOffset]; 0 when to ≤ from). */
  bytesBetween(from: number, to: number): number {
    return to > from ? this.cumBytes[to - this.base] - this.cumBytes[from - this.base] : 0;
  }

  /** Message number of the record at `offset` (must be in [logStartOffset, logEndOffset)). */
  msgNumAt(offset: number): number {
    return this.msgNums[offset - this.base];
  }

  /** Timestamp (epoch ms) of the record at `offset` (its batch's, unless the batch's records differ). */
  timestampAt(offset: number): number {
    const b = this.batchAt(offset);
    if (b === undefined) return -1;
    return Number.isNaN(b.uniformTimestamp) ? (this.timestampExceptions.get(offset) ?? b.firstTimestamp) : b.uniformTimestamp;
  }

  /** Size in bytes (model size) of the record at `offset`. */
  sizeAt(offset: number): number {
    const i = offset - this.base;
    return this.cumBytes[i + 1] - this.cumBytes[i];
  }

  /** Key / value / headers of a program-produced record at `offset` (undefined for scenario records). */
  payloadAt(offset: number): RecordPayload | undefined {
    return this.payloads.get(offset);
  }

  /** The producer batch that holds `offset` (binary search), or undefined. */
  batchAt(offset: number): BatchInfo | undefined {
    const b = this.batches;
    let lo = 0;
    let hi = b.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid].lastOffset < offset) lo = mid + 1;
      else if (b[mid].baseOffset > offset) hi = mid - 1;
      else return b[mid];
    }
    return undefined;
  }

  /**
   * The first offset whose record timestamp is ≥ `timestamp` (ListOffsets by time), or the log end offset when none
   * is (Kafka answers -1 then; the caller decides).
   */
  offsetForTimestamp(timestamp: number): number {
    for (let off = this.logStartOffset; off < this.logEndOffset; off++) {
      if (this.timestampAt(off) >= timestamp) return off;
    }
    return this.logEndOffset;
  }

  /**
   * Deletes segments as retention requires (see the module doc). `nowEpochMs`: the broker's wall clock;
   * `highWatermark`: only segments wholly below it go. Returns what was deleted, or null when nothing was.
   */
  applyRetention(nowEpochMs: number, retentionMs: number, retentionBytes: number,
    highWatermark: number): RetentionResult | null {
    const before = this.logStartOffset;
    let reason: RetentionResult['reason'] = 'retention.ms';
    let cut = 0;
    // Time: the oldest segments whose newest record is older than retention.ms (never the active one).
    if (retentionMs >= 0) {
      while (cut < this.segments.length - 1 && this.segments[cut + 1].baseOffset <= highWatermark &&
        this.segments[cut].maxTimestamp >= 0 && nowEpochMs - this.segments[cut].maxTimestamp > retentionMs) cut++;
    }
    // Size: while the log without the oldest remaining segment is still ≥ retention.bytes.
    if (retentionBytes >= 0) {
      let size = 0;
      for (let i = cut; i < this.segments.length; i++) size += this.segments[i].bytes;
      let diff = size - retentionBytes;
      while (cut < this.segments.length - 1 && this.segments[cut + 1].baseOffset <= highWatermark &&
        diff - this.segments[cut].bytes >= 0) {
        diff -= this.segments[cut].bytes;
        cut++;
        reason = 'retention.bytes';
      }
    }
    if (cut === 0) return null;
    this.segments = this.segments.slice(cut);
    this.deleteBelow(this.segments[0].baseOffset);
    return { logStartOffset: this.logStartOffset, count: this.logStartOffset - before, reason };
  }

  /** Moves the log start offset up to `offset` (≤ LEO), dropping the records below it. */
  deleteBelow(offset: number): void {
    const target = Math.min(offset, this.logEndOffset);
    if (target <= this.logStartOffset) return;
    for (let off = this.logStartOffset; off < target; off++) {
      this.payloads.delete(off);
      this.timestampExceptions.delete(off);
    }
    this.logStartOffset = target;
    while (this.batches.length > 0 && this.batches[0].lastOffset < target) this.batches.shift();
    while (this.segments.length > 1 && this.segments[1].baseOffset <= target) this.segments.shift();
    const dead = this.logStartOffset - this.base;
    if (dead >= COMPACT_MIN && dead * 2 >= this.count) {
      this.msgNums.copyWithin(0, dead, this.count);
      this.cumBytes.copyWithin(0, dead, this.count + 1);
      this.count -= dead;
      this.base = this.logStartOffset;
    }
  }

  /**
   * Cuts the log back to `offset` (records at and above it are gone: a new leader that had not replicated them,
   * Kafka's truncation to the leader epoch's end offset). Returns the message numbers removed, oldest first.
   */
  truncate(offset: number): number[] {
    const to = Math.max(offset, this.logStartOffset);
    if (to >= this.logEndOffset) return [];
    const from = to - this.base;
    const lost = Array.from(this.msgNums.subarray(from, this.count));
    for (let off = to; off < this.logEndOffset; off++) {
      this.payloads.delete(off);
      this.timestampExceptions.delete(off);
    }
    this.count = from;
    while (this.batches.length > 0 && this.batches[this.batches.length - 1].baseOffset >= to) this.batches.pop();
    const last = this.batches[this.batches.length - 1];
    if (last !== undefined && last.lastOffset >= to) last.lastOffset = to - 1;
    while (this.segments.length > 1 && this.segments[this.segments.length - 1].baseOffset >= to) this.segments.pop();
    const active = this.segments[this.segments.length - 1];
    const first = Math.max(active.baseOffset, this.logStartOffset) - this.base;
    active.bytes = to > first + this.base ? this.cumBytes[from] - this.cumBytes[first] : 0;
    // The producer state is rebuilt from what is left only approximately: sequences of truncated batches are
    // forgotten, so an idempotent producer's retry of them is appended again.
    for (const state of this.producers.values()) {
      state.batches = state.batches.filter((b) => b.baseOffset < to);
      const tail = state.batches[state.batches.length - 1];
      state.lastSequence = tail === undefined ? -1 : tail.lastSeq;
    }
    return lost;
  }
}
