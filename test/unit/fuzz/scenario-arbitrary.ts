/**
 * fast-check arbitraries for the fuzz tests: random work-queue scenarios (topology, rates, processing times and
 * jitter, crashes at random times, ack mode, seed) and a stable hash of a run's trace.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { WorkQueueKnobs } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import type { TraceReader } from '../../../simulator/trace.ts';

/** One generated scenario: the knobs, the PRNG seed, the stop time and the network latency. */
export interface ScenarioCase {
  knobs: WorkQueueKnobs;
  seed: number;
  untilMs: number;
  latencyMs: number;
}

/** Random scenarios small enough to run hundreds per second (≤ 150 messages, ≤ 6 workers). */
export const scenarioCase: fc.Arbitrary<ScenarioCase> = fc
  .record({
    consumerCount: fc.integer({ min: 0, max: 6 }),
    prefetch: fc.integer({ min: 0, max: 12 }),
    ackMode: fc.constantFrom('manual' as const, 'auto' as const),
    producerRatePerSec: fc.integer({ min: 1, max: 400 }),
    messageCount: fc.integer({ min: 0, max: 150 }),
    processingMs: fc.integer({ min: 0, max: 400 }),
    processingJitterMs: fc.integer({ min: 0, max: 300 }),
    crashSpecs: fc.array(fc.record({ pick: fc.nat(), atMs: fc.integer({ min: 0, max: 4000 }) }), { maxLength: 4 }),
    seed: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
    untilMs: fc.constantFrom(2_000, 30_000, 86_400_000),
    latencyMs: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ crashSpecs, seed, untilMs, latencyMs, ...rest }) => ({
    knobs: {
      ...rest,
      crashes: rest.consumerCount === 0 ? [] : crashSpecs.map((c) => ({
        consumer: 1 + (c.pick % rest.consumerCount), atMs: c.atMs,
      })),
    },
    seed, untilMs, latencyMs,
  }));

/** sha256 (hex) of the trace's JSON: equal hashes ⇔ byte-identical traces. */
export function traceHash(trace: TraceReader): string {
  return createHash('sha256').update(JSON.stringify(trace)).digest('hex');
}
