/**
 * Lesson 18's consumer-group scenario (`consumer-groups.ts`) as a knob-driven `Scenario` (`simulator/scenario.ts`)
 * for the lessons' simulation component: its knobs as specs (labels, units, the model's ranges and defaults from
 * `CONSUMER_GROUPS_KNOB_RANGES` / `CONSUMER_GROUPS_DEFAULTS`, slider steps), the commit mode as a choice, and the
 * timeline events of group-1 (a member joins, leaves or crashes) as faults the learner applies at the current
 * simulated time. A lesson narrows the ranges it offers (`content/simulations/*.ts`).
 *
 * Differences from `runConsumerGroups`'s knobs, so that no combination of sliders is refused:
 * - the heartbeat interval is not a knob: it is kafkajs's default, 3000 ms, and the session timeout starts at
 *   6000 ms (the broker's `group.min.session.timeout.ms`), so it is always lower;
 * - the slow record is `slowHandlerMs` alone (0: none); it is the record at offset `slowOffset` of partition 0.
 *
 * The rules behind the faults (Kafka's group protocol, kafkajs's consumer): a member that joins or leaves with
 * LeaveGroup (`consumer.disconnect()`) makes the coordinator rebalance at once; a crashed member sends nothing, so
 * the coordinator notices only when no heartbeat came for `session.timeout.ms` (Kafka docs, consumer configs:
 * session.timeout.ms, heartbeat.interval.ms; kafkajs docs, Consuming Messages: sessionTimeout, heartbeatInterval).
 */
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import {
  CONSUMER_GROUPS_DEFAULTS, CONSUMER_GROUPS_KNOB_RANGES, runConsumerGroups, type ConsumerGroupsKnobs, type GroupEventKnob,
} from './consumer-groups.ts';
import type { CommitMode } from './member-driver.ts';

type Name = 'partitions' | 'members' | 'groups' | 'messageCount' | 'producerRatePerSec' | 'processingMs' | 'sessionTimeoutMs'
  | 'slowHandlerMs' | 'slowOffset';

/** The spec of numeric knob `name`: the model's range, the slider's step. */
function numberKnob(name: Name, overrides: Partial<KnobSpec> = {}): KnobSpec {
  const r = CONSUMER_GROUPS_KNOB_RANGES[name]!;
  return {
    name, kind: 'number', label: r.label, unit: r.unit, description: r.description, min: r.min, max: r.max,
    step: r.slider.step, integer: r.integer, default: CONSUMER_GROUPS_DEFAULTS[name], ...overrides,
  } as KnobSpec;
}

/** The commit modes offered, as the lesson names them. */
const COMMIT_OPTIONS: ReadonlyArray<{ value: CommitMode; label: string }> = [
  { value: 'auto', label: 'auto-commit (after each batch)' },
  { value: 'after', label: 'after handling each record' },
  { value: 'before', label: 'before handling each record' },
];

export const CONSUMER_GROUPS_KNOB_SPECS: readonly KnobSpec[] = [
  numberKnob('partitions'),
  numberKnob('members', { min: 1, max: 8, description: 'Consumers in group-1 at the start (and in each other group).' }),
  numberKnob('groups'),
  numberKnob('messageCount'),
  numberKnob('producerRatePerSec'),
  numberKnob('processingMs'),
  {
    name: 'commit', kind: 'choice', label: 'Commit', default: CONSUMER_GROUPS_DEFAULTS.commit,
    description: 'When a member commits its offsets: kafkajs\'s auto-commit after each batch, or the program\'s own '
      + 'commit after (at-least-once) or before (at-most-once) it handles each record.',
    options: COMMIT_OPTIONS,
  },
  numberKnob('sessionTimeoutMs', { min: 6_000, max: 120_000 }),
  numberKnob('slowHandlerMs', {
    label: 'Slow record', zeroText: 'none', max: 600_000,
    description: 'How long one record (partition 0) hangs the first time a member of group-1 handles it (0: none).',
  }),
  numberKnob('slowOffset', { max: 1_000, description: 'Offset in partition 0 of the slow record.' }),
];

/** Faults: a member joins group-1, a member leaves it cleanly, a member crashes. */
export const ADD_MEMBER_FAULT = 'add-member';
export const LEAVE_MEMBER_FAULT = 'leave-member';
export const CRASH_MEMBER_FAULT = 'crash-member';

/** Members of group-1 a fault can name: the ones at the start (added ones come after them, numbered on). */
function memberTargets(knobs: KnobValues): ReadonlyArray<{ value: string; label: string }> {
  const n = Number(knobs.members ?? CONSUMER_GROUPS_DEFAULTS.members);
  const count = Number.isInteger(n) && n > 0 ? Math.min(n, 8) : CONSUMER_GROUPS_DEFAULTS.members;
  return Array.from({ length: count }, (_, i) => ({ value: String(i + 1), label: `member ${i + 1}` }));
}

export const consumerGroupsScenario: Scenario = {
  id: 'kafka/consumer-groups',
  broker: 'kafka',
  knobs: CONSUMER_GROUPS_KNOB_SPECS,
  faults: [
    {
      id: ADD_MEMBER_FAULT, label: 'Add a member to group-1', verb: 'Join now',
      description: 'A new consumer joins group-1: the coordinator rebalances and the partitions are shared out again.',
      targets: () => [{ value: 'group-1', label: 'group-1' }], repeatable: true,
    },
    {
      id: LEAVE_MEMBER_FAULT, label: 'A member leaves', verb: 'Leave now',
      description: 'The member disconnects cleanly (it commits, then sends LeaveGroup): the group rebalances at once.',
      targets: memberTargets, repeatable: false,
    },
    {
      id: CRASH_MEMBER_FAULT, label: 'A member crashes', verb: 'Crash now',
      description: 'The member\'s process dies without a word: the coordinator notices only when no heartbeat has come '
        + 'for the session timeout, then rebalances.',
      targets: memberTargets, repeatable: false,
    },
  ],
  /**
   * Runs the scenario: missing knobs take their defaults, every knob is checked against its spec (`checkKnobs`: one
   * wording for every bad value), and each fault becomes a timeline event of group-1 at its `atMs` (a member's
   * number in `target`; a member that has already gone ignores a second one).
   * @throws RangeError for a knob or run option out of range, naming it.
   */
  run(raw: KnobValues, options: ScenarioRunOptions) {
    const k = checkKnobs(CONSUMER_GROUPS_KNOB_SPECS, raw);
    const events: GroupEventKnob[] = [];
    for (const f of options.faults) {
      const atMs = Math.max(0, Math.round(f.atMs));
      if (f.id === ADD_MEMBER_FAULT) events.push({ atMs, action: 'join', member: 1 });
      const member = Number(f.target);
      if (!Number.isInteger(member) || member < 1 || member > 64) continue;
      if (f.id === LEAVE_MEMBER_FAULT) events.push({ atMs, action: 'leave', member });
      if (f.id === CRASH_MEMBER_FAULT) events.push({ atMs, action: 'crash', member });
    }
    const knobs: Partial<ConsumerGroupsKnobs> = {
      partitions: Number(k.partitions),
      members: Number(k.members),
      groups: Number(k.groups),
      messageCount: Number(k.messageCount),
      producerRatePerSec: Number(k.producerRatePerSec),
      processingMs: Number(k.processingMs),
      commit: String(k.commit) as CommitMode,
      sessionTimeoutMs: Number(k.sessionTimeoutMs),
      heartbeatIntervalMs: 3_000,
      slowHandlerMs: Number(k.slowHandlerMs),
      slowPartition: 0,
      slowOffset: Number(k.slowOffset),
      events: events.slice(0, 20),
    };
    const run = runConsumerGroups(knobs, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs });
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
