/**
 * The consumer group's state machine as Kafka's group coordinator runs it (classic group protocol,
 * `kafka.coordinator.group.GroupMetadata`: the states Empty, PreparingRebalance, CompletingRebalance, Stable, Dead
 * and `validPreviousStates`), written as an xstate 5 machine. The coordinator (`consumer-group.ts`) keeps members,
 * generations and timers outside the machine and moves it with events; the machine decides which transitions
 * exist, so an illegal one (e.g. Stable straight after Empty) throws instead of silently corrupting the group.
 *
 * Transitions (event → from ⇒ to), each one of Kafka's legal ones:
 * - PREPARE_REBALANCE: a member joins, leaves, changes its subscription or misses its session timeout —
 *   Empty | CompletingRebalance | Stable ⇒ PreparingRebalance;
 * - JOIN_COMPLETE: every known member rejoined (or the rebalance timeout removed the rest) and members remain —
 *   PreparingRebalance ⇒ CompletingRebalance;
 * - JOIN_COMPLETE_EMPTY: the same with no member left — PreparingRebalance ⇒ Empty;
 * - SYNC_COMPLETE: the leader's SyncGroup brought the assignment — CompletingRebalance ⇒ Stable;
 * - DELETE: the group is deleted or its coordinator unloads it — any ⇒ Dead (final).
 *
 * Like `amqp/scenarios/consumer-machine.ts`, the machine is advanced with xstate's pure `transition()`, once per
 * (state, event) into a table, so the hot paths only look up a snapshot.
 */
import { initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

/** Kafka's group states (the names `kafka-consumer-groups.sh --describe --state` prints). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Events that move a group (see the module doc). */
export type GroupEvent =
  | { type: 'PREPARE_REBALANCE' }
  | { type: 'JOIN_COMPLETE' }
  | { type: 'JOIN_COMPLETE_EMPTY' }
  | { type: 'SYNC_COMPLETE' }
  | { type: 'DELETE' };

/** The group state machine (see the module doc). */
export const groupMachine = setup({
  types: { events: {} as GroupEvent },
}).createMachine({
  id: 'consumer-group',
  initial: 'Empty',
  states: {
    Empty: { on: { PREPARE_REBALANCE: 'PreparingRebalance', DELETE: 'Dead' } },
    PreparingRebalance: {
      on: { JOIN_COMPLETE: 'CompletingRebalance', JOIN_COMPLETE_EMPTY: 'Empty', DELETE: 'Dead' },
    },
    CompletingRebalance: {
      on: { SYNC_COMPLETE: 'Stable', PREPARE_REBALANCE: 'PreparingRebalance', DELETE: 'Dead' },
    },
    Stable: { on: { PREPARE_REBALANCE: 'PreparingRebalance', DELETE: 'Dead' } },
    Dead: { type: 'final' },
  },
});

/** A snapshot of the machine (its `value` is the state name). */
export type GroupSnapshot = SnapshotFrom<typeof groupMachine>;

const EVENT_TYPES: readonly GroupEvent['type'][] = [
  'PREPARE_REBALANCE', 'JOIN_COMPLETE', 'JOIN_COMPLETE_EMPTY', 'SYNC_COMPLETE', 'DELETE',
];

/** state → event → next snapshot, or undefined where the machine has no such transition. */
const TABLE = new Map<string, Map<string, GroupSnapshot | undefined>>();
const INITIAL: GroupSnapshot = initialTransition(groupMachine)[0];
{
  const todo: GroupSnapshot[] = [INITIAL];
  const seen = new Map<string, GroupSnapshot>([[INITIAL.value as string, INITIAL]]);
  while (todo.length > 0) {
    const from = todo.pop() as GroupSnapshot;
    const row = new Map<string, GroupSnapshot | undefined>();
    for (const type of EVENT_TYPES) {
      const next = transition(groupMachine, from, { type })[0];
      // xstate returns the same state for an event the state does not handle: that is "no transition" here.
      const moved = next.value !== from.value;
      if (moved && !seen.has(next.value as string)) {
        seen.set(next.value as string, next);
        todo.push(next);
      }
      row.set(type, moved ? seen.get(next.value as string) : undefined);
    }
    TABLE.set(from.value as string, row);
  }
}

/** A new group's snapshot (Empty). */
export function initialGroupSnapshot(): GroupSnapshot {
  return INITIAL;
}

/** Whether `event` moves a group in `state` (Kafka's `validPreviousStates`). */
export function canTransition(state: GroupState, event: GroupEvent['type']): boolean {
  return TABLE.get(state)?.get(event) !== undefined;
}

/**
 * The snapshot after `event`. @throws Error for a transition Kafka does not allow (a bug in the coordinator, not
 * a learner's mistake).
 */
export function nextGroupSnapshot(snapshot: GroupSnapshot, event: GroupEvent['type']): GroupSnapshot {
  const next = TABLE.get(snapshot.value as string)?.get(event);
  if (next === undefined) throw new Error(`consumer group: no transition ${event} from ${String(snapshot.value)}`);
  return next;
}

/** The state name of a snapshot. */
export function groupState(snapshot: GroupSnapshot): GroupState {
  return snapshot.value as GroupState;
}
