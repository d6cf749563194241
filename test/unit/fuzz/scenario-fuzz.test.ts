/**
 * Fuzzing the work-queue scenario with fast-check: random topologies, rates, processing times, jitter, crashes and
 * seeds. The same case gives a byte-identical trace twice in one process and in a fresh process, and every trace
 * keeps the invariants of `trace-invariants.ts` (with manual acks: no message lost, even when workers crash).
 * A failing case is printed by fast-check with its seed (the scenario's `seed` is part of the counterexample).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { snapshotAt } from '../../../simulator/brokers/amqp/fold.ts';
import { scenarioCase, traceHash, type ScenarioCase } from './scenario-arbitrary.ts';
import { traceViolations } from './trace-invariants.ts';

const run = (c: ScenarioCase) => runWorkQueue(c.knobs, { seed: c.seed, untilMs: c.untilMs, latencyMs: c.latencyMs });

describe('work-queue scenario under fuzzing', () => {
  it('gives a byte-identical trace for the same case, twice in one process', () => {
    fc.assert(fc.property(scenarioCase, (c) => {
      const a = JSON.stringify(run(c).trace);
      const b = JSON.stringify(run(c).trace);
      expect(b).toBe(a);
    }), { numRuns: 60 });
  });

  it('gives the same trace hash in a fresh Node process', () => {
    const cases = fc.sample(scenarioCase, { numRuns: 12, seed: 20261130 });
    const here = cases.map((c) => traceHash(run(c).trace));
    const script = fileURLToPath(new URL('./trace-hash-cli.ts', import.meta.url));
    const out = execFileSync(process.execPath, [script, JSON.stringify(cases)], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim().split('\n')).toEqual(here);
    // The hashes differ between cases (the comparison is not vacuous).
    expect(new Set(here).size).toBeGreaterThan(1);
  });

  it('keeps the trace invariants on every generated run', () => {
    fc.assert(fc.property(scenarioCase, (c) => {
      const trace = run(c).trace;
      expect(traceViolations(trace, { manualAcks: c.knobs.ackMode === 'manual' })).toEqual([]);
    }), { numRuns: 300 });
  });

  it('with manual acks and a surviving worker, every message is acked exactly once despite crashes', () => {
    const withSurvivor = scenarioCase.filter((c) => c.knobs.consumerCount > 0 && c.knobs.ackMode === 'manual' &&
      new Set(c.knobs.crashes.map((x) => x.consumer)).size < c.knobs.consumerCount);
    fc.assert(fc.property(withSurvivor, (c) => {
      const result = runWorkQueue(c.knobs, { seed: c.seed, untilMs: 86_400_000, latencyMs: c.latencyMs });
      const acked = result.trace.toArray().filter((e) => e.kind === 'acked').map((e) => e.msgId);
      expect(acked.length).toBe(c.knobs.messageCount);
      expect(new Set(acked).size).toBe(c.knobs.messageCount);
      expect(snapshotAt(result.trace, result.endedAtMs).counters.lost).toBe(0);
    }), { numRuns: 80 });
  });

  it('with auto acks, every message is processed by a live worker, lost in a crash, or still queued', () => {
    const auto = scenarioCase.map((c) => ({ ...c, knobs: { ...c.knobs, ackMode: 'auto' as const }, untilMs: 86_400_000 }));
    fc.assert(fc.property(auto, (c) => {
      const result = run(c);
      const counters = snapshotAt(result.trace, result.endedAtMs).counters;
      const ready = snapshotAt(result.trace, result.endedAtMs).nodes.queues.reduce((n, q) => n + q.ready.length, 0);
      // Every message is auto-acked on delivery or still ready; the lost ones are a subset of the delivered ones.
      expect(counters.autoAcked + ready).toBe(c.knobs.messageCount);
      expect(counters.lost).toBeLessThanOrEqual(counters.autoAcked);
      if (c.knobs.crashes.length === 0) expect(counters.lost).toBe(0);
    }), { numRuns: 80 });
  });
});
