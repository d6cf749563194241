/**
 * The AMQP view's message inspector: for each message of a run, its body, properties, headers and whole history
 * with times (published → routed → enqueued → delivered → acked / rejected / requeued / dead-lettered / dropped),
 * in RabbitMQ's terms. Built from the trace in one pass on first use.
 */
import type { TraceEvent, TraceReader } from '../../trace.ts';
import type { MessageDetail, MessageEvent } from '../../view/model.ts';
import type { AmqpNames } from './view-words.ts';

interface Entry {
  preview: string;
  body?: string;
  properties: Array<[string, string]>;
  headers: Array<[string, string]>;
  history: MessageEvent[];
}

/** Reasons a message left the broker, in words. */
const DROP_WORDS: Record<string, string> = {
  unroutable: 'dropped: no queue was bound for its routing key (unroutable)',
  'queue-deleted': 'dropped: its queue was deleted',
  purged: 'dropped: its queue was purged',
  'acked-on-delivery': 'settled on delivery (automatic acknowledgement): the broker keeps no copy',
  expired: 'dropped: its TTL expired',
  maxlen: 'dropped: the queue was over its length limit',
  returned: 'returned to its publisher (basic.return): mandatory, and no queue took it',
};

/** Index of every message of `trace`: id → what the inspector shows. */
export function indexMessages(trace: TraceReader, names: AmqpNames): { ids: string[]; details: Map<string, Entry> } {
  const details = new Map<string, Entry>();
  const ids: string[] = [];
  const entry = (msgId: string): Entry => {
    let found = details.get(msgId);
    if (found === undefined) {
      found = { preview: '', properties: [], headers: [], history: [] };
      details.set(msgId, found);
      ids.push(msgId);
    }
    return found;
  };
  for (const e of trace) {
    if (!('msgId' in e)) {
      if (e.kind === 'consumer-crashed') {
        for (const id of e.lostMsgIds ?? []) {
          entry(id).history.push({ atMs: e.t, text: `lost: ${names.channelLabel(e.channel)} crashed holding it (automatic acknowledgement)` });
        }
      }
      continue;
    }
    const m = entry(e.msgId);
    const text = historyText(e, m, names);
    if (text !== null) m.history.push({ atMs: e.t, text });
  }
  return { ids, details };
}

function historyText(e: TraceEvent, m: Entry, names: AmqpNames): string | null {
  switch (e.kind) {
    case 'published':
      m.preview = e.preview;
      if (m.properties.length === 0) {
        m.properties.push(['exchange', e.exchange === '' ? '(default exchange)' : e.exchange],
          ['routing key', e.routingKey], ['published by', names.channelLabel(e.channel)]);
      }
      return `published by ${names.channelLabel(e.channel)} to ${e.exchange === '' ? 'the default exchange' : `exchange ${e.exchange}`} with routing key "${e.routingKey}" (arrives at ${e.arriveAtMs} ms)`;
    case 'message-properties':
      m.body = e.body;
      m.properties.push(...e.properties);
      m.headers.push(...e.headers);
      return null;
    case 'routed':
      return e.queues.length === 0 ? `routed by ${e.exchange || 'the default exchange'} to no queue`
        : `routed by ${e.exchange || 'the default exchange'} to ${e.queues.join(', ')}`;
    case 'enqueued':
      return `enqueued in ${e.queue} (${e.depth} ready)`;
    case 'requeued':
      return `back in ${e.queue}, ready again (${e.depth} ready)`;
    case 'delivered': {
      const to = e.consumerTag ? names.consumerLabel(e.consumerTag) : `${names.channelLabel(e.channel)} (basic.get)`;
      return `${e.redelivered ? 'redelivered' : 'delivered'} from ${e.queue} to ${to}, delivery tag ${e.deliveryTag} (arrives at ${e.arriveAtMs} ms)`;
    }
    case 'acked':
      return `acknowledged by ${names.channelLabel(e.channel)} (sent at ${e.sentAtMs} ms)`;
    case 'nacked':
      return `rejected by ${names.channelLabel(e.channel)} (sent at ${e.sentAtMs} ms), ${e.requeue ? 'to be requeued' : 'not requeued'}`;
    case 'dead-lettered':
      return `dead-lettered from ${e.queue} (${e.reason}) to ${e.exchange === '' ? 'the default exchange' : `exchange ${e.exchange}`} with routing key "${e.routingKey}"`;
    case 'dropped':
      return `${DROP_WORDS[e.reason] ?? `dropped (${e.reason})`}${e.queue === undefined ? '' : ` in ${e.queue}`}`;
    default:
      return null;
  }
}

/** The inspector's detail of one indexed message. */
export function messageDetail(msgId: string, m: Entry): MessageDetail {
  return {
    msgId,
    title: m.preview === '' ? msgId : `${msgId} · ${m.preview}`,
    body: m.body ?? m.preview,
    properties: m.properties,
    headers: m.headers,
    history: m.history,
  };
}
