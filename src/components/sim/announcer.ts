/**
 * The live region's throttle: a screen reader hears at most one update every `ANNOUNCE_INTERVAL_MS` of wall time
 * (the most notable sentence since the last one wins; the rest is visible in the diagram and counters), never the
 * same sentence twice in a row, and nothing from a run that was replaced. The sentences themselves come from the
 * broker's view adapter (`ViewAdapter.describeLastStep`).
 */

/** Least wall-clock time between two announcements (ms). */
export const ANNOUNCE_INTERVAL_MS = 2000;

export class AnnounceThrottle {
  private pending: string | null = null;
  private lastSpokeAtMs = -Infinity;
  private lastText = '';
  private readonly intervalMs: number;

  constructor(intervalMs = ANNOUNCE_INTERVAL_MS) {
    this.intervalMs = intervalMs;
  }

  /**
   * Called every frame with the newest notable sentence (or null) and the wall time; returns the sentence to put
   * in the live region now, or null to stay quiet. `force` (a Step) speaks at once.
   */
  offer(sentence: string | null, wallMs: number, force = false): string | null {
    if (sentence !== null) this.pending = sentence;
    if (!force && wallMs - this.lastSpokeAtMs < this.intervalMs) return null;
    const text = this.pending;
    this.pending = null;
    if (text === null || text === this.lastText) return null;
    this.lastSpokeAtMs = wallMs;
    this.lastText = text;
    return text;
  }

  /** Forgets what was pending and what was said (after a seek or a new run). */
  reset(): void {
    this.pending = null;
    this.lastText = '';
  }
}
