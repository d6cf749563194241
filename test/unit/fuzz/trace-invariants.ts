/**
 * Invariants every trace must keep, checked by folding the trace alone (no access to the model), so they hold for
 * what the views see. `traceViolations(trace, options)` returns human-readable violations ([] = all hold).
 *
 * 1. Time never goes back: `t` is non-decreasing.
 * 2. Every published message is accounted for: it is enqueued, or dropped (unroutable, …), or its channel was
 *    closed by the time it reached the broker (the server discards frames on a closed channel, AMQP 0-9-1 §4.2.2;
 *    a publish to a missing exchange closes the channel with 404, which is recorded as `channel-closed`).
 * 3. A message is never delivered while it is delivered-and-unsettled elsewhere: each `delivered` finds the message
 *    ready in its queue (not on a channel awaiting ack) — RabbitMQ gives a message to one consumer at a time
 *    (https://www.rabbitmq.com/docs/consumers).
 * 4. Queue depth never goes negative, and the `depth` each `enqueued` / `requeued` entry carries equals the depth
 *    the fold computes.
 * 5. Delivery tags on a channel count up by one from 1 (AMQP 0-9-1 basic.deliver: "the server MUST NOT use a zero
 *    value", channel-scoped, monotonically increasing).
 * 6. With `manualAcks` (every consumer acks manually; no nack without requeue, no purge or delete): nothing is lost,
 *    even when consumers crash — at the end each message is acked exactly once, or still ready in its queue, or
 *    unacked on a channel that is still open (the run stopped before it was processed).
 */
import type { TraceEvent, TraceReader } from '../../../simulator/trace.ts';

type MessageState =
  | { at: 'wire'; channel: string; arriveAtMs: number }
  | { at: 'ready'; queue: string }
  | { at: 'unacked'; queue: string; channel: string; deliveryTag: number }
  | { at: 'acked' }
  | { at: 'gone'; why: string };

export interface InvariantOptions {
  /** Check invariant 6 (no loss with manual acks). */
  manualAcks?: boolean;
}

export function traceViolations(input: TraceReader, options: InvariantOptions = {}): string[] {
  const trace = [...input];
  const problems: string[] = [];
  const fail = (i: number, text: string) => {
    if (problems.length < 20) problems.push(`#${i} t=${trace[i]?.t}: ${text}`);
  };
  const messages = new Map<string, MessageState>();
  const depth = new Map<string, number>();
  const lastTag = new Map<string, number>();
  const closedAtMs = new Map<string, number>();
  const ackCount = new Map<string, number>();
  /** Messages ready in each queue (for purge / delete). */
  const readyIn = new Map<string, Set<string>>();
  const ready = (queue: string) => {
    let set = readyIn.get(queue);
    if (set === undefined) readyIn.set(queue, (set = new Set()));
    return set;
  };
  const addDepth = (i: number, queue: string, delta: number) => {
    const d = (depth.get(queue) ?? 0) + delta;
    if (d < 0) fail(i, `queue ${queue} depth went negative (${d})`);
    depth.set(queue, d);
    return d;
  };

  let lastT = -Infinity;
  for (let i = 0; i < trace.length; i++) {
    const e = trace[i];
    if (!(e.t >= lastT)) fail(i, `time went back from ${lastT} to ${e.t}`);
    lastT = e.t;
    switch (e.kind) {
      case 'published':
        if (messages.has(e.msgId)) fail(i, `message id ${e.msgId} published twice`);
        messages.set(e.msgId, { at: 'wire', channel: e.channel, arriveAtMs: e.arriveAtMs });
        break;
      case 'enqueued': {
        const m = messages.get(e.msgId);
        if (m?.at !== 'wire') fail(i, `${e.msgId} enqueued but it was ${m?.at ?? 'never published'}`);
        messages.set(e.msgId, { at: 'ready', queue: e.queue });
        ready(e.queue).add(e.msgId);
        const d = addDepth(i, e.queue, 1);
        if (d !== e.depth) fail(i, `${e.msgId} enqueued with depth ${e.depth}, fold says ${d}`);
        break;
      }
      case 'requeued': {
        const m = messages.get(e.msgId);
        if (m?.at !== 'unacked') fail(i, `${e.msgId} requeued but it was ${m?.at ?? 'unknown'}`);
        messages.set(e.msgId, { at: 'ready', queue: e.queue });
        ready(e.queue).add(e.msgId);
        const d = addDepth(i, e.queue, 1);
        if (d !== e.depth) fail(i, `${e.msgId} requeued with depth ${e.depth}, fold says ${d}`);
        break;
      }
      case 'delivered': {
        const m = messages.get(e.msgId);
        if (m?.at === 'unacked') {
          fail(i, `${e.msgId} delivered on ${e.channel} while still unacked on ${m.channel} (tag ${m.deliveryTag})`);
        } else if (m?.at !== 'ready' || m.queue !== e.queue) {
          fail(i, `${e.msgId} delivered from ${e.queue} but it was ${m?.at ?? 'unknown'}`);
        }
        ready(e.queue).delete(e.msgId);
        addDepth(i, e.queue, -1);
        const expected = (lastTag.get(e.channel) ?? 0) + 1;
        if (e.deliveryTag !== expected) {
          fail(i, `delivery tag ${e.deliveryTag} on ${e.channel}, expected ${expected}`);
        }
        lastTag.set(e.channel, e.deliveryTag);
        messages.set(e.msgId, { at: 'unacked', queue: e.queue, channel: e.channel, deliveryTag: e.deliveryTag });
        break;
      }
      case 'acked':
      case 'nacked': {
        const m = messages.get(e.msgId);
        if (m?.at !== 'unacked' || m.channel !== e.channel || m.deliveryTag !== e.deliveryTag) {
          fail(i, `${e.kind} ${e.msgId} (tag ${e.deliveryTag} on ${e.channel}) but it was ${m?.at ?? 'unknown'}`);
        }
        if (e.kind === 'acked') {
          ackCount.set(e.msgId, (ackCount.get(e.msgId) ?? 0) + 1);
          messages.set(e.msgId, { at: 'acked' });
        } else if (!e.requeue) {
          messages.set(e.msgId, { at: 'gone', why: 'nacked without requeue' });
        }
        // nack with requeue: the `requeued` entry that follows moves it back to ready.
        break;
      }
      case 'dropped': {
        const m = messages.get(e.msgId);
        if (e.reason === 'acked-on-delivery') {
          if (m?.at !== 'unacked') fail(i, `${e.msgId} auto-acked but it was ${m?.at ?? 'unknown'}`);
          messages.set(e.msgId, { at: 'acked' });
        } else {
          if (m === undefined || m.at === 'acked' || m.at === 'gone') {
            fail(i, `${e.msgId} dropped (${e.reason}) but it was ${m?.at ?? 'unknown'}`);
          }
          messages.set(e.msgId, { at: 'gone', why: `dropped: ${e.reason}` });
        }
        break;
      }
      case 'queue-purged':
      case 'queue-deleted': {
        const set = ready(e.queue);
        if (set.size !== e.messageCount) fail(i, `${e.kind} ${e.queue} says ${e.messageCount}, fold has ${set.size}`);
        for (const id of set) messages.set(id, { at: 'gone', why: e.kind });
        set.clear();
        addDepth(i, e.queue, -(depth.get(e.queue) ?? 0));
        break;
      }
      case 'channel-closed':
        closedAtMs.set(e.channel, e.t);
        break;
      default:
        break;
    }
  }

  for (const [id, m] of messages) {
    if (m.at === 'wire') {
      const closed = closedAtMs.get(m.channel);
      const stillTravelling = m.arriveAtMs >= lastT;
      if (!stillTravelling && (closed === undefined || closed > m.arriveAtMs)) {
        problems.push(`${id} was published on ${m.channel} but never enqueued or dropped, and its channel was open`);
      }
    }
    if (options.manualAcks) {
      if ((ackCount.get(id) ?? 0) > 1) problems.push(`${id} acked ${ackCount.get(id)} times`);
      if (m.at === 'gone') problems.push(`${id} lost with manual acks (${m.why})`);
      if (m.at === 'unacked' && closedAtMs.has(m.channel)) {
        problems.push(`${id} unacked on ${m.channel}, which closed without requeueing it`);
      }
    }
  }
  return problems;
}
