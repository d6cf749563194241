import type { HeapEntry } from './heap.ts';
import { TimeBucketQueue } from './event-queue.ts';
import { Prng } from './prng.ts';
import { DEFAULT_LIMITS, SimulationLimitError, type SimulationLimits } from './limits.ts';
import type { TraceEvent, TraceEventInput } from '../trace.ts';
import { TraceLog } from './trace-log.ts';

/** Most spare heap entries an engine keeps for reuse. */
const SPARE_ENTRIES_MAX = 4096;

function noAction(): void {}

/** Handle of a scheduled action, for `Engine.cancel`. */
export type TimerId = number;

interface Scheduled extends HeapEntry {
  id: TimerId;
  action: (arg: never) => void;
  /** Argument `action` is called with (`scheduleCall`); undefined for `schedule`. */
  arg: unknown;
  /** A broker-internal event that does not keep a program alive (see `hasForegroundPending`). */
  background: boolean;
  /** An idle poll: keeps a program alive but counts as waiting (see `isQuiescent`). */
  idle: boolean;
}

/** Options for `new Engine(...)`. */
export interface EngineOptions {
  /** Seed of the run's PRNG (any finite number). Same seed + same inputs ⇒ identical trace. */
  seed: number;
  /** Overrides of `DEFAULT_LIMITS`. */
  limits?: Partial<SimulationLimits>;
}

/**
 * The discrete-event engine: a virtual clock in integer simulated milliseconds, an event heap ordered by
 * `(atMs, seq)` and a seeded PRNG. It draws nothing and reads no wall clock; a caller advances it with `step()` or
 * `runUntil(atMs)`, and the trace it records is the only output views and checks read.
 */
export class Engine {
  /** Current simulated time in ms. Only moves forward. */
  nowMs = 0;
  /** The run's root PRNG; components should `fork()` their own. */
  readonly rng: Prng;
  /**
   * Every state change, in the order it happened (non-decreasing `t`), in the dense store of trace-log.ts (hot
   * broker paths write to it directly). Holds at most `limits.traceEntriesMax` entries.
   */
  readonly trace: TraceLog;
  readonly limits: SimulationLimits;
  /** Number of events processed so far. */
  eventsProcessed = 0;

  /** Pending events in `(atMs, seq)` order (time buckets, see event-queue.ts). */
  private readonly heap = new TimeBucketQueue<Scheduled>();
  /** Heap entries of events that already ran, reused by `scheduleCall` (fewer short-lived objects). */
  private readonly spare: Scheduled[] = [];
  private readonly cancelled = new Set<TimerId>();
  private seq = 0;
  /** Pending events that are not `background` (cancelled ones included until they leave the heap). */
  private foregroundPending = 0;
  /** Pending `idle` events (a subset of the foreground ones). */
  private idlePending = 0;
  private nextId = 1;

  constructor(options: EngineOptions) {
    this.rng = new Prng(options.seed);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.trace = new TraceLog(this.limits.traceEntriesMax);
  }

  /**
   * Runs `action` after `delayMs` simulated ms (0 = later at the current time, after everything already scheduled
   * for it). Negative, NaN or infinite delays throw RangeError; fractional delays are rounded up to whole ms.
   */
  schedule(delayMs: number, action: () => void): TimerId {
    return this.scheduleCall(delayMs, action, undefined);
  }

  /**
   * Like `schedule`, but runs `action(arg)`: hot paths pass a shared function and a small record instead of
   * allocating a closure per event (fewer short-lived objects, so fewer young-generation collections).
   * `background`: a broker-internal timer (e.g. a queue's message expiry) that runs in time order like any event
   * but does not count for `hasForegroundPending` — like an unref'd timer in Node, it keeps no program alive.
   */
  scheduleCall<A>(delayMs: number, action: (arg: A) => void, arg: A, background = false): TimerId {
    return this.enqueue(delayMs, action, arg, background, false);
  }

  /**
   * Schedules an idle poll: a client that waits for something that may never come and asks again on a timer (a
   * Kafka consumer's empty fetch, an SQS long poll, a heartbeat). It keeps the program alive like any foreground
   * event, but while every pending foreground event is idle the run is quiescent (`isQuiescent`): a real process
   * would sit there waiting, and the runner may end the run.
   */
  scheduleIdle(delayMs: number, action: () => void): TimerId {
    return this.enqueue(delayMs, action as (arg: undefined) => void, undefined, false, true);
  }

  private enqueue<A>(delayMs: number, action: (arg: A) => void, arg: A, background: boolean, idle: boolean): TimerId {
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw new RangeError(`delayMs must be a finite number ≥ 0, got ${String(delayMs)}`);
    }
    const id = this.nextId++;
    const atMs = this.nowMs + Math.ceil(delayMs);
    let entry = this.spare.pop();
    if (entry === undefined) {
      entry = { atMs, seq: this.seq++, id, action: action as (arg: never) => void, arg, background, idle };
    } else {
      entry.atMs = atMs;
      entry.seq = this.seq++;
      entry.id = id;
      entry.action = action as (arg: never) => void;
      entry.arg = arg;
      entry.background = background;
      entry.idle = idle;
    }
    if (!background) this.foregroundPending++;
    if (idle) this.idlePending++;
    this.heap.push(entry);
    return id;
  }

  /** Cancels a scheduled action; cancelling one that already ran (or an unknown id) does nothing. */
  cancel(id: TimerId): void {
    this.cancelled.add(id);
  }

  /** Time in ms of the next pending event, or undefined if none is left. */
  nextEventAtMs(): number | undefined {
    this.dropCancelledHead();
    return this.heap.peek()?.atMs;
  }

  /** True while an event that is not `background` is pending: a program waiting on something. */
  get hasForegroundPending(): boolean {
    return this.foregroundPending > 0;
  }

  /**
   * True when no foreground event is pending, or only idle polls (`scheduleIdle`) are: nothing will happen that
   * was not asked for by a client that just waits. A cancelled event does not count, wherever it waits in the heap
   * (a cleared timer or a rebalance timeout that ended early must not keep a run busy until its time): when the
   * counters say "busy" and some events were cancelled, the pending events are counted once (a rare scan).
   */
  get isQuiescent(): boolean {
    this.dropCancelledHead();
    if (this.foregroundPending === this.idlePending) return true;
    if (this.cancelled.size === 0) return false;
    let busy = 0;
    this.heap.forEach((e) => {
      if (!e.background && !e.idle && !this.cancelled.has(e.id)) busy++;
    });
    return busy === 0;
  }

  /** True while any event is pending. */
  get hasPending(): boolean {
    return this.nextEventAtMs() !== undefined;
  }

  /**
   * Processes exactly one pending event (advancing the clock to it). Returns false if none was pending.
   * Throws SimulationLimitError past `limits.eventsMax`.
   */
  step(): boolean {
    this.dropCancelledHead();
    const next = this.heap.pop();
    if (next === undefined) return false;
    this.run(next);
    return true;
  }

  /** Runs a popped event: limit check, clock, recycling of its entry, then its action. */
  private run(next: Scheduled): void {
    if (!next.background) this.foregroundPending--;
    if (next.idle) this.idlePending--;
    if (++this.eventsProcessed > this.limits.eventsMax) {
      throw new SimulationLimitError('eventsMax', this.limits.eventsMax,
        'The program keeps scheduling work without end (a loop that publishes forever?).');
    }
    this.nowMs = next.atMs;
    const action = next.action as (arg: unknown) => void;
    const arg = next.arg;
    next.action = noAction;
    next.arg = undefined;
    if (this.spare.length < SPARE_ENTRIES_MAX) this.spare.push(next);
    action(arg);
  }

  /**
   * Processes every event at or before `atMs`, then sets the clock to `atMs` (if it is later than now).
   * Returns the number of events processed.
   */
  runUntil(atMs: number): number {
    let n = 0;
    for (;;) {
      const nextAt = this.nextEventAtMs();
      if (nextAt === undefined || nextAt > atMs) break;
      this.step();
      n++;
    }
    if (atMs > this.nowMs && Number.isFinite(atMs)) this.nowMs = atMs;
    return n;
  }

  /**
   * Processes every event at or before `atMs` and leaves the clock at the last one processed (unlike `runUntil`,
   * which moves it on to `atMs`). Returns the number of events processed. The hot loop of large runs: one heap
   * peek per event. Throws SimulationLimitError past `limits.eventsMax`.
   */
  runThrough(atMs: number): number {
    const heap = this.heap;
    const cancelled = this.cancelled;
    let n = 0;
    for (;;) {
      if (cancelled.size !== 0) this.dropCancelledHead();
      const next = heap.popAtOrBefore(atMs);
      if (next === undefined) break;
      this.run(next);
      n++;
    }
    return n;
  }

  /** Appends a trace entry stamped with the current time. Throws past `limits.traceEntriesMax`. */
  record(event: TraceEventInput): void {
    this.append({ t: this.nowMs, ...event } as TraceEvent);
  }

  /**
   * Appends a trace entry the caller already stamped with `t: engine.nowMs` (as its FIRST property, so the entry
   * serializes exactly like one from `record`). The hot paths of the broker use it: building the entry as one
   * object literal avoids the copy of `record`'s spread. (The hottest kinds skip the object altogether: see
   * `TraceLog.published` and its siblings.) Throws past `limits.traceEntriesMax`.
   */
  append(entry: TraceEvent): void {
    this.trace.append(entry);
  }

  private dropCancelledHead(): void {
    if (this.cancelled.size === 0) return;
    for (let top = this.heap.peek(); top !== undefined && this.cancelled.has(top.id); top = this.heap.peek()) {
      this.heap.pop();
      this.cancelled.delete(top.id);
      if (!top.background) this.foregroundPending--;
      if (top.idle) this.idlePending--;
    }
  }
}
