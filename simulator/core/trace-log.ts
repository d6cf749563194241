import type { TraceEvent, TraceKind, TraceReader } from '../trace.ts';
import { SimulationLimitError } from './limits.ts';

/**
 * The engine's trace store: the same entries as a `TraceEvent[]`, encoded compactly, so a run of a million messages
 * neither holds four million objects (which the garbage collector copies and marks again and again) nor touches
 * hundreds of MB of fresh memory (first-touch page faults cost ~3 ms per MB on the 2-core CI machines). See the
 * "trace floor" row of `npm run bench` for what plain objects would cost.
 *
 * Encoding: one row per entry, appended to a byte stream kept in fixed-size chunks (a row never spans two chunks):
 * - a first byte: the row code in the low nibble (one of the hot message kinds below, or COLD); in a hot row the
 *   high nibble is `t`'s delta from the previous hot row's `t` when it is 0–14, else 15 and a zigzag varint follows;
 * - hot rows: the message number N of id `mN` as a zigzag delta from the previous hot row's, then the kind's fields
 *   as unsigned varints: keys into the interned string table (channel, queue, exchange, routing key, consumer tag
 *   + 1 with 0 for null), counters (depth, delivery tag), `arriveAtMs - t` / `t - sentAtMs`; `published` ends with
 *   its preview (see `writePreview`: "task 17" is a stem key and the number 17);
 * - COLD rows: the index of the entry object itself in `objects` (any kind; also a hot entry whose numbers do not
 *   fit the encoding, e.g. a fractional `t`).
 * Every 64th row leaves a checkpoint (its position and the delta bases), so `at(i)` decodes at most 63 rows to
 * reach any row; reading in order decodes each row once. A work-queue message (publish, enqueue, deliver, ack)
 * costs ~30 bytes instead of four objects (`npm run bench` prints the measured size).
 *
 * Reading: `at(i)` builds the entry object on each call, with the same properties in the same order as the
 * broker's object literals had, so `JSON.stringify(log)` (via `toJSON`) is byte-identical to the array's. Long
 * scans use `kindAt(i)` / `timeAt(i)`, which build nothing. A `TraceLog` is a `TraceReader`, like a plain
 * `TraceEvent[]`, which is what views, snapshots and checks accept.
 *
 * Writing: `append(entry)` for any entry; the hot kinds also have one method each that takes the fields as numbers
 * and interned keys (`published`, `enqueued`, `delivered`, `settled`, `dropped`), so the broker's hot paths
 * allocate nothing per entry. A log is append-only; rows never change.
 */
export class TraceLog implements TraceReader {
  /** Number of entries. */
  length = 0;
  /** Most entries this log accepts; one more throws SimulationLimitError('traceEntriesMax'). */
  readonly maxEntries: number;

  /** Set by `release()`: the chunks went back to the pool. */
  private released = false;
  // Writer state.
  private readonly chunks: Uint8Array[] = [];
  /** Bytes used in each chunk (a row that does not fit starts the next chunk). */
  private readonly chunkUsed: number[] = [];
  private buf: Uint8Array;
  private pos = 0;
  private prevT = 0;
  private prevMsg = 0;
  /** Checkpoints (every CHECKPOINT_EVERY rows): global position of the row, and the delta bases before it. */
  private readonly cpPos: number[] = [];
  private readonly cpT: number[] = [];
  private readonly cpMsg: number[] = [];

  private readonly strings: string[] = [];
  private readonly stringKeys = new Map<string, number>();
  private readonly objects: TraceEvent[] = [];
  /** One-entry caches of `published`'s string fields (hot callers repeat them). */
  private lastChannel: string | undefined = undefined;
  private lastChannelKey = 0;
  private lastExchange: string | undefined = undefined;
  private lastExchangeKey = 0;
  private lastRoutingKey: string | undefined = undefined;
  private lastRoutingKeyKey = 0;
  /** Stem of the last numbered preview (see `writePreview`) and its key. */
  private lastStem: string | undefined = undefined;
  private lastStemKey = 0;

  // Reader state: the next row to decode and where it starts, and the row decoded last.
  private rNext = 0;
  private rChunk = 0;
  private rOff = 0;
  private rBuf: Uint8Array;
  private rT = 0;
  private rMsg = 0;
  private dRow = -1;
  private dCode = 0;
  private dT = 0;
  private dMsg = 0;
  private dF1 = 0;
  private dF2 = 0;
  private dF3 = 0;
  private dF4 = 0;
  private dF5 = 0;
  /** Preview of a decoded `published` row: chunk, offset of its first char, header (length × 2 + wide flag). */
  private dPreviewChunk = 0;
  private dPreviewOff = 0;
  private dPreviewHead = 0;

  /** @param maxEntries most entries (≥ 0; Infinity for no limit). */
  constructor(maxEntries = Infinity) {
    this.maxEntries = maxEntries;
    this.buf = takeChunk();
    this.chunks.push(this.buf);
    this.chunkUsed.push(0);
    this.rBuf = this.buf;
  }

  /** Bytes of the encoded rows (not counting the string table and the COLD entries' objects). */
  get byteLength(): number {
    let total = 0;
    for (const used of this.chunkUsed) total += used;
    return total;
  }

  /** Key of `text` in the string table (the same key for equal strings). */
  intern(text: string): number {
    let key = this.stringKeys.get(text);
    if (key === undefined) {
      key = this.strings.length;
      this.strings.push(text);
      this.stringKeys.set(text, key);
    }
    return key;
  }

  // ───────────────────────────── writing ─────────────────────────────

  /**
   * Appends any entry (stamped with its `t`). The log keeps the object itself; do not change it afterwards.
   * @throws SimulationLimitError past `maxEntries`.
   */
  append(entry: TraceEvent): void {
    this.beginRow(COLD, 6);
    this.uv(this.objects.length);
    this.objects.push(entry);
    this.endRow();
  }

  /**
   * `published`: message `m<msgNum>` sent by the client at `t` on `channel` (id), reaching `exchange` at
   * `arriveAtMs`. `preview` is stored as given (≤ 40 chars by contract).
   */
  published(t: number, msgNum: number, channel: string, exchange: string, routingKey: string, preview: string,
    arriveAtMs: number): void {
    const dt = t - this.prevT;
    const dm = msgNum - this.prevMsg;
    const arrive = arriveAtMs - t;
    if (!this.fits(t, dt, msgNum, dm) || (arrive >>> 0) !== arrive || t + arrive !== arriveAtMs ||
      isNegativeZero(arriveAtMs) || preview.length > PREVIEW_MAX) {
      this.append({
        t, kind: 'published', msgId: `m${msgNum}`, channel, exchange, routingKey, preview, arriveAtMs,
      });
      return;
    }
    if (channel !== this.lastChannel) {
      this.lastChannelKey = this.intern(channel);
      this.lastChannel = channel;
    }
    if (exchange !== this.lastExchange) {
      this.lastExchangeKey = this.intern(exchange);
      this.lastExchange = exchange;
    }
    if (routingKey !== this.lastRoutingKey) {
      this.lastRoutingKeyKey = this.intern(routingKey);
      this.lastRoutingKey = routingKey;
    }
    this.beginRow(PUBLISHED, 40 + 3 * preview.length);
    this.hotHeader(t, dt, msgNum, dm);
    this.uv(this.lastChannelKey);
    this.uv(this.lastExchangeKey);
    this.uv(this.lastRoutingKeyKey);
    this.uv(arrive);
    this.writePreview(preview);
    this.endRow();
  }

  /** `enqueued` (or, with `requeued` true, `requeued`): message `m<msgNum>` into `queue` (key), `depth` after. */
  enqueued(t: number, msgNum: number, queue: number, depth: number, requeued = false): void {
    const dt = t - this.prevT;
    const dm = msgNum - this.prevMsg;
    if (!this.fits(t, dt, msgNum, dm) || (depth >>> 0) !== depth || isNegativeZero(depth)) {
      this.append({ t, kind: requeued ? 'requeued' : 'enqueued', msgId: `m${msgNum}`, queue: this.strings[queue], depth });
      return;
    }
    this.beginRow(requeued ? REQUEUED : ENQUEUED, 24);
    this.hotHeader(t, dt, msgNum, dm);
    this.uv(queue);
    this.uv(depth);
    this.endRow();
  }

  /** `delivered`: `queue`, `channel` and `consumerTag` are `intern` keys (`consumerTag` -1 for null: basic.get). */
  delivered(t: number, msgNum: number, queue: number, channel: number, consumerTag: number, deliveryTag: number,
    redelivered: boolean, arriveAtMs: number): void {
    const dt = t - this.prevT;
    const dm = msgNum - this.prevMsg;
    const arrive = arriveAtMs - t;
    if (!this.fits(t, dt, msgNum, dm) || (arrive >>> 0) !== arrive || t + arrive !== arriveAtMs ||
      isNegativeZero(arriveAtMs) || (deliveryTag >>> 0) !== deliveryTag || isNegativeZero(deliveryTag)) {
      this.append({
        t, kind: 'delivered', msgId: `m${msgNum}`, queue: this.strings[queue], channel: this.strings[channel],
        consumerTag: consumerTag < 0 ? null : this.strings[consumerTag], deliveryTag, redelivered, arriveAtMs,
      });
      return;
    }
    this.beginRow(redelivered ? REDELIVERED : DELIVERED, 40);
    this.hotHeader(t, dt, msgNum, dm);
    this.uv(queue);
    this.uv(channel);
    this.uv(consumerTag + 1);
    this.uv(deliveryTag);
    this.uv(arrive);
    this.endRow();
  }

  /**
   * `acked` (`nack` false) or `nacked` with `requeue`: a settlement the client sent at `sentAtMs`, processed at `t`.
   * `queue` and `channel` are `intern` keys.
   */
  settled(t: number, msgNum: number, queue: number, channel: number, deliveryTag: number, sentAtMs: number,
    nack: boolean, requeue: boolean): void {
    const dt = t - this.prevT;
    const dm = msgNum - this.prevMsg;
    const sent = t - sentAtMs;
    if (!this.fits(t, dt, msgNum, dm) || (sent >>> 0) !== sent || t - sent !== sentAtMs ||
      isNegativeZero(sentAtMs) || (deliveryTag >>> 0) !== deliveryTag || isNegativeZero(deliveryTag)) {
      const msgId = `m${msgNum}`;
      const q = this.strings[queue];
      const ch = this.strings[channel];
      this.append(nack
        ? { t, kind: 'nacked', msgId, queue: q, channel: ch, deliveryTag, requeue, sentAtMs }
        : { t, kind: 'acked', msgId, queue: q, channel: ch, deliveryTag, sentAtMs });
      return;
    }
    this.beginRow(nack ? (requeue ? NACKED_REQUEUE : NACKED) : ACKED, 36);
    this.hotHeader(t, dt, msgNum, dm);
    this.uv(queue);
    this.uv(channel);
    this.uv(deliveryTag);
    this.uv(sent);
    this.endRow();
  }

  /** `dropped`: message `m<msgNum>` leaves the broker for `reason`. */
  dropped(t: number, msgNum: number, reason: DropReason): void {
    const dt = t - this.prevT;
    const dm = msgNum - this.prevMsg;
    if (!this.fits(t, dt, msgNum, dm)) {
      this.append({ t, kind: 'dropped', msgId: `m${msgNum}`, reason });
      return;
    }
    this.beginRow(DROPPED, 16);
    this.hotHeader(t, dt, msgNum, dm);
    this.uv(DROP_REASONS.indexOf(reason));
    this.endRow();
  }

  /**
   * Gives the log's memory back for reuse by logs made later (a bounded pool of chunks in this module): for a caller
   * that is done with a run, e.g. the lesson's view when a knob change replaces the run, or the benchmark. Fresh
   * memory is expensive to touch (on the CI VMs ~16 µs per 4 KB page), reused memory is not. Afterwards every read
   * or write of this log throws. Releasing twice does nothing. The bytes a reused chunk still holds are never read:
   * a row is always written before it is read.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const chunk of this.chunks) if (chunkPool.length < CHUNK_POOL_MAX) chunkPool.push(chunk);
    this.chunks.length = 0;
    this.chunkUsed.length = 0;
    this.buf = RELEASED_CHUNK;
    this.pos = CHUNK_BYTES; // the next write takes the slow path, which throws
    this.objects.length = 0;
  }

  // ───────────────────────────── reading ─────────────────────────────

  /** The entry at `index` (negative counts from the end, like `Array.prototype.at`), or undefined out of range. */
  at(index: number): TraceEvent | undefined {
    this.assertLive();
    const relative = toIntegerOrInfinity(index);
    const i = relative < 0 ? this.length + relative : relative;
    if (!(i >= 0 && i < this.length)) return undefined;
    this.decode(i);
    return this.entry();
  }

  /** `at(i).kind` without building the entry. @throws RangeError if i is not in [0, length). */
  kindAt(i: number): TraceKind {
    this.assertLive();
    this.decode(this.checkIndex(i));
    return this.dCode === COLD ? this.objects[this.dF1].kind : KIND_OF_CODE[this.dCode];
  }

  /** `at(i).t` without building the entry. @throws RangeError if i is not in [0, length). */
  timeAt(i: number): number {
    this.assertLive();
    this.decode(this.checkIndex(i));
    return this.dCode === COLD ? this.objects[this.dF1].t : this.dT;
  }

  /** Entries [start, end) as a new array (arguments as in `Array.prototype.slice`). */
  slice(start = 0, end = this.length): TraceEvent[] {
    this.assertLive();
    const n = this.length;
    const s0 = toIntegerOrInfinity(start);
    const e0 = toIntegerOrInfinity(end);
    const from = s0 < 0 ? Math.max(0, n + s0) : Math.min(s0, n);
    const to = e0 < 0 ? Math.max(0, n + e0) : Math.min(e0, n);
    const out: TraceEvent[] = [];
    for (let i = from; i < to; i++) {
      this.decode(i);
      out.push(this.entry());
    }
    return out;
  }

  /** Every entry as a new array. */
  toArray(): TraceEvent[] {
    return this.slice();
  }

  /** `JSON.stringify(log)` gives what `JSON.stringify(log.toArray())` gives. */
  toJSON(): TraceEvent[] {
    return this.toArray();
  }

  *[Symbol.iterator](): IterableIterator<TraceEvent> {
    for (let i = 0; i < this.length; i++) {
      this.assertLive(); // also when the log is released in the middle of an iteration
      this.decode(i);
      yield this.entry();
    }
    this.assertLive();
  }

  // ───────────────────────────── encoding ─────────────────────────────

  /** Starts a row of at most `need` bytes: limit check, chunk space, checkpoint, code byte. */
  private beginRow(code: number, need: number): void {
    const row = this.length;
    if (row >= this.maxEntries || this.pos + need > CHUNK_BYTES || (row & (CHECKPOINT_EVERY - 1)) === 0) {
      this.beginRowSlow(row, need);
    }
    this.buf[this.pos++] = code;
  }

  /** `beginRow`'s rare work: the entry limit, a new chunk, a checkpoint. */
  private beginRowSlow(row: number, need: number): void {
    if (this.released) throw new Error('TraceLog: written after release()');
    if (row >= this.maxEntries) {
      throw new SimulationLimitError('traceEntriesMax', this.maxEntries,
        'The run recorded too many events; shorten it or lower the message rate.');
    }
    if (this.pos + need > CHUNK_BYTES) {
      this.chunkUsed[this.chunks.length - 1] = this.pos;
      this.buf = takeChunk();
      this.chunks.push(this.buf);
      this.chunkUsed.push(0);
      this.pos = 0;
    }
    if ((row & (CHECKPOINT_EVERY - 1)) === 0) {
      this.cpPos.push((this.chunks.length - 1) * CHUNK_BYTES + this.pos);
      this.cpT.push(this.prevT);
      this.cpMsg.push(this.prevMsg);
    }
  }

  private endRow(): void {
    this.chunkUsed[this.chunks.length - 1] = this.pos;
    this.length++;
  }

  /**
   * Whether a hot row can hold `t` and `msgNum` as int32 deltas from the previous hot row that give them back
   * exactly (false for a fractional or huge `t`, where the subtraction rounds).
   */
  private fits(t: number, dt: number, msgNum: number, dm: number): boolean {
    return (dt | 0) === dt && this.prevT + dt === t && (dm | 0) === dm && this.prevMsg + dm === msgNum &&
      !isNegativeZero(t) && !isNegativeZero(msgNum);
  }

  /**
   * Completes a hot row's first byte with `dt` in its high nibble when 0 ≤ dt < 15 (the common case: entries a few
   * ms apart), else marks it 15 and writes dt as a zigzag varint; then the message number's zigzag delta.
   */
  private hotHeader(t: number, dt: number, msgNum: number, dm: number): void {
    if (dt >= 0 && dt < DT_ESCAPE) this.buf[this.pos - 1] |= dt << 4;
    else {
      this.buf[this.pos - 1] |= DT_ESCAPE << 4;
      this.uv((dt << 1) ^ (dt >> 31));
    }
    this.uv((dm << 1) ^ (dm >> 31));
    this.prevT = t;
    this.prevMsg = msgNum;
  }

  /** Unsigned varint of a uint32 (7 bits a byte, low first). */
  private uv(value: number): void {
    if (value >>> 0 < 0x80) {
      this.buf[this.pos++] = value;
      return;
    }
    const buf = this.buf;
    let pos = this.pos;
    let v = value >>> 0;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /**
   * A preview, in one of three forms told apart by the low 2 bits of a leading varint `head`:
   * - PREVIEW_NUMBERED (`key × 4 + 2`, then a varint N): an interned stem followed by the decimal N — "task 17",
   *   "order #3": the usual previews of a loop, 2–5 bytes instead of one a char. The stem of the previous
   *   numbered preview is tried first (no allocation while a loop publishes);
   * - PREVIEW_ASCII (`length × 4`, then a byte a char);
   * - PREVIEW_WIDE (`length × 4 + 1`, then a varint a UTF-16 unit).
   */
  private writePreview(text: string): void {
    const n = text.length;
    const stem = this.lastStem;
    if (stem !== undefined && n > stem.length && n - stem.length <= NUMBER_DIGITS_MAX && startsWith(text, stem)) {
      const number = trailingNumber(text, stem.length);
      if (number >= 0) {
        this.uv(this.lastStemKey * 4 + PREVIEW_NUMBERED);
        this.uv(number);
        return;
      }
    }
    let end = n;
    while (end > 0 && end > n - NUMBER_DIGITS_MAX && isDigit(text.charCodeAt(end - 1))) end--;
    if (end < n) {
      const number = trailingNumber(text, end);
      if (number >= 0) {
        const newStem = text.slice(0, end);
        this.lastStem = newStem;
        this.lastStemKey = this.intern(newStem);
        this.uv(this.lastStemKey * 4 + PREVIEW_NUMBERED);
        this.uv(number);
        return;
      }
    }
    const start = this.pos;
    this.uv(n * 4 + PREVIEW_ASCII);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        this.pos = start;
        this.uv(n * 4 + PREVIEW_WIDE);
        for (let j = 0; j < n; j++) this.uv(text.charCodeAt(j));
        return;
      }
      buf[pos++] = code;
    }
    this.pos = pos;
  }

  // ───────────────────────────── decoding ─────────────────────────────

  private assertLive(): void {
    if (this.released) throw new Error('TraceLog: read after release()');
  }

  private checkIndex(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.length)) {
      throw new RangeError(`trace index must be an integer in [0, ${this.length}), got ${String(i)}`);
    }
    return i;
  }

  /** Decodes row i (in range) into the `d*` fields, moving the reader from where it is or from a checkpoint. */
  private decode(i: number): void {
    if (i === this.dRow) return;
    if (i < this.rNext || i - this.rNext >= CHECKPOINT_EVERY) {
      const k = Math.floor(i / CHECKPOINT_EVERY);
      const pos = this.cpPos[k];
      this.rNext = k * CHECKPOINT_EVERY;
      this.rChunk = Math.floor(pos / CHUNK_BYTES);
      this.rOff = pos - this.rChunk * CHUNK_BYTES;
      this.rT = this.cpT[k];
      this.rMsg = this.cpMsg[k];
    }
    while (this.rNext <= i) this.decodeNext();
  }

  /** Decodes the row at the reader into the `d*` fields and moves the reader past it. */
  private decodeNext(): void {
    if (this.rOff >= this.chunkUsed[this.rChunk]) {
      this.rChunk++;
      this.rOff = 0;
    }
    const buf = this.chunks[this.rChunk];
    this.rBuf = buf;
    const first = buf[this.rOff++];
    const code = first & 15;
    const read = () => this.readUv();
    this.dCode = code;
    if (code === COLD) {
      this.dF1 = read();
    } else {
      const small = first >>> 4;
      let dt = small;
      if (small === DT_ESCAPE) {
        const zt = read();
        dt = (zt >>> 1) ^ -(zt & 1);
      }
      const zm = read();
      this.rT += dt;
      this.rMsg += (zm >>> 1) ^ -(zm & 1);
      this.dT = this.rT;
      this.dMsg = this.rMsg;
      switch (code) {
        case PUBLISHED: {
          this.dF1 = read();
          this.dF2 = read();
          this.dF3 = read();
          this.dF4 = read();
          const head = read();
          this.dPreviewHead = head;
          this.dPreviewChunk = this.rChunk;
          this.dPreviewOff = this.rOff;
          const form = head & 3;
          if (form === PREVIEW_NUMBERED) this.dF5 = read();
          else if (form === PREVIEW_ASCII) this.rOff += head >>> 2;
          else for (let j = head >>> 2; j > 0; j--) read();
          break;
        }
        case ENQUEUED:
        case REQUEUED:
          this.dF1 = read();
          this.dF2 = read();
          break;
        case DELIVERED:
        case REDELIVERED:
          this.dF1 = read();
          this.dF2 = read();
          this.dF3 = read();
          this.dF4 = read();
          this.dF5 = read();
          break;
        case ACKED:
        case NACKED:
        case NACKED_REQUEUE:
          this.dF1 = read();
          this.dF2 = read();
          this.dF3 = read();
          this.dF4 = read();
          break;
        case DROPPED:
          this.dF1 = read();
          break;
        default:
          throw new Error(`TraceLog: unknown row code ${code} (corrupted log)`);
      }
    }
    this.dRow = this.rNext++;
  }

  /** Reads an unsigned varint at the reader (`rBuf`, `rOff`). */
  private readUv(): number {
    const buf = this.rBuf;
    let off = this.rOff;
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[off++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    this.rOff = off;
    return value >>> 0;
  }

  private previewText(): string {
    const buf = this.chunks[this.dPreviewChunk];
    let off = this.dPreviewOff;
    const head = this.dPreviewHead;
    const form = head & 3;
    if (form === PREVIEW_NUMBERED) return this.strings[head >>> 2] + String(this.dF5);
    const n = head >>> 2;
    let text = '';
    if (form === PREVIEW_ASCII) {
      for (let j = 0; j < n; j++) text += String.fromCharCode(buf[off++]);
      return text;
    }
    for (let j = 0; j < n; j++) {
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = buf[off++];
        value |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte >= 0x80);
      text += String.fromCharCode(value);
    }
    return text;
  }

  /** Builds the decoded row's entry. Property order = the order of the broker's literals (see the class doc). */
  private entry(): TraceEvent {
    if (this.dCode === COLD) return this.objects[this.dF1];
    const s = this.strings;
    const t = this.dT;
    const msgId = `m${this.dMsg}`;
    switch (this.dCode) {
      case PUBLISHED:
        return {
          t, kind: 'published', msgId, channel: s[this.dF1], exchange: s[this.dF2], routingKey: s[this.dF3],
          preview: this.previewText(), arriveAtMs: t + this.dF4,
        };
      case ENQUEUED:
        return { t, kind: 'enqueued', msgId, queue: s[this.dF1], depth: this.dF2 };
      case REQUEUED:
        return { t, kind: 'requeued', msgId, queue: s[this.dF1], depth: this.dF2 };
      case DELIVERED:
      case REDELIVERED:
        return {
          t, kind: 'delivered', msgId, queue: s[this.dF1], channel: s[this.dF2],
          consumerTag: this.dF3 === 0 ? null : s[this.dF3 - 1], deliveryTag: this.dF4,
          redelivered: this.dCode === REDELIVERED, arriveAtMs: t + this.dF5,
        };
      case ACKED:
        return {
          t, kind: 'acked', msgId, queue: s[this.dF1], channel: s[this.dF2], deliveryTag: this.dF3,
          sentAtMs: t - this.dF4,
        };
      case NACKED:
      case NACKED_REQUEUE:
        return {
          t, kind: 'nacked', msgId, queue: s[this.dF1], channel: s[this.dF2], deliveryTag: this.dF3,
          requeue: this.dCode === NACKED_REQUEUE, sentAtMs: t - this.dF4,
        };
      default: // DROPPED
        return { t, kind: 'dropped', msgId, reason: DROP_REASONS[this.dF1] };
    }
  }
}

/** Why a message left the broker, as in the `dropped` trace entry. */
export type DropReason = Extract<TraceEvent, { kind: 'dropped' }>['reason'];

const DROP_REASONS: readonly DropReason[] = ['unroutable', 'queue-deleted', 'purged', 'acked-on-delivery', 'expired',
  'maxlen', 'returned', 'delivery_limit', 'transient'];

/** Bytes of one chunk of the stream (a power of two). */
const CHUNK_BYTES = 1 << 18;
/** Most chunks the pool of released chunks keeps (64 MB). */
const CHUNK_POOL_MAX = 256;
/** Chunks of released logs, handed to new logs before any fresh allocation (see `TraceLog.release`). */
const chunkPool: Uint8Array[] = [];
/** Stand-in `buf` of a released log. */
const RELEASED_CHUNK = new Uint8Array(0);

function takeChunk(): Uint8Array {
  return chunkPool.pop() ?? new Uint8Array(CHUNK_BYTES);
}
/** Rows between checkpoints (a power of two). */
const CHECKPOINT_EVERY = 64;
/** First-byte value of a hot row's dt (high nibble) that says "dt follows as a varint". */
const DT_ESCAPE = 15;
// Preview forms (low 2 bits of the preview head, see `writePreview`).
const PREVIEW_ASCII = 0;
const PREVIEW_WIDE = 1;
const PREVIEW_NUMBERED = 2;
/** Most digits of a numbered preview's N (so N < 2^31). */
const NUMBER_DIGITS_MAX = 9;

/** `text.startsWith(prefix)` as a plain loop (short stems: cheaper than the runtime call on the hot path). */
function startsWith(text: string, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) if (text.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

function isNegativeZero(value: number): boolean {
  return value === 0 && 1 / value < 0;
}

/** ECMAScript ToIntegerOrInfinity, as `Array.prototype.at` / `slice` apply it to their arguments. */
function toIntegerOrInfinity(value: number): number {
  const n = Number(value);
  return Number.isNaN(n) ? 0 : Math.trunc(n) + 0; // + 0 turns -0 into 0
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The decimal number text[from..] spells, or -1 if it is not one in canonical form (digits only, 1–9 of them, no
 * leading zero unless it is "0"), so that `String(N)` gives the same text back.
 */
function trailingNumber(text: string, from: number): number {
  const n = text.length;
  if (n === from || n - from > NUMBER_DIGITS_MAX) return -1;
  if (text.charCodeAt(from) === 48 && n - from > 1) return -1;
  let value = 0;
  for (let i = from; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Longest preview stored inline (the contract says ≤ 40; longer ones go to a COLD row). */
const PREVIEW_MAX = 200;

// Row codes. COLD = the entry object is stored as is.
const COLD = 0;
const PUBLISHED = 1;
const ENQUEUED = 2;
const REQUEUED = 3;
const DELIVERED = 4;
const REDELIVERED = 5;
const ACKED = 6;
const NACKED = 7;
const NACKED_REQUEUE = 8;
const DROPPED = 9;

/** Kind of each hot row code (COLD's kind is its object's). */
const KIND_OF_CODE: readonly TraceKind[] = [
  'console', 'published', 'enqueued', 'requeued', 'delivered', 'delivered', 'acked', 'nacked', 'nacked', 'dropped',
];
