/**
 * The simulated wall clock: what `Date.now()` reads in a program (runner/deterministic-globals.ts) and what the
 * broker stamps into headers that carry a time (e.g. `x-death` entries): `SIMULATED_EPOCH_MS + engine.nowMs`.
 * A constant, so runs stay deterministic.
 */

/** Wall-clock time at simulated ms 0: 2025-01-01T00:00:00.000Z. */
export const SIMULATED_EPOCH_MS = Date.UTC(2025, 0, 1);
