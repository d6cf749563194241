/**
 * Lesson 17's keys-and-partitions scenario (`keys-partitions.ts`) as a knob-driven `Scenario`
 * (`simulator/scenario.ts`) for the lessons' simulation component: its knobs as specs (labels, units, the model's
 * ranges and defaults from `KEYS_PARTITIONS_KNOB_RANGES` / `KEYS_PARTITIONS_DEFAULTS`, slider steps). A lesson
 * narrows the ranges it offers (`content/simulations/*.ts`).
 *
 * Two differences from `runKeysPartitions`'s knobs, so that no combination of sliders is refused:
 * - `addPartitionsAtMs` 0 means "the topic never grows" (the slider shows "never"), where the function takes -1;
 * - the growth is given as `addPartitions`, how many partitions are added (1 or more), instead of the new count,
 *   which the function requires to be greater than `partitions`.
 */
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import {
  KEYS_PARTITIONS_DEFAULTS, KEYS_PARTITIONS_KNOB_RANGES, runKeysPartitions, type KeysPartitionsKnobs,
} from './keys-partitions.ts';

type Name = Exclude<keyof KeysPartitionsKnobs, 'newPartitionCount'>;

/** The spec of numeric knob `name`: the model's range, the slider's step. */
function numberKnob(name: Name, overrides: Partial<KnobSpec> = {}): KnobSpec {
  const r = KEYS_PARTITIONS_KNOB_RANGES[name];
  return {
    name, kind: 'number', label: r.label, unit: r.unit, description: r.description, min: r.min, max: r.max,
    step: r.slider.step, integer: r.integer, default: KEYS_PARTITIONS_DEFAULTS[name], ...overrides,
  } as KnobSpec;
}

export const KEYS_PARTITIONS_KNOB_SPECS: readonly KnobSpec[] = [
  numberKnob('partitions'),
  numberKnob('keyCount', { zeroText: 'none (no keys)' }),
  numberKnob('hotKeyShare'),
  numberKnob('messageCount'),
  numberKnob('producerRatePerSec'),
  numberKnob('consumers'),
  numberKnob('processingMs'),
  numberKnob('addPartitionsAtMs', {
    label: 'Partitions added at', min: 0, zeroText: 'never',
    description: 'When an admin adds partitions to the topic (0: never). Keys are then hashed over the new count.',
  }),
  {
    name: 'addPartitions', kind: 'number', label: 'Partitions added', unit: 'partitions',
    description: 'How many partitions the admin adds.', min: 1, max: 32, step: 1, integer: true,
    default: KEYS_PARTITIONS_DEFAULTS.newPartitionCount - KEYS_PARTITIONS_DEFAULTS.partitions,
  },
];

export const keysPartitionsScenario: Scenario = {
  id: 'kafka/keys-partitions',
  broker: 'kafka',
  knobs: KEYS_PARTITIONS_KNOB_SPECS,
  faults: [],
  /**
   * Runs the scenario: missing knobs take their defaults and every knob is checked against its spec
   * (`checkKnobs`: one wording for every bad value).
   * @throws RangeError for a knob or run option out of range, naming it.
   */
  run(raw: KnobValues, options: ScenarioRunOptions) {
    const k = checkKnobs(KEYS_PARTITIONS_KNOB_SPECS, raw);
    const addAt = Number(k.addPartitionsAtMs);
    const grownTo = Math.min(KEYS_PARTITIONS_KNOB_RANGES.newPartitionCount.max, Number(k.partitions) + Number(k.addPartitions));
    const run = runKeysPartitions({
      partitions: Number(k.partitions),
      keyCount: Number(k.keyCount),
      hotKeyShare: Number(k.hotKeyShare),
      messageCount: Number(k.messageCount),
      producerRatePerSec: Number(k.producerRatePerSec),
      consumers: Number(k.consumers),
      processingMs: Number(k.processingMs),
      // At the model's most partitions there is nothing to add: the topic does not grow.
      addPartitionsAtMs: addAt === 0 || grownTo <= Number(k.partitions) ? -1 : addAt,
      newPartitionCount: grownTo,
    }, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs });
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
