/**
 * Lesson 16's log scenario (`log-vs-queue.ts`) as a knob-driven `Scenario` (`simulator/scenario.ts`) for the
 * lessons' simulation component: its knobs as specs (names, labels, units, the model's allowed ranges and
 * defaults from `LOG_VS_QUEUE_KNOB_RANGES` / `LOG_VS_QUEUE_DEFAULTS`, slider steps), and starting one more
 * replaying group as a fault the learner applies at the current time. A lesson narrows the ranges it offers
 * (`content/simulations/*.ts`).
 *
 * One difference from `runLogVsQueue`'s knobs: here `replayAtMs` 0 means "no replay group" (the slider shows
 * "never"), where the function takes -1; a replay at t = 0 would start with the live reader and replay nothing.
 */
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import {
  LOG_VS_QUEUE_DEFAULTS, LOG_VS_QUEUE_KNOB_RANGES, runLogVsQueue, type LogVsQueueKnobs,
} from './log-vs-queue.ts';

type Name = keyof LogVsQueueKnobs;

/** The spec of numeric knob `name`: the model's range, the slider's step. */
function numberKnob(name: Name, overrides: Partial<KnobSpec> = {}): KnobSpec {
  const r = LOG_VS_QUEUE_KNOB_RANGES[name];
  return {
    name, kind: 'number', label: r.label, unit: r.unit, description: r.description, min: r.min, max: r.max,
    step: r.slider.step, integer: r.integer, default: LOG_VS_QUEUE_DEFAULTS[name], ...overrides,
  } as KnobSpec;
}

export const LOG_VS_QUEUE_KNOB_SPECS: readonly KnobSpec[] = [
  numberKnob('producerRatePerSec'),
  numberKnob('messageCount'),
  numberKnob('partitions'),
  numberKnob('processingMs'),
  numberKnob('retentionMs'),
  numberKnob('segmentMs'),
  numberKnob('replayAtMs', {
    label: 'Replay group starts at', min: 0, zeroText: 'never',
    description: 'When a second consumer group subscribes from the beginning and reads the log again (0: never).',
  }),
];

/** The fault that starts one more group reading the topic from the beginning. */
export const START_REPLAY_FAULT = 'start-replay';

export const logVsQueueScenario: Scenario = {
  id: 'kafka/log-vs-queue',
  broker: 'kafka',
  knobs: LOG_VS_QUEUE_KNOB_SPECS,
  faults: [{
    id: START_REPLAY_FAULT,
    label: 'Start a new consumer group',
    verb: 'Start now',
    description: 'A consumer in a new group (replay-2, replay-3, …) subscribes at the current time with '
      + 'fromBeginning: it reads every record still in the log from the log start offset, while the other groups '
      + 'keep their own committed offsets.',
    targets: () => [{ value: 'group', label: 'a new group' }],
    repeatable: true,
  }],
  /**
   * Runs the scenario: missing knobs take their defaults, every knob is checked against its spec (`checkKnobs`:
   * one wording for every bad value), and every `start-replay` fault adds a replaying group at its `atMs`.
   * @throws RangeError for a knob or run option out of range, naming it.
   */
  run(raw: KnobValues, options: ScenarioRunOptions) {
    const knobs = checkKnobs(LOG_VS_QUEUE_KNOB_SPECS, raw);
    const replayAtMs = Number(knobs.replayAtMs);
    const run = runLogVsQueue({
      producerRatePerSec: Number(knobs.producerRatePerSec),
      messageCount: Number(knobs.messageCount),
      partitions: Number(knobs.partitions),
      processingMs: Number(knobs.processingMs),
      retentionMs: Number(knobs.retentionMs),
      segmentMs: Number(knobs.segmentMs),
      replayAtMs: replayAtMs === 0 ? -1 : replayAtMs,
    }, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs }, {
      replaysAtMs: options.faults.filter((f) => f.id === START_REPLAY_FAULT).map((f) => Math.max(0, Math.round(f.atMs))),
    });
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
