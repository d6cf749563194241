/**
 * The configuration `Simulation.astro` renders into `data-config` for the island: the declaration resolved at build
 * time (knob specs with the lesson's ranges, fixed values, offered faults, counters, charts, run options). Read
 * back with `parseSimConfig`, which refuses anything malformed (the island then shows an error, the page works).
 */
import type { KnobSpec } from '../../../simulator/scenario.ts';
import { isRecord } from '../../lib/is-record.ts';

export interface SimConfig {
  /** Declaration id (`content/simulations/<sim>.ts`). */
  sim: string;
  knobs: KnobSpec[];
  fixed: Record<string, number | string>;
  faults: Array<{ id: string; label: string; verb: string; repeatable: boolean }>;
  counters: string[];
  charts: ReadonlyArray<{ title: string; series: readonly string[]; description?: string }>;
  inspector: boolean;
  seed: number;
  latencyMs: number;
  untilMs: number;
}


/** The config in `text`, or an Error saying what is wrong. */
export function parseSimConfig(text: string | undefined): SimConfig | Error {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    return new Error('the simulation\'s configuration is missing or not JSON');
  }
  if (!isRecord(value) || typeof value.sim !== 'string' || !Array.isArray(value.knobs) || !isRecord(value.fixed)
    || !Array.isArray(value.faults) || !Array.isArray(value.counters) || !Array.isArray(value.charts)
    || typeof value.seed !== 'number' || typeof value.latencyMs !== 'number' || typeof value.untilMs !== 'number') {
    return new Error('the simulation\'s configuration has an unexpected shape');
  }
  return value as unknown as SimConfig;
}
