import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TraceLog } from '../../../simulator/core/trace-log.ts';
import { SimulationLimitError } from '../../../simulator/core/limits.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';

/** Writes `e` the way the broker does: through the hot method of its kind when it has one. */
function write(log: TraceLog, e: TraceEvent): void {
  const num = (msgId: string) => Number(msgId.slice(1));
  switch (e.kind) {
    case 'published':
      return log.published(e.t, num(e.msgId), e.channel, e.exchange, e.routingKey, e.preview, e.arriveAtMs);
    case 'enqueued':
    case 'requeued':
      return log.enqueued(e.t, num(e.msgId), log.intern(e.queue), e.depth, e.kind === 'requeued');
    case 'delivered':
      return log.delivered(e.t, num(e.msgId), log.intern(e.queue), log.intern(e.channel),
        e.consumerTag === null ? -1 : log.intern(e.consumerTag), e.deliveryTag, e.redelivered, e.arriveAtMs);
    case 'acked':
      return log.settled(e.t, num(e.msgId), log.intern(e.queue), log.intern(e.channel), e.deliveryTag, e.sentAtMs,
        false, false);
    case 'nacked':
      return log.settled(e.t, num(e.msgId), log.intern(e.queue), log.intern(e.channel), e.deliveryTag, e.sentAtMs,
        true, e.requeue);
    case 'dropped':
      return log.dropped(e.t, num(e.msgId), e.reason);
    default:
      return log.append(e);
  }
}

// Numbers that fit the compact rows and numbers that do not (fractions, > 32 bits, negative offsets).
const time = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 45 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const count = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 40 }));
const msgId = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 2 ** 40 })).map((n) => `m${n}`);
const name = fc.constantFrom('tasks', 'c1.ch1', 'c2.ch1', '', 'amq.ctag-x', 'ünïcode', 'q'.repeat(300));
// Numbered previews ("task 17") take the compact form; leading zeros, 10+ digits and digits alone must not.
const numbered = fc.tuple(fc.constantFrom('task ', 'order #', '', 'v1.', 'ü '),
  fc.oneof(fc.nat().map(String), fc.constantFrom('0', '05', '007', '1234567890', '999999999'))).map(([a, b]) => a + b);
const preview = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), numbered, numbered,
  fc.constant('x'.repeat(250)));

const entry: fc.Arbitrary<TraceEvent> = fc.oneof(
  fc.record({ t: time, kind: fc.constant('published'), msgId, channel: name, exchange: name, routingKey: name, preview, arriveAtMs: time }),
  fc.record({ t: time, kind: fc.constantFrom('enqueued', 'requeued'), msgId, queue: name, depth: count }),
  fc.record({
    t: time, kind: fc.constant('delivered'), msgId, queue: name, channel: name, consumerTag: fc.option(name, { nil: null }),
    deliveryTag: count, redelivered: fc.boolean(), arriveAtMs: time,
  }),
  fc.record({ t: time, kind: fc.constant('acked'), msgId, queue: name, channel: name, deliveryTag: count, sentAtMs: time }),
  fc.record({
    t: time, kind: fc.constant('nacked'), msgId, queue: name, channel: name, deliveryTag: count, requeue: fc.boolean(),
    sentAtMs: time,
  }),
  fc.record({ t: time, kind: fc.constant('dropped'), msgId, reason: fc.constantFrom('unroutable', 'queue-deleted', 'purged', 'acked-on-delivery', 'expired', 'maxlen', 'returned') }),
  fc.record({ t: time, kind: fc.constant('console'), level: fc.constant('log'), text: fc.string() }),
  fc.record({ t: time, kind: fc.constant('queue-declared'), queue: name, durable: fc.boolean(), exclusive: fc.boolean(), autoDelete: fc.boolean() }),
) as fc.Arbitrary<TraceEvent>;

describe('TraceLog', () => {
  it('gives back exactly the entries written, as toArray, JSON, at(i) in any order, kindAt/timeAt and slices', () => {
    fc.assert(fc.property(fc.array(entry, { maxLength: 400 }), fc.array(fc.nat(), { maxLength: 40 }), (entries, probes) => {
      const log = new TraceLog();
      for (const e of entries) write(log, e);
      expect(log.length).toBe(entries.length);
      expect(log.toArray()).toEqual(entries);
      expect(JSON.stringify(log)).toBe(JSON.stringify(entries));
      expect([...log]).toEqual(entries);
      for (const p of probes) {
        if (entries.length === 0) break;
        const i = p % entries.length;
        expect(log.at(i)).toEqual(entries[i]);
        expect(log.at(i - entries.length)).toEqual(entries[i]);
        expect(log.kindAt(i)).toBe(entries[i].kind);
        expect(log.timeAt(i)).toBe(entries[i].t);
        expect(log.slice(i, i + 70)).toEqual(entries.slice(i, i + 70));
      }
    }), { numRuns: 300 });
  });

  it('serializes properties in the order of the object literals the broker used to record', () => {
    const log = new TraceLog();
    log.published(5, 1, 'c1.ch1', '', 'tasks', 'hello', 15);
    log.delivered(15, 1, log.intern('tasks'), log.intern('c2.ch1'), -1, 1, false, 25);
    log.settled(40, 1, log.intern('tasks'), log.intern('c2.ch1'), 1, 30, true, true);
    expect(JSON.stringify(log)).toBe('[' +
      '{"t":5,"kind":"published","msgId":"m1","channel":"c1.ch1","exchange":"","routingKey":"tasks","preview":"hello","arriveAtMs":15},' +
      '{"t":15,"kind":"delivered","msgId":"m1","queue":"tasks","channel":"c2.ch1","consumerTag":null,"deliveryTag":1,"redelivered":false,"arriveAtMs":25},' +
      '{"t":40,"kind":"nacked","msgId":"m1","queue":"tasks","channel":"c2.ch1","deliveryTag":1,"requeue":true,"sentAtMs":30}]');
  });

  it('keeps a million-message run compact and readable across its chunks and checkpoints', () => {
    const log = new TraceLog();
    const q = log.intern('tasks');
    const ch = log.intern('c2.ch1');
    for (let i = 1; i <= 250_000; i++) {
      log.published(i, i, 'c1.ch1', '', 'tasks', `task ${i}`, i + 10);
      log.enqueued(i + 10, i, q, 1);
      log.delivered(i + 10, i, q, ch, -1, i, false, i + 20);
      log.settled(i + 30, i, q, ch, i, i + 20, false, false);
    }
    expect(log.length).toBe(1_000_000);
    expect(log.byteLength / 250_000).toBeLessThan(36);
    expect(log.at(999_999)).toEqual({ t: 250_030, kind: 'acked', msgId: 'm250000', queue: 'tasks', channel: 'c2.ch1', deliveryTag: 250_000, sentAtMs: 250_020 });
    expect(log.at(4 * 123_456)).toMatchObject({ kind: 'published', msgId: 'm123457', preview: 'task 123457' });
    let delivered = 0;
    for (let i = 0; i < log.length; i++) if (log.kindAt(i) === 'delivered') delivered++;
    expect(delivered).toBe(250_000);
  });

  it('throws SimulationLimitError past maxEntries, for hot and cold entries alike, and keeps what it had', () => {
    const log = new TraceLog(2);
    log.enqueued(1, 1, log.intern('q'), 1);
    log.append({ t: 1, kind: 'console', level: 'log', text: 'x' });
    expect(() => log.enqueued(2, 2, 0, 2)).toThrow(SimulationLimitError);
    expect(() => log.append({ t: 2, kind: 'console', level: 'log', text: 'y' })).toThrow(SimulationLimitError);
    expect(log.length).toBe(2);
    expect(log.toArray().map((e) => e.kind)).toEqual(['enqueued', 'console']);
  });

  it('answers out-of-range reads like an array (at) or with a RangeError naming the range (kindAt, timeAt)', () => {
    const log = new TraceLog();
    log.dropped(3, 7, 'unroutable');
    expect(log.at(1)).toBeUndefined();
    expect(log.at(-2)).toBeUndefined();
    expect(log.at(0.5)).toEqual({ t: 3, kind: 'dropped', msgId: 'm7', reason: 'unroutable' });
    expect(() => log.kindAt(1)).toThrow(/\[0, 1\), got 1/);
    expect(() => log.timeAt(Number.NaN)).toThrow(RangeError);
    expect(log.slice(-5)).toHaveLength(1);
  });
});

describe('TraceLog.release', () => {
  const fill = (log: TraceLog, n: number) => {
    const q = log.intern('tasks');
    for (let i = 1; i <= n; i++) {
      log.published(i, i, 'c1.ch1', '', 'tasks', `task ${i}`, i + 10);
      log.enqueued(i + 10, i, q, 1);
    }
  };

  it('hands its memory to later logs, which read back exactly what a fresh log reads', () => {
    const fresh = new TraceLog();
    fill(fresh, 60_000); // several chunks
    const expected = JSON.stringify(fresh);
    const old = new TraceLog();
    fill(old, 90_000);
    old.release(); // its chunks, full of other rows, go to the pool
    const reused = new TraceLog();
    fill(reused, 60_000);
    expect(JSON.stringify(reused)).toBe(expected);
    expect(reused.at(-1)).toEqual(fresh.at(-1));
  });

  it('refuses reads and writes after release with a clear error; releasing twice is harmless', () => {
    const log = new TraceLog();
    fill(log, 10);
    log.release();
    log.release();
    expect(() => log.at(0)).toThrow(/read after release/);
    expect(() => log.kindAt(0)).toThrow(/read after release/);
    expect(() => [...log]).toThrow(/read after release/);
    expect(() => JSON.stringify(log)).toThrow(/read after release/);
    expect(() => log.enqueued(99, 99, 0, 1)).toThrow(/written after release/);
    expect(() => log.append({ t: 99, kind: 'console', level: 'log', text: 'x' })).toThrow(/written after release/);
  });
});

describe('TraceLog edge cases (review)', () => {
  const tenDropped = () => {
    const log = new TraceLog();
    const entries: TraceEvent[] = [];
    for (let i = 0; i < 10; i++) {
      const e: TraceEvent = { t: i, kind: 'dropped', msgId: `m${i + 1}`, reason: 'purged' };
      write(log, e);
      entries.push(e);
    }
    return { log, entries };
  };
  const index = fc.oneof(fc.integer({ min: -12, max: 12 }), fc.double({ min: -12, max: 12 }), fc.constant(Number.NaN),
    fc.constant(-0.5), fc.constant(-1.5));

  it('gives back negative zero in t, depth, arriveAtMs, sentAtMs and deliveryTag', () => {
    const entries: TraceEvent[] = [
      { t: -0, kind: 'dropped', msgId: 'm1', reason: 'purged' },
      { t: 0, kind: 'enqueued', msgId: 'm2', queue: 'q', depth: -0 },
      { t: 0, kind: 'published', msgId: 'm3', channel: 'c', exchange: '', routingKey: 'q', preview: 'p', arriveAtMs: -0 },
      { t: 0, kind: 'delivered', msgId: 'm3', queue: 'q', channel: 'c', consumerTag: null, deliveryTag: -0, redelivered: false, arriveAtMs: 1 },
      { t: 1, kind: 'acked', msgId: 'm3', queue: 'q', channel: 'c', deliveryTag: 1, sentAtMs: -0 },
    ];
    const log = new TraceLog();
    for (const e of entries) write(log, e);
    expect(Object.is(log.timeAt(0), -0)).toBe(true);
    expect(log.toArray()).toEqual(entries);
  });

  it('at() reads fractional and NaN indexes like Array.prototype.at (truncating before counting from the end)', () => {
    const { log, entries } = tenDropped();
    fc.assert(fc.property(index, (i) => {
      expect(log.at(i)).toEqual(entries.at(i));
    }));
  });

  it('slice() treats fractional and NaN bounds like Array.prototype.slice', () => {
    const { log, entries } = tenDropped();
    fc.assert(fc.property(index, index, (start, end) => {
      expect(log.slice(start)).toEqual(entries.slice(start));
      expect(log.slice(start, end)).toEqual(entries.slice(start, end));
    }));
  });

  it('an iteration started before release() fails with the clear release error, not a TypeError', () => {
    const log = new TraceLog();
    for (let i = 1; i <= 10; i++) log.published(i, i, 'c1.ch1', '', 'tasks', 'hello', i + 1);
    const it = log[Symbol.iterator]();
    it.next();
    log.release();
    expect(() => it.next()).toThrow(/read after release/);
  });
});
