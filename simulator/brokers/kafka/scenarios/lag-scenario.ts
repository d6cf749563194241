/**
 * Lesson 19's lag scenario (`lag.ts`) as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lessons'
 * simulation component: its knobs as specs (labels, units, the model's ranges and defaults from `LAG_KNOB_RANGES` /
 * `LAG_DEFAULTS`, slider steps), and adding one member to the group as a fault the learner applies at the current
 * simulated time. A lesson narrows the ranges it offers (`content/simulations/*.ts`).
 *
 * One difference from `runLag`'s knobs, so that no combination of sliders is refused: `maxMembers` below
 * `initialMembers` is read as `initialMembers` (no member is added), where the function refuses it.
 *
 * Lag is Kafka's: per partition, the log-end offset minus the group's committed offset (Kafka docs, Monitoring:
 * records-lag; `kafka-consumer-groups.sh --describe` prints CURRENT-OFFSET, LOG-END-OFFSET and LAG).
 */
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { LAG_DEFAULTS, LAG_KNOB_RANGES, runLag, type LagKnobs } from './lag.ts';

/** The spec of numeric knob `name`: the model's range, the slider's step. */
function numberKnob(name: keyof LagKnobs, overrides: Partial<KnobSpec> = {}): KnobSpec {
  const r = LAG_KNOB_RANGES[name];
  return {
    name, kind: 'number', label: r.label, unit: r.unit, description: r.description, min: r.min, max: r.max,
    step: r.slider.step, integer: r.integer, default: LAG_DEFAULTS[name], ...overrides,
  } as KnobSpec;
}

export const LAG_KNOB_SPECS: readonly KnobSpec[] = [
  numberKnob('partitions'),
  numberKnob('producerRatePerSec'),
  numberKnob('messageCount'),
  numberKnob('processingMs'),
  numberKnob('initialMembers'),
  numberKnob('maxMembers'),
  numberKnob('addMemberEveryMs', { zeroText: 'never' }),
];

/** The fault that adds one member to the group `analytics`. */
export const ADD_LAG_MEMBER_FAULT = 'add-member';

export const lagScenario: Scenario = {
  id: 'kafka/lag',
  broker: 'kafka',
  knobs: LAG_KNOB_SPECS,
  faults: [{
    id: ADD_LAG_MEMBER_FAULT, label: 'Add a member to analytics', verb: 'Add now',
    description: 'One more consumer joins the group analytics at the current time: the group rebalances and the '
      + 'partitions are shared out again (a member beyond the partition count gets none).',
    targets: () => [{ value: 'analytics', label: 'analytics' }], repeatable: true,
  }],
  /**
   * Runs the scenario: missing knobs take their defaults, every knob is checked against its spec (`checkKnobs`: one
   * wording for every bad value), and every `add-member` fault adds a member at its `atMs` (at most 64 members).
   * @throws RangeError for a knob or run option out of range, naming it.
   */
  run(raw: KnobValues, options: ScenarioRunOptions) {
    const k = checkKnobs(LAG_KNOB_SPECS, raw);
    const initialMembers = Number(k.initialMembers);
    const run = runLag({
      partitions: Number(k.partitions),
      producerRatePerSec: Number(k.producerRatePerSec),
      messageCount: Number(k.messageCount),
      processingMs: Number(k.processingMs),
      initialMembers,
      maxMembers: Math.max(initialMembers, Number(k.maxMembers)),
      addMemberEveryMs: Number(k.addMemberEveryMs),
    }, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs }, {
      addMembersAtMs: options.faults.filter((f) => f.id === ADD_LAG_MEMBER_FAULT).map((f) => Math.max(0, Math.round(f.atMs))).slice(0, 64),
    });
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
