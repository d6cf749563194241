/**
 * Messages a broker restart destroys without a `dropped` entry of their own, for the view's `lost` counter and
 * series (`fold.ts`, `view-metrics.ts`): read from a finished trace in one pass.
 *
 * - Messages in a non-durable queue the stop deleted: the `queue-deleted` entries recorded at the stop (between
 *   `broker-stopped` and the next `broker-started`), each with its `messageCount` (ready messages, including the
 *   unacked ones the closed connections had just requeued).
 * - Messages the broker never received: published before the stop and due to arrive after it, or published while it
 *   was down by a client that had not yet learnt that its connection was closed (the close takes one latency to
 *   reach it); no later entry mentions them. Without publisher confirms the producer is not told
 *   (https://www.rabbitmq.com/docs/confirms#publisher-confirms).
 *
 * Transient messages of durable queues are not counted here: the model records a `dropped` entry (reason
 * `transient`) for each of them, which the view already counts.
 */
import type { TraceReader } from '../../trace.ts';

/** What `restartLosses` finds. */
export interface RestartLosses {
  /**
   * Simulated ms of a `broker-stopped` entry → messages lost at that moment: those of the non-durable queues it
   * deleted and those on their way to the broker (stops that lost none are left out).
   */
  atStop: Map<number, number>;
  /** Messages published while the broker was down, lost the moment they were published (their `published` entry). */
  publishedWhileDown: Set<string>;
}

/** The losses of every broker restart of `trace` (none when the broker never stopped). */
export function restartLosses(trace: TraceReader): RestartLosses {
  const atStop = new Map<number, number>();
  const publishedWhileDown = new Set<string>();
  const add = (t: number, n: number) => atStop.set(t, (atStop.get(t) ?? 0) + n);
  /** [stopped at, started at (Infinity if never)]. */
  const downtimes: Array<[number, number]> = [];
  /** Published messages not yet mentioned by a later entry: msgId → [published at, arrives at]. */
  const unheard = new Map<string, [number, number]>();
  for (const e of trace) {
    switch (e.kind) {
      case 'broker-stopped':
        downtimes.push([e.t, Infinity]);
        break;
      case 'broker-started':
        if (downtimes.length > 0) downtimes[downtimes.length - 1][1] = e.t;
        break;
      case 'queue-deleted': {
        const down = downtimes[downtimes.length - 1];
        if (down !== undefined && down[1] === Infinity && e.messageCount > 0) add(down[0], e.messageCount);
        break;
      }
      case 'published':
        unheard.set(e.msgId, [e.t, e.arriveAtMs]);
        break;
      case 'message-properties':
        break;
      default:
        if ('msgId' in e && typeof e.msgId === 'string') unheard.delete(e.msgId);
        break;
    }
  }
  for (const [msgId, [publishedAt, arriveAt]] of unheard) {
    // The last stop before the message would have arrived, if the message left before the broker was back.
    let down: [number, number] | undefined;
    for (const d of downtimes) if (d[0] <= arriveAt) down = d;
    if (down === undefined || publishedAt >= down[1]) continue;
    if (publishedAt <= down[0]) add(down[0], 1);
    else publishedWhileDown.add(msgId);
  }
  return { atStop, publishedWhileDown };
}
