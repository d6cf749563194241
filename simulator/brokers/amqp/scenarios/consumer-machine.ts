import { initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

/** Events of a worker's lifecycle. */
export type ConsumerEvent = { type: 'START' } | { type: 'DONE' } | { type: 'CRASH' };

/**
 * The lifecycle of one worker in the work-queue scenario: `idle` → (START) `processing` → (DONE) `idle`, and from
 * either to the final `crashed` (its connection drops). Messages are plain data kept outside the machine; the
 * machine is only advanced with xstate's pure `transition()` (no actor, no xstate timers), so it stays
 * deterministic and cheap.
 */
export const consumerMachine = setup({
  types: { events: {} as ConsumerEvent },
}).createMachine({
  id: 'consumer',
  initial: 'idle',
  states: {
    idle: { on: { START: 'processing', CRASH: 'crashed' } },
    processing: { on: { DONE: 'idle', CRASH: 'crashed' } },
    crashed: { type: 'final' },
  },
});

export type ConsumerSnapshot = SnapshotFrom<typeof consumerMachine>;
export type ConsumerState = 'idle' | 'processing' | 'crashed';

/** Event types of the machine, for building its transition table. */
const EVENT_TYPES: readonly ConsumerEvent['type'][] = ['START', 'DONE', 'CRASH'];

/**
 * The machine's transition table, computed ONCE from the machine with xstate's `transition()`: state name → event
 * type → next snapshot (snapshots are immutable and shared between workers). The machine is flat and has no
 * context, so the next snapshot depends only on (state, event); every state reachable from the initial one is
 * visited. Looking a step up here instead of calling `transition()` per message keeps a million-message run fast,
 * and the result is still the machine's own logic.
 */
const TABLE: Record<string, Record<ConsumerEvent['type'], ConsumerSnapshot>> = {};
const INITIAL: ConsumerSnapshot = initialTransition(consumerMachine)[0];
{
  const todo: ConsumerSnapshot[] = [INITIAL];
  const seen = new Map<string, ConsumerSnapshot>([[INITIAL.value as string, INITIAL]]);
  while (todo.length > 0) {
    const from = todo.pop() as ConsumerSnapshot;
    const row = {} as Record<ConsumerEvent['type'], ConsumerSnapshot>;
    for (const type of EVENT_TYPES) {
      const next = transition(consumerMachine, from, { type })[0];
      const known = seen.get(next.value as string);
      if (known === undefined) {
        seen.set(next.value as string, next);
        todo.push(next);
      }
      row[type] = known ?? next;
    }
    TABLE[from.value as string] = row;
  }
}

/** The machine's initial snapshot (`idle`). */
export function initialConsumerSnapshot(): ConsumerSnapshot {
  return INITIAL;
}

/** Pure step of the machine: a lookup in its precomputed transition table (see `TABLE`). */
export function nextConsumerSnapshot(snapshot: ConsumerSnapshot, event: ConsumerEvent): ConsumerSnapshot {
  return TABLE[snapshot.value as string][event.type];
}

/** The state name of a snapshot. */
export function consumerState(snapshot: ConsumerSnapshot): ConsumerState {
  return snapshot.value as ConsumerState;
}
