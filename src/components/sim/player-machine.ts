/**
 * The player: an xstate 5 machine that owns the simulated clock of a view (`atMs`) and nothing else.
 *
 * States: `paused`, `playing`, `ended` (clock at `endedAtMs`). The animation loop sends `TICK { wallMs }` with the
 * wall-clock time since the last frame; only `playing` advances the clock, by `wallMs × speed` (a frame gap is
 * capped at `WALL_DT_MAX_MS` so a tab coming back from the background does not leap ahead). Rendering is
 * `render(trace, atMs)` outside the machine, so the machine is pure and testable with `createActor`.
 *
 * Events
 * - `PLAY` / `PAUSE` / `TOGGLE`; `PLAY` at the end starts again from 0.
 * - `STEP`: jump to the next trace event time after `atMs` (or the end) and pause there.
 * - `SPEED { speed }` (snapped to the nearest of `SPEEDS`, 0.25×–64×) or `SPEED { delta: ±1 }` (next/previous).
 * - `RESTART`: clock to 0 and play.
 * - `SEEK { atMs }`: clock to `atMs` clamped to [0, endedAtMs]; keeps playing if it was playing.
 * - `LOAD { eventTimes, endedAtMs, atMs?, play? }`: a new run (times sorted ascending, ms); `atMs` defaults to 0;
 *   `play` picks playing or paused.
 */
import { assign, setup } from 'xstate';

/** Playback speeds offered in the UI, as multiples of real time. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] as const;
/** Longest wall-clock gap between two frames that still advances the clock (ms). */
export const WALL_DT_MAX_MS = 250;

export interface PlayerContext {
  /** Simulated clock in ms (may be fractional between events). */
  atMs: number;
  speed: number;
  /** Simulated time at which the run ends, ms. */
  endedAtMs: number;
  /** Distinct trace event times, ascending (ms). */
  eventTimes: readonly number[];
}

export type PlayerEvent =
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  | { type: 'STEP' }
  | { type: 'SPEED'; speed?: number; delta?: number }
  | { type: 'RESTART' }
  | { type: 'SEEK'; atMs: number }
  | { type: 'TICK'; wallMs: number }
  | { type: 'LOAD'; eventTimes: readonly number[]; endedAtMs: number; atMs?: number; play?: boolean };

/** Distinct `t` values of a trace, ascending: the stops of `STEP`. */
export function eventTimesOf(trace: Iterable<{ t: number }>): number[] {
  const times: number[] = [];
  for (const entry of trace) {
    if (times.length === 0 || entry.t > times[times.length - 1]) times.push(entry.t);
  }
  return times;
}

/** First time in `times` strictly after `atMs`, or undefined. Binary search. */
export function nextTimeAfter(times: readonly number[], atMs: number): number | undefined {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return times[lo];
}

/** Speed for a `SPEED` event: an explicit value snapped to `SPEEDS`, or one notch up/down from `current`. */
export function nextSpeed(current: number, event: { speed?: number; delta?: number }): number {
  const nearest = (value: number) =>
    SPEEDS.reduce((best, s) => (Math.abs(Math.log(s / value)) < Math.abs(Math.log(best / value)) ? s : best), 1);
  if (event.speed !== undefined && Number.isFinite(event.speed) && event.speed > 0) return nearest(event.speed);
  const at = SPEEDS.indexOf(nearest(current) as (typeof SPEEDS)[number]);
  const delta = Math.sign(event.delta ?? 0);
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + delta))];
}

const clamp = (value: number, max: number) => Math.min(Math.max(0, value), Math.max(0, max));

export const playerMachine = setup({
  types: {
    context: {} as PlayerContext,
    events: {} as PlayerEvent,
  },
  guards: {
    atEnd: ({ context }) => context.atMs >= context.endedAtMs,
    loadPlaying: ({ event }) => event.type === 'LOAD' && event.play === true,
  },
  actions: {
    advance: assign({
      atMs: ({ context, event }) => {
        if (event.type !== 'TICK' || !(event.wallMs > 0)) return context.atMs;
        const wallMs = Math.min(event.wallMs, WALL_DT_MAX_MS);
        return clamp(context.atMs + wallMs * context.speed, context.endedAtMs);
      },
    }),
    stepToNext: assign({
      atMs: ({ context }) =>
        clamp(nextTimeAfter(context.eventTimes, context.atMs) ?? context.endedAtMs, context.endedAtMs),
    }),
    setSpeed: assign({
      speed: ({ context, event }) => (event.type === 'SPEED' ? nextSpeed(context.speed, event) : context.speed),
    }),
    rewind: assign({ atMs: 0 }),
    seek: assign({
      atMs: ({ context, event }) =>
        event.type === 'SEEK' && Number.isFinite(event.atMs) ? clamp(event.atMs, context.endedAtMs) : context.atMs,
    }),
    load: assign(({ event, context }) => {
      if (event.type !== 'LOAD') return context;
      const endedAtMs = Math.max(0, event.endedAtMs);
      return { eventTimes: event.eventTimes, endedAtMs, atMs: clamp(event.atMs ?? 0, endedAtMs) };
    }),
  },
}).createMachine({
  id: 'player',
  context: () => ({
    atMs: 0,
    speed: 1,
    endedAtMs: 0,
    eventTimes: [],
  }),
  initial: 'paused',
  on: {
    SPEED: { actions: 'setSpeed' },
    RESTART: { target: '.playing', actions: 'rewind' },
    LOAD: [
      { guard: 'loadPlaying', target: '.playing', actions: 'load' },
      { target: '.paused', actions: 'load' },
    ],
  },
  states: {
    paused: {
      on: {
        PLAY: { target: 'playing' },
        TOGGLE: { target: 'playing' },
        STEP: { target: 'paused', actions: 'stepToNext', reenter: true },
        SEEK: { actions: 'seek' },
      },
    },
    playing: {
      always: { guard: 'atEnd', target: 'ended' },
      on: {
        PAUSE: { target: 'paused' },
        TOGGLE: { target: 'paused' },
        STEP: { target: 'paused', actions: 'stepToNext' },
        SEEK: { actions: 'seek' },
        TICK: { actions: 'advance' },
      },
    },
    ended: {
      on: {
        PLAY: { target: 'playing', actions: 'rewind' },
        TOGGLE: { target: 'playing', actions: 'rewind' },
        SEEK: { target: 'paused', actions: 'seek' },
      },
    },
  },
});
