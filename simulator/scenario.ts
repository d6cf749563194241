/**
 * The contract of a knob-driven scenario: a broker's synchronous simulation whose inputs are a lesson's sliders and
 * choices (producer rate, workers, prefetch, …) and whose faults are verbs the learner applies at the current
 * simulated time (crash a worker, restart the broker, slow the network). A lesson declares which scenario it
 * shows, which of its knobs, with which ranges and defaults (`content/simulations/*.ts`); the lesson's generic
 * simulation component renders the knobs and runs the scenario. Brokers keep their scenarios in
 * `simulator/brokers/<id>/scenarios/`.
 *
 * Knob values are checked against their spec by `checkKnobs` (one wording for every error, naming the knob and
 * its range), so an absurd value from a tampered form or a share link never reaches a scenario.
 */
import type { TraceReader } from './trace.ts';

/** A numeric knob (a slider). */
export interface NumberKnobSpec {
  name: string;
  kind: 'number';
  label: string;
  /** Unit shown after the value, plural ("workers", "ms", "msg/s"); a singular is made for 1 by dropping an "s". */
  unit: string;
  /** One sentence: what it changes. */
  description: string;
  min: number;
  max: number;
  step: number;
  /** Whether the value must be a whole number. */
  integer: boolean;
  default: number;
  /** Shown instead of "0 <unit>" for 0 (e.g. "unlimited" for prefetch 0). */
  zeroText?: string;
}

/** A knob with a few named values (radio buttons). */
export interface ChoiceKnobSpec {
  name: string;
  kind: 'choice';
  label: string;
  description: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  default: string;
}

export type KnobSpec = NumberKnobSpec | ChoiceKnobSpec;

/** Knob values by knob name. */
export type KnobValues = Readonly<Record<string, number | string>>;

/** A fault the learner applies at a simulated time (`atMs`) to one target (a worker's number, a broker id, …). */
export interface Fault {
  id: string;
  target: string;
  atMs: number;
}

/** A kind of fault a scenario accepts, as the UI offers it. */
export interface FaultSpec {
  id: string;
  /** The control's label: "Crash a worker". */
  label: string;
  /** The button: "Crash now". */
  verb: string;
  /** What the fault does, in one sentence (shown in the knobs' note). */
  description: string;
  /** The targets it can hit with these knobs (value + label), e.g. worker 1 … worker N; empty for none. */
  targets(knobs: KnobValues): ReadonlyArray<{ value: string; label: string }>;
  /** Whether one target can get this fault more than once (a crashed worker cannot crash again). */
  repeatable: boolean;
}

/** A run of a scenario: its trace and when it ended (simulated ms). */
export interface ScenarioRun {
  trace: TraceReader;
  endedAtMs: number;
}

/** Options of `Scenario.run`. */
export interface ScenarioRunOptions {
  seed: number;
  /** Simulated ms after which the run stops even with work pending. */
  untilMs: number;
  /** One-way network latency, simulated ms. */
  latencyMs: number;
  faults: readonly Fault[];
}

/** A knob-driven scenario of one broker (see the module doc). */
export interface Scenario {
  id: string;
  /** The broker whose trace it writes (a registry id). */
  broker: string;
  /** Every knob it reads; a lesson shows some of them and fixes the others at their defaults. */
  knobs: readonly KnobSpec[];
  faults: readonly FaultSpec[];
  /**
   * Runs it. Synchronous and deterministic: same knobs, options and faults ⇒ byte-identical trace.
   * @throws RangeError for a knob or option out of range; SimulationLimitError past an engine limit.
   */
  run(knobs: KnobValues, options: ScenarioRunOptions): ScenarioRun;
}

/** The plural unit for `value` (drops a final "s" for exactly 1, except for "ms"). */
export function unitFor(value: number, unit: string): string {
  return value === 1 && unit.endsWith('s') && unit !== 'ms' && unit !== 'msg/s' ? unit.slice(0, -1) : unit;
}

/** Longest piece of a rejected value quoted back in a message (characters). */
const QUOTED_VALUE_CHARS_MAX = 40;

/** A value as an error message quotes it. */
function quoted(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  if (text === '') return 'nothing';
  return JSON.stringify(text.length > QUOTED_VALUE_CHARS_MAX ? `${text.slice(0, QUOTED_VALUE_CHARS_MAX)}…` : text);
}

/**
 * One knob's value from raw input (a form field's text, a number, or undefined for "use the default").
 * @throws RangeError in one wording for every knob: "Prefetch must be a whole number from 0 to 20, got \"50\"".
 */
export function readKnob(spec: KnobSpec, raw: unknown): number | string {
  if (raw === undefined || raw === null) return spec.default;
  if (spec.kind === 'choice') {
    const value = String(raw);
    if (!spec.options.some((o) => o.value === value)) {
      throw new RangeError(`${spec.label} must be one of ${spec.options.map((o) => `"${o.value}"`).join(', ')}, got ${quoted(raw)}`);
    }
    return value;
  }
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = text === '' ? Number.NaN : Number(text);
  const ok = Number.isFinite(value) && value >= spec.min && value <= spec.max && (!spec.integer || Number.isInteger(value));
  if (!ok) {
    const what = spec.integer ? 'a whole number' : 'a number';
    const unit = spec.unit === '' ? '' : ` ${spec.unit}`;
    throw new RangeError(`${spec.label} must be ${what} from ${spec.min} to ${spec.max}${unit}, got ${quoted(raw)}`);
  }
  return value;
}

/** Every knob of `specs` from `raw` (missing ones take their defaults). @throws RangeError as `readKnob`. */
export function checkKnobs(specs: readonly KnobSpec[], raw: Readonly<Record<string, unknown>>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const spec of specs) out[spec.name] = readKnob(spec, raw[spec.name]);
  return out;
}
