/**
 * What every Kafka scenario shares: an engine with limits sized for the run, one cluster, and the finished run
 * (`KafkaScenarioRun`). Scenarios are pure and synchronous: knobs + seed in, trace out, no promises, no wall clock.
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import type { TraceLog } from '../../../core/trace-log.ts';
import { KafkaCluster, type KafkaClusterOptions } from '../model/cluster.ts';
import { kafkaErrorCode } from '../model/errors.ts';
import type { ScenarioRunOptions } from './knobs.ts';

/** A finished scenario run. */
export interface KafkaScenarioRun {
  /** The run's trace (the engine's TraceLog; `toArray()` gives a `TraceEvent[]`). */
  trace: TraceLog;
  /** Time of the last event, or `untilMs` if work was still pending. */
  endedAtMs: number;
  /** Engine events processed (benchmarks). */
  eventsProcessed: number;
}

/** A fresh engine (limits scaled to `records`) and cluster for a scenario. */
export function scenarioCluster(options: ScenarioRunOptions, records: number, cluster: KafkaClusterOptions): {
  engine: Engine; cluster: KafkaCluster;
} {
  const perRun = 8 * records + 200_000;
  const engine = new Engine({
    seed: options.seed,
    limits: {
      eventsMax: Math.max(DEFAULT_LIMITS.eventsMax, perRun),
      traceEntriesMax: Math.max(DEFAULT_LIMITS.traceEntriesMax, perRun),
    },
  });
  const c = new KafkaCluster(engine, { ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}), ...cluster }, kafkaErrorCode);
  return { engine, cluster: c };
}

/**
 * Runs the engine to `untilMs` and packages the run. With `stopWhenQuiescent`, stops as soon as only idle polls
 * are left (consumers waiting for records that will not come), as the course engine ends such runs.
 */
export function finishRun(engine: Engine, untilMs: number, stopWhenQuiescent = false): KafkaScenarioRun {
  if (!stopWhenQuiescent) engine.runThrough(untilMs);
  else {
    for (;;) {
      if (engine.isQuiescent) break;
      const next = engine.nextEventAtMs();
      if (next === undefined || next > untilMs) break;
      engine.step();
    }
  }
  const endedAtMs = engine.hasForegroundPending && !engine.isQuiescent ? untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs, eventsProcessed: engine.eventsProcessed };
}
