/**
 * The AMQP view's words: one sentence for a notable trace entry ("m3 delivered to worker 2"), for the lesson's live
 * region, and the choice of the most notable entry among many (failures beat routine traffic). Names come from the
 * run's topology (connection labels, consumer labels).
 */
import type { TraceEvent } from '../../trace.ts';

/** Display names: consumer tag → label, channel → its connection's label. */
export interface AmqpNames {
  consumerLabel(consumerTag: string): string;
  channelLabel(channel: string): string;
}

/** One sentence for a notable trace entry, or null for bookkeeping entries not worth a screen reader's time. */
export function describeEvent(e: TraceEvent, names: AmqpNames): string | null {
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
      if (e.reason === 'acked-on-delivery') return null;
      return e.reason === 'returned' ? `${e.msgId} returned to its publisher (no queue took it)` : `${e.msgId} dropped (${e.reason})`;
    case 'dead-lettered':
      return `${e.msgId} dead-lettered from ${e.queue} (${e.reason}) to exchange ${e.exchange || '(default)'}`;
    case 'consumer-crashed':
      return `${names.channelLabel(e.channel)} crashed`;
    case 'consumer-cancelled':
      return `consumer ${names.consumerLabel(e.consumerTag)} cancelled`;
    case 'program-error':
      return `program error: ${e.message}`;
    case 'process-exited':
      return `${e.process} ${e.how === 'killed' ? 'was killed' : e.how === 'failed' ? 'failed' : 'exited'}`;
    default:
      return null;
  }
}

/** Priority of a sentence when several events fall in one step: failures beat routine traffic. */
function weight(e: TraceEvent): number {
  if (e.kind === 'consumer-crashed' || e.kind === 'program-error' || e.kind === 'process-exited') return 3;
  if (e.kind === 'requeued' || e.kind === 'dropped' || e.kind === 'nacked' || e.kind === 'dead-lettered') return 2;
  if (e.kind === 'delivered' && e.redelivered) return 2;
  return e.kind === 'published' ? 0 : 1;
}

/** The sentence for a batch of entries: the most important, the latest among equals; null if none is notable. */
export function summarize(entries: Iterable<TraceEvent>, names: AmqpNames): string | null {
  let best: { text: string; weight: number } | null = null;
  for (const e of entries) {
    const text = describeEvent(e, names);
    if (text === null) continue;
    const w = weight(e);
    if (best === null || w >= best.weight) best = { text, weight: w };
  }
  return best?.text ?? null;
}
