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

/** Memo of `transition()`: state name → event type → next snapshot (snapshots are immutable and shared). */
const cache = new Map<string, Map<ConsumerEvent['type'], ConsumerSnapshot>>();
let initial: ConsumerSnapshot | undefined;

/** The machine's initial snapshot (`idle`). */
export function initialConsumerSnapshot(): ConsumerSnapshot {
  if (initial === undefined) initial = initialTransition(consumerMachine)[0];
  return initial;
}

/**
 * Pure step of the machine. The machine is flat and has no context, so the next snapshot depends only on (state,
 * event); it is computed once with xstate's `transition()` and memoized, which keeps a million-message run fast.
 * Snapshots reached this way are shared between workers (they are immutable).
 */
export function nextConsumerSnapshot(snapshot: ConsumerSnapshot, event: ConsumerEvent): ConsumerSnapshot {
  const state = snapshot.value as string;
  let byEvent = cache.get(state);
  if (byEvent === undefined) {
    byEvent = new Map();
    cache.set(state, byEvent);
  }
  let next = byEvent.get(event.type);
  if (next === undefined) {
    next = transition(consumerMachine, snapshot, event)[0];
    byEvent.set(event.type, next);
  }
  return next;
}

/** The state name of a snapshot. */
export function consumerState(snapshot: ConsumerSnapshot): ConsumerState {
  return snapshot.value as ConsumerState;
}
