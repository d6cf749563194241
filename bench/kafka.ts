/**
 * Kafka benchmark: records handled per wall-clock second ("deliveries") by a 3-member consumer group reading a
 * 3-partition topic (`runGroupThroughput`: keyless records, linger.ms 5, acks=1, kafkajs's after-batch
 * auto-commit, records that take no handling time), next to the same bare binary-heap loop as the engine rows,
 * measured in the same process right after each run.
 *
 * Two ratios are printed. The target row divides deliveries/s by the bare loop's events/s: what a Kafka run
 * achieves per record compared with what the machine does per bare event. (Kafka moves records in batches — one
 * produce request, one fetch answer, one commit for hundreds of records — so a run needs far fewer engine events
 * than records.) The info row is the engine rows' definition: the bare loop's time for the same number of engine
 * events divided by the run's time, which measures the work done per event (there is much per event here).
 *
 * Wall time comes from `performance.now()` here, in the bench (never in simulator/).
 */
import { runGroupThroughput } from '../simulator/brokers/kafka/scenarios/throughput.ts';
import { baselineHeapLoop } from './engine.ts';

/** The workload (see the module doc); `records` is set per measurement. */
export const KAFKA_WORKLOAD = { partitions: 3, members: 3, producerRatePerSec: 100_000, lingerMs: 5, processingMs: 0 } as const;

export interface KafkaMeasurement {
  records: number;
  delivered: number;
  events: number;
  traceEntries: number;
  wallMs: number;
  cpuMs: number;
  deliveriesPerSec: number;
  /** Bare loop: wall ms for `delivered` events (best of 3). */
  baselineWallMs: number;
  /** deliveries/s ÷ bare-loop events/s. */
  ratioToBaseline: number;
  /** Bare loop: wall ms for the run's `events` engine events (best of 3). */
  baselineEventsWallMs: number;
  /** The engine rows' ratio: baselineEventsWallMs / wallMs. */
  eventsRatioToBaseline: number;
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

/** Runs the workload once with `records` records and measures it. */
export function measureKafka(records: number, seed = 1): KafkaMeasurement {
  const startCpu = process.cpuUsage();
  const startMs = performance.now();
  const run = runGroupThroughput({ ...KAFKA_WORKLOAD, records }, { seed, untilMs: 86_400_000 });
  const wallMs = performance.now() - startMs;
  const cpu = process.cpuUsage(startCpu);
  const traceEntries = run.trace.length;
  run.trace.release();
  if (run.delivered !== records) throw new Error(`kafka bench: ${run.delivered} of ${records} records delivered`);
  const baselineWallMs = bestOf(3, () => baselineHeapLoop(run.delivered));
  const baselineEventsWallMs = bestOf(3, () => baselineHeapLoop(run.eventsProcessed));
  return {
    records, delivered: run.delivered, events: run.eventsProcessed, traceEntries, wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000, deliveriesPerSec: run.delivered / (wallMs / 1000), baselineWallMs,
    ratioToBaseline: baselineWallMs / wallMs, baselineEventsWallMs, eventsRatioToBaseline: baselineEventsWallMs / wallMs,
  };
}
