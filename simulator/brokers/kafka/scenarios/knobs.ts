/**
 * Knob validation shared by the Kafka scenarios: every knob has a range (for the UI's sliders and for checks), and
 * a value outside it is refused with a RangeError that names the knob, its unit and its range — bad input never
 * reaches the model. Also the run options every scenario takes (seed, until).
 */

/** Allowed range of a numeric knob; `slider` is what a UI slider offers by default. */
export interface KnobRange {
  min: number;
  max: number;
  integer: boolean;
  unit: string;
  label: string;
  description: string;
  slider: { min: number; max: number; step: number };
}

/** A knob range (helper for the scenario tables). */
export function range(min: number, max: number, integer: boolean, unit: string, label: string, description: string,
  slider: { min: number; max: number; step: number } = { min, max, step: integer ? 1 : (max - min) / 100 }): KnobRange {
  return { min, max, integer, unit, label, description, slider };
}

/** `value` as a number within `r`, or a RangeError naming `knob`. */
export function checkNumber(knob: string, value: unknown, r: KnobRange): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < r.min || value > r.max || (r.integer && !Number.isInteger(value))) {
    throw new RangeError(`${knob} must be ${r.integer ? 'an integer' : 'a number'} in [${r.min}, ${r.max}] (${r.unit}), got ${String(value)}`);
  }
  return value;
}

/** `value` as one of `options`, or a RangeError naming `knob`. */
export function checkEnum<T extends string>(knob: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw new RangeError(`${knob} must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** `value` as a boolean, or a RangeError naming `knob`. */
export function checkBoolean(knob: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new RangeError(`${knob} must be true or false, got ${String(value)}`);
  return value;
}

/** Every knob of `ranges` present in `knobs` (defaults for the missing ones) checked; unknown knobs refused. */
export function checkKnobs<K extends object>(scenario: string, knobs: Partial<K>, defaults: K,
  ranges: Partial<Record<keyof K, KnobRange>>, check: Partial<Record<keyof K, (name: string, v: unknown) => unknown>> = {}): K {
  if (typeof knobs !== 'object' || knobs === null) throw new RangeError(`${scenario}: knobs must be an object`);
  for (const name of Object.keys(knobs)) {
    if (!(name in defaults)) throw new RangeError(`${scenario}: unknown knob '${name}' (knobs: ${Object.keys(defaults).join(', ')})`);
  }
  const out = { ...defaults, ...knobs } as K;
  for (const name of Object.keys(out) as Array<keyof K & string>) {
    const value = (out as Record<string, unknown>)[name];
    const r = ranges[name];
    if (r !== undefined) checkNumber(name, value, r);
    const c = check[name];
    if (c !== undefined) c(name, value);
  }
  return out;
}

/** Most simulated time a scenario run may cover: a day (ms). */
export const SCENARIO_UNTIL_MS_MAX = 86_400_000;

/** Options every scenario run takes. */
export interface ScenarioRunOptions {
  /** PRNG seed (any finite number): same seed + knobs ⇒ byte-identical trace. */
  seed: number;
  /** Simulated ms to stop at (integer in [0, 86400000]). */
  untilMs: number;
  /** One-way client↔broker latency (default 10 ms). */
  latencyMs?: number;
}

/** Checks run options (RangeError naming the bad one). */
export function checkRunOptions(options: ScenarioRunOptions): ScenarioRunOptions {
  if (typeof options !== 'object' || options === null) throw new RangeError('options must be an object');
  if (typeof options.seed !== 'number' || !Number.isFinite(options.seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(options.seed)}`);
  }
  checkNumber('untilMs', options.untilMs, range(0, SCENARIO_UNTIL_MS_MAX, true, 'ms', 'Until', 'Simulated time to stop at.'));
  if (options.latencyMs !== undefined) checkNumber('latencyMs', options.latencyMs, range(0, 60_000, true, 'ms', 'Latency', 'One-way network latency.'));
  return options;
}
