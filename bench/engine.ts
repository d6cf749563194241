/**
 * Engine benchmark: simulated deliveries per wall-clock second of the work-queue scenario (10 consumers, prefetch
 * 10, manual acks) at 10^5 and 10^6 messages, next to a bare baseline measured in the same process: the same number
 * of engine events pushed through a plain binary-heap loop with no broker semantics and no trace. The timed part is
 * `runWorkQueue` itself, which records the whole trace (in the engine's compact `TraceLog`); counting the
 * deliveries afterwards reads the trace with `kindAt` and is not timed. Two info rows put that in context: the
 * trace's size, and what the same entries would cost as plain objects (`traceFloorMs`, the former representation).
 *
 * Wall time comes from `performance.now()` here, in the bench (never in simulator/).
 */
import { runWorkQueue, type WorkQueueKnobs } from '../simulator/brokers/amqp/scenarios/work-queue.ts';

/** The workload: consumers keep up (≈ 4,700 msg/s of capacity for 4,000 msg/s offered), so the queue stays short. */
export const ENGINE_WORKLOAD: Omit<WorkQueueKnobs, 'messageCount'> = {
  producerRatePerSec: 4000, consumerCount: 10, prefetch: 10, processingMs: 1, ackMode: 'manual', crashes: [],
};

export interface EngineMeasurement {
  messages: number;
  deliveries: number;
  events: number;
  traceEntries: number;
  /** Bytes of the run's encoded trace (`TraceLog.byteLength`). */
  traceBytes: number;
  wallMs: number;
  /** CPU time of the process during the run (ms, all threads incl. GC helpers): steadier than wall time on a busy machine. */
  cpuMs: number;
  deliveriesPerSec: number;
  baselineWallMs: number;
  /** Events per second of the baseline divided into the run's: run throughput / baseline throughput. */
  ratioToBaseline: number;
}

/** Runs the scenario once with `messages` messages and measures it. */
export function measureEngine(messages: number, seed = 1): EngineMeasurement {
  const startCpu = process.cpuUsage();
  const startMs = performance.now();
  const run = runWorkQueue({ ...ENGINE_WORKLOAD, messageCount: messages }, { seed, untilMs: 86_400_000 });
  const wallMs = performance.now() - startMs;
  const cpu = process.cpuUsage(startCpu);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let deliveries = 0;
  const trace = run.trace;
  for (let i = 0; i < trace.length; i++) if (trace.kindAt(i) === 'delivered') deliveries++;
  const traceEntries = trace.length;
  const traceBytes = trace.byteLength;
  // Done with this run: its trace memory goes back to TraceLog's pool for the next run, as the lesson's view does
  // when a knob change replaces a run (`firstRun` measures a run without that reuse).
  trace.release();
  const events = run.eventsProcessed;
  const baselineWallMs = bestOf(3, () => baselineHeapLoop(events));
  return {
    messages, deliveries, events, traceEntries, traceBytes, wallMs, cpuMs,
    deliveriesPerSec: deliveries / (wallMs / 1000), baselineWallMs, ratioToBaseline: baselineWallMs / wallMs,
  };
}

function bestOf(n: number, f: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

interface BareEntry {
  atMs: number;
  seq: number;
}

/**
 * The baseline: `events` events through a plain binary min-heap ordered by (atMs, seq), about 100 pending at a
 * time (like the scenario), each popped event pushing the next one a few ms later. No broker, no trace, no closures.
 * Returns a checksum so the work cannot be optimized away.
 */
export function baselineHeapLoop(events: number): number {
  const heap: BareEntry[] = [];
  let seq = 0;
  const push = (e: BareEntry) => {
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = heap[p];
      if (q.atMs < e.atMs || (q.atMs === e.atMs && q.seq < e.seq)) break;
      heap[i] = q;
      i = p;
    }
    heap[i] = e;
  };
  const pop = (): BareEntry => {
    const top = heap[0];
    const last = heap.pop() as BareEntry;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && (heap[c + 1].atMs < heap[c].atMs ||
          (heap[c + 1].atMs === heap[c].atMs && heap[c + 1].seq < heap[c].seq))) c++;
        const h = heap[c];
        if (last.atMs < h.atMs || (last.atMs === h.atMs && last.seq < h.seq)) break;
        heap[i] = h;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  let pushed = 0;
  for (; pushed < Math.min(100, events); pushed++) push({ atMs: pushed % 20, seq: seq++ });
  let sum = 0;
  for (let done = 0; done < events; done++) {
    const e = pop();
    sum += e.atMs;
    if (pushed < events) {
      push({ atMs: e.atMs + 1 + (seq % 20), seq: seq++ });
      pushed++;
    }
  }
  return sum;
}

/**
 * Allocates the trace a run of `messages` messages records as plain objects (4 per message, what a `TraceEvent[]`
 * holds) and returns the wall ms: what the engine's trace would cost without the compact `TraceLog`.
 */
export function traceFloorMs(messages: number): number {
  const startMs = performance.now();
  const trace: object[] = [];
  for (let i = 1; i <= messages; i++) {
    const msgId = `m${i}`;
    const t = i;
    trace.push({ t, kind: 'published', msgId, channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: `task ${i}`, arriveAtMs: t + 10 });
    trace.push({ t: t + 10, kind: 'enqueued', msgId, queue: 'tasks', depth: 1 });
    trace.push({ t: t + 10, kind: 'delivered', msgId, queue: 'tasks', channel: 'c2.ch1', consumerTag: 'amq.ctag-x', deliveryTag: i, redelivered: false, arriveAtMs: t + 20 });
    trace.push({ t: t + 40, kind: 'acked', msgId, queue: 'tasks', channel: 'c2.ch1', deliveryTag: i, sentAtMs: t + 30 });
  }
  const ms = performance.now() - startMs;
  if (trace.length !== 4 * messages) throw new Error('unreachable');
  return ms;
}
