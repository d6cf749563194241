/**
 * Words for the live region: what just happened in a run, in short sentences ("m3 delivered to worker 2"), and
 * a throttle so a screen reader hears at most one update every `ANNOUNCE_INTERVAL_MS` of wall time (the latest
 * notable event wins; the rest are visible in the diagram and counters).
 */
import type { TraceEvent } from '../../../simulator/trace.ts';

/** Least wall-clock time between two announcements (ms). */
export const ANNOUNCE_INTERVAL_MS = 2000;

/** Display names: consumer tag → label, channel → label (both from the snapshot topology). */
export interface AnnounceNames {
  consumerLabel(consumerTag: string): string;
  channelLabel(channel: string): string;
}

/** One sentence for a notable trace entry, or null for bookkeeping entries not worth a screen reader's time. */
export function describeEvent(e: TraceEvent, names: AnnounceNames): string | null {
  switch (e.kind) {
    case 'published':
      return `${e.msgId} published by ${names.channelLabel(e.channel)}`;
    case 'delivered': {
      const to = e.consumerTag ? names.consumerLabel(e.consumerTag) : names.channelLabel(e.channel);
      return `${e.msgId} ${e.redelivered ? 'redelivered' : 'delivered'} to ${to}`;
    }
    case 'acked':
      return `${e.msgId} acknowledged by ${names.channelLabel(e.channel)}`;
    case 'nacked':
      return `${e.msgId} rejected by ${names.channelLabel(e.channel)}${e.requeue ? ', requeued' : ''}`;
    case 'requeued':
      return `${e.msgId} back in queue ${e.queue}`;
    case 'dropped':
      return e.reason === 'acked-on-delivery' ? null : `${e.msgId} dropped (${e.reason})`;
    case 'consumer-crashed':
      return `${names.channelLabel(e.channel)} crashed`;
    case 'consumer-cancelled':
      return `consumer ${names.consumerLabel(e.consumerTag)} cancelled`;
    case 'program-error':
      return `program error: ${e.message}`;
    default:
      return null;
  }
}

/** Priority of a sentence when several events fall in one interval: failures beat routine traffic. */
function weight(e: TraceEvent): number {
  if (e.kind === 'consumer-crashed' || e.kind === 'program-error') return 3;
  if (e.kind === 'requeued' || e.kind === 'dropped' || e.kind === 'nacked') return 2;
  if (e.kind === 'delivered' && e.redelivered) return 2;
  return e.kind === 'published' ? 0 : 1;
}

/** The sentence to announce for a batch of entries: the most important, latest first among equals. */
export function summarize(entries: readonly TraceEvent[], names: AnnounceNames): string | null {
  let best: { text: string; weight: number } | null = null;
  for (const e of entries) {
    const text = describeEvent(e, names);
    if (text === null) continue;
    const w = weight(e);
    if (best === null || w >= best.weight) best = { text, weight: w };
  }
  return best?.text ?? null;
}

/**
 * Collects entries as playback applies them and decides when to speak. `offer` is called every frame with the new
 * entries and the wall time; it returns the sentence to put in the live region, or null to stay quiet.
 * `force` (for STEP) speaks immediately.
 */
export class AnnounceThrottle {
  private pending: TraceEvent[] = [];
  private lastSpokeAtMs = -Infinity;
  private readonly names: AnnounceNames;
  private readonly intervalMs: number;

  constructor(names: AnnounceNames, intervalMs = ANNOUNCE_INTERVAL_MS) {
    this.names = names;
    this.intervalMs = intervalMs;
  }

  offer(entries: readonly TraceEvent[], wallMs: number, force = false): string | null {
    for (const e of entries) {
      if (describeEvent(e, this.names) !== null) this.pending.push(e);
    }
    if (this.pending.length > 200) this.pending = this.pending.slice(-200);
    if (!force && wallMs - this.lastSpokeAtMs < this.intervalMs) return null;
    const text = summarize(this.pending, this.names);
    this.pending = [];
    if (text === null) return null;
    this.lastSpokeAtMs = wallMs;
    return text;
  }

  /** Forgets pending entries (after a seek or a new run). */
  reset(): void {
    this.pending = [];
  }
}
