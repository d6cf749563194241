/**
 * The first run of a lesson's simulation, computed when the site is built. With the default knobs and no faults
 * the run is fully determined by the declaration (same seed, same knobs ⇒ byte-identical trace: the simulator is
 * deterministic), so `Simulation.astro` runs the scenario at build time and writes its trace into the page as JSON.
 * The island then plays it at once and loads the scenario's broker code (the biggest part of a simulation's
 * JavaScript) only when the learner comes to the knobs: a lesson page that is only read downloads no broker model.
 *
 * A run whose JSON is longer than `INITIAL_RUN_JSON_MAX` characters is not embedded (a long trace costs more to
 * download and parse than the code that computes it); the island then runs the scenario in the browser, as it does
 * for a share link or changed knobs.
 */
import type { KnobValues, Scenario } from '../../../simulator/scenario.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';

/** Longest embedded run (characters of JSON): about 6 KB gzip. Longer default runs are computed in the browser. */
export const INITIAL_RUN_JSON_MAX = 64 * 1024;

/** What the page embeds: the broker whose view plays it, the knobs it ran with, when it ended, its trace. */
export interface InitialRun {
  v: 1;
  broker: string;
  knobs: KnobValues;
  /** Simulated ms. */
  endedAtMs: number;
  trace: TraceEvent[];
}

/** Run options of a simulation (from its resolved configuration). */
export interface InitialRunOptions {
  seed: number;
  untilMs: number;
  latencyMs: number;
}

/**
 * Build time: runs `scenario` with `knobs` (the defaults and fixed values) and no faults; returns the JSON to embed,
 * safe inside a `<script>` element (`<` escaped), or undefined when the run is too long to embed or fails (the
 * page then computes it, and shows the failure, in the browser).
 */
export function prerenderInitialRun(scenario: Scenario, knobs: KnobValues, options: InitialRunOptions): string | undefined {
  let run;
  try {
    run = scenario.run(knobs, { ...options, faults: [] });
  } catch {
    return undefined;
  }
  const initial: InitialRun = { v: 1, broker: scenario.broker, knobs, endedAtMs: run.endedAtMs, trace: [...run.trace] };
  const json = JSON.stringify(initial);
  if (json.length > INITIAL_RUN_JSON_MAX) return undefined;
  return json.replace(/</g, '\\u003c');
}

/**
 * Browser: the run embedded in `root` (a `script[data-initial-run]` inside it), if it is there, well-formed and ran
 * with exactly `knobs`; else undefined (the island computes the run). Never throws.
 */
export function readInitialRun(root: HTMLElement, knobs: KnobValues): InitialRun | undefined {
  const text = root.querySelector('script[data-initial-run]')?.textContent;
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const run = value as Partial<InitialRun>;
  const ok = run.v === 1 && typeof run.broker === 'string' && typeof run.endedAtMs === 'number'
    && Number.isFinite(run.endedAtMs) && Array.isArray(run.trace)
    && run.trace.every((e) => typeof e === 'object' && e !== null && typeof e.kind === 'string' && typeof e.t === 'number')
    && sameKnobs(run.knobs, knobs);
  return ok ? (run as InitialRun) : undefined;
}

function sameKnobs(a: unknown, b: KnobValues): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const record = a as Record<string, unknown>;
  const keys = Object.keys(b);
  return Object.keys(record).length === keys.length && keys.every((k) => record[k] === b[k]);
}
