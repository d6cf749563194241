/**
 * Lesson 17's keys-and-partitions scenario (`keys-partitions.ts`) as a knob-driven `Scenario`
 * (`simulator/scenario.ts`) for the lessons' simulation component: its knobs as specs (labels, units, the model's
 * ranges and defaults from `KEYS_PARTITIONS_KNOB_RANGES` / `KEYS_PARTITIONS_DEFAULTS`, slider steps). A lesson
 * narrows the ranges it offers (`content/simulations/*.ts`).
 *
 * Two differences from `runKeysPartitions`'s knobs, so that no combination of sliders is refused:
 * - `addPartitionsAtMs` 0 means "the topic never grows" (the slider shows "never"), where the function takes -1;
 * - the growth is given as `addPartitions`, how many partitions are added (1 or more), instead of the new count,
 *   which the function requires to be greater than `partitions`;
 * - a `replicationFactor` above `brokers` is read as `brokers` (every broker holds a copy), where the function
 *   refuses it: Kafka's CreateTopics would fail with INVALID_REPLICATION_FACTOR, but a learner moving the brokers
 *   slider down should see the run, not an error;
 * - `acks` is a choice: "all" (-1), "1" or "0".
 *
 * Faults: "Stop a broker" (a controlled shutdown of broker `target` at the current time) and "Start a broker"
 * (it runs again and its replicas catch up). What follows, from `model/replication.ts`: the stopped broker leaves
 * every ISR; each partition it led gets the first running in-sync replica as leader, and with none (replication
 * factor 1) it is offline until that broker returns, since unclean leader election is off (Kafka docs, Design:
 * Replication, "Unclean leader election"; broker config `unclean.leader.election.enable`, default false). Records
 * the old leader had not copied to the new one are cut from the log; a producer with acks=all was not told they
 * were stored, so it sends them again, while acks=1 or 0 lose them (Kafka docs, producer config `acks`). The
 * producer retries records of an offline partition as kafkajs's retrier does (kafkajs docs, Retry: 5 retries from
 * 300 ms, doubling), then gives them up.
 */
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import {
  KEYS_PARTITIONS_DEFAULTS, KEYS_PARTITIONS_KNOB_RANGES, runKeysPartitions, type BrokerEvent, type KeysPartitionsKnobs,
} from './keys-partitions.ts';

type Name = Exclude<keyof KeysPartitionsKnobs, 'newPartitionCount' | 'acks'>;

/** The producer's acks as the lesson names them. */
const ACKS_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'all', label: 'all (every in-sync replica)' },
  { value: '1', label: '1 (the leader only)' },
  { value: '0', label: '0 (no answer)' },
];
const ACKS_VALUE: Readonly<Record<string, -1 | 0 | 1>> = { all: -1, 1: 1, 0: 0 };

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
  numberKnob('brokers'),
  numberKnob('replicationFactor', {
    description: 'Copies of each partition, each on a different broker; more than the brokers counts as one per broker.',
  }),
  {
    name: 'acks', kind: 'choice', label: 'Producer acks', default: 'all',
    description: 'What the producer waits for before a record counts as sent: every in-sync replica has it, the leader '
      + 'has it, or nothing at all.',
    options: ACKS_OPTIONS,
  },
];

/** Faults: a broker stops (a controlled shutdown), a stopped broker starts again. */
export const STOP_BROKER_FAULT = 'stop-broker';
export const START_BROKER_FAULT = 'start-broker';

/** The brokers a fault can name with these knobs: broker 0 … brokers-1. */
function brokerTargets(knobs: KnobValues): ReadonlyArray<{ value: string; label: string }> {
  const n = Number(knobs.brokers ?? KEYS_PARTITIONS_DEFAULTS.brokers);
  const count = Number.isInteger(n) && n >= 1 ? Math.min(n, KEYS_PARTITIONS_KNOB_RANGES.brokers.max) : KEYS_PARTITIONS_DEFAULTS.brokers;
  return Array.from({ length: count }, (_, i) => ({ value: String(i), label: `broker ${i}` }));
}

export const keysPartitionsScenario: Scenario = {
  id: 'kafka/keys-partitions',
  broker: 'kafka',
  knobs: KEYS_PARTITIONS_KNOB_SPECS,
  faults: [
    {
      id: STOP_BROKER_FAULT, label: 'Stop a broker', verb: 'Stop now',
      description: 'The broker shuts down: the partitions it led move to an in-sync replica on another broker, or go '
        + 'offline if there is none.',
      targets: brokerTargets, repeatable: false,
    },
    {
      id: START_BROKER_FAULT, label: 'Start a broker again', verb: 'Start now',
      description: 'A stopped broker runs again: its replicas catch up and join the ISR again, and an offline partition '
        + 'it leads comes back (a broker that is running ignores it).',
      targets: brokerTargets, repeatable: false,
    },
  ],
  /**
   * Runs the scenario: missing knobs take their defaults, every knob is checked against its spec (`checkKnobs`: one
   * wording for every bad value), and each fault stops or starts broker `target` at its `atMs` (a fault naming a
   * broker the knobs do not have is ignored).
   * @throws RangeError for a knob or run option out of range, naming it.
   */
  run(raw: KnobValues, options: ScenarioRunOptions) {
    const k = checkKnobs(KEYS_PARTITIONS_KNOB_SPECS, raw);
    const brokers = Number(k.brokers);
    const events: BrokerEvent[] = [];
    for (const f of options.faults) {
      const broker = Number(f.target);
      if (!Number.isInteger(broker) || broker < 0 || broker >= brokers) continue;
      if (f.id === STOP_BROKER_FAULT || f.id === START_BROKER_FAULT) {
        events.push({ atMs: Math.max(0, Math.round(f.atMs)), action: f.id === STOP_BROKER_FAULT ? 'stop' : 'start', broker });
      }
    }
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
      brokers,
      replicationFactor: Math.min(brokers, Number(k.replicationFactor)),
      acks: ACKS_VALUE[String(k.acks)],
    }, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs }, events.slice(0, 20));
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
