/**
 * A lesson's simulation, declared as data (Vega-Lite's idea: a picture is a small spec rendered by one generic
 * renderer): which scenario it shows, which of the scenario's knobs with which ranges and defaults, which counters,
 * charts and faults, and the run's seed, latency and time limit. `src/components/sim/Simulation.astro` renders any
 * declaration; adding a lesson's simulation is adding a file here (its name is the id lessons use:
 * `<Simulation id="01-work-queue" />`).
 *
 * Validated when the site is built (`checkDeclaration`): a bad declaration fails the build naming the file and the
 * field.
 */
import type { KnobSpec, KnobValues, Scenario } from '../../simulator/scenario.ts';

/** What a lesson changes of a scenario's knob: the range its slider offers (also the range accepted) and more. */
export interface KnobOverride {
  label?: string;
  description?: string;
  min?: number;
  max?: number;
  step?: number;
  default?: number | string;
  /** Only these options of a choice knob. */
  options?: readonly string[];
}

/** A chart under the diagram: series of the broker's view (`ViewAdapter.series()` ids) drawn together. */
export interface ChartDeclaration {
  title: string;
  /** Series ids, e.g. `depth`, `rate:published`, `latency:p95`. */
  series: readonly string[];
  /** One sentence: what to look for. */
  description?: string;
}

export interface SimulationDeclaration {
  /** Loads the scenario (a dynamic import, so a page loads only its broker's code). */
  scenario: () => Promise<Scenario>;
  /** The knobs shown, in order, with the lesson's ranges; the scenario's other knobs keep `fixed` or defaults. */
  knobs: Readonly<Record<string, KnobOverride>>;
  /** Values of knobs not shown (default: the scenario's defaults). */
  fixed?: KnobValues;
  /** Counter ids of the broker's view shown under the diagram, in order. */
  counters: readonly string[];
  charts?: readonly ChartDeclaration[];
  /** Fault ids of the scenario offered as buttons (e.g. `crash-worker`). */
  faults?: readonly string[];
  /** Whether clicking a message opens the inspector (default true). */
  inspector?: boolean;
  /** PRNG seed of the runs (default 1; the knobs panel's Seed field starts at it): the same seed and knobs always play out the same way. */
  seed?: number;
  /** One-way network latency, simulated ms (default 100: exaggerated so messages are seen travelling). */
  latencyMs?: number;
  /** Simulated ms after which a run stops even with work pending (default one hour). */
  untilMs?: number;
  /** A sentence or two under the knobs: what a knob change does, what is simplified. */
  note?: string;
  /** Text alternative of the whole diagram. */
  ariaLabel?: string;
}

/** Declares a simulation (identity; gives the object its type). */
export function defineSimulation(declaration: SimulationDeclaration): SimulationDeclaration {
  return declaration;
}

/** A declaration's knobs resolved against its scenario: the specs the UI renders and the panel enforces. */
export interface ResolvedSimulation {
  knobs: KnobSpec[];
  fixed: Record<string, number | string>;
}

/**
 * The knobs a declaration shows, with its overrides applied (a lesson may narrow a range, never widen it beyond the
 * scenario's), and the values of the others.
 * @throws Error naming the field for an unknown knob, a range outside the scenario's, or a default outside the range.
 */
export function resolveSimulation(id: string, declaration: SimulationDeclaration, scenario: Scenario): ResolvedSimulation {
  const fail = (field: string, problem: string): never => {
    throw new Error(`content/simulations/${id}.ts: ${field} ${problem}`);
  };
  const byName = new Map(scenario.knobs.map((k) => [k.name, k]));
  const knobs: KnobSpec[] = [];
  for (const [name, override] of Object.entries(declaration.knobs)) {
    const spec = byName.get(name);
    if (spec === undefined) fail(`knobs.${name}`, `is not a knob of scenario ${scenario.id} (it has ${[...byName.keys()].join(', ')})`);
    if (spec!.kind === 'number') {
      const min = override.min ?? spec!.min;
      const max = override.max ?? spec!.max;
      if (min < spec!.min || max > spec!.max || min > max) {
        fail(`knobs.${name}`, `range [${min}, ${max}] is outside the scenario's [${spec!.min}, ${spec!.max}]`);
      }
      const value = Number(override.default ?? spec!.default);
      if (!(value >= min && value <= max)) fail(`knobs.${name}.default`, `${value} is outside [${min}, ${max}]`);
      knobs.push({ ...spec!, min, max, step: override.step ?? spec!.step, default: value,
        label: override.label ?? spec!.label, description: override.description ?? spec!.description });
    } else {
      const options = override.options === undefined ? spec!.options
        : spec!.options.filter((o) => override.options!.includes(o.value));
      if (options.length === 0) fail(`knobs.${name}.options`, 'leaves no option');
      const value = String(override.default ?? spec!.default);
      if (!options.some((o) => o.value === value)) fail(`knobs.${name}.default`, `"${value}" is not one of the options`);
      knobs.push({ ...spec!, options, default: value, label: override.label ?? spec!.label,
        description: override.description ?? spec!.description });
    }
  }
  const fixed: Record<string, number | string> = {};
  for (const spec of scenario.knobs) {
    if (declaration.knobs[spec.name] !== undefined) continue;
    fixed[spec.name] = declaration.fixed?.[spec.name] ?? spec.default;
  }
  for (const fault of declaration.faults ?? []) {
    if (!scenario.faults.some((f) => f.id === fault)) fail('faults', `names ${fault}, not a fault of scenario ${scenario.id}`);
  }
  return { knobs, fixed };
}
