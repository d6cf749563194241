/**
 * The simulated wall clock: what a program's `Date` reads (runner/deterministic-globals.ts replaces it) and what the
 * broker stamps into headers that carry a time (e.g. `x-death` entries): `SIMULATED_EPOCH_MS + engine.nowMs`.
 * A constant, so runs stay deterministic.
 */

/** Wall-clock time at simulated ms 0: 2025-01-01T00:00:00.000Z, in ms since the Unix epoch. */
export const SIMULATED_EPOCH_MS = 1_735_689_600_000;
