/**
 * Queries over a run of the AMQP model for exercise checks: the facts a check judges — who connected, which
 * messages were published where, which queue got them, who they were delivered to (and redelivered), which were
 * acknowledged, rejected, dead-lettered or dropped, which consumers existed with which options, which connections
 * crashed — read from the trace alone (`simulator/trace.ts`), in the model's terms. A check reads the run, never the
 * program's source text.
 *
 * The trace of a check is untrusted (a learner's run crossing from a worker, or garbage in a test): entries that do
 * not have the shape of their kind are skipped, never thrown on.
 */
import type { TraceEvent } from '../../trace.ts';

/** A connection of the run. */
export interface ConnectionFact {
  id: string;
  label: string;
  /** When it closed (client close, broker close or crash), if it did. */
  closedAtMs?: number;
  /** True when its process died (a crash or `process.exit` with the connection open). */
  crashed: boolean;
}

/** A published message. */
export interface MessageFact {
  msgId: string;
  preview: string;
  exchange: string;
  routingKey: string;
  publishedAtMs: number;
  channel: string;
  connection: string;
  /** Queues it was enqueued in (by routing or dead-lettering), in order. */
  queues: string[];
  /** Properties and headers, when the trace kept them (`message-properties`). */
  properties: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

/** A delivery (basic.deliver, or basic.get when `consumerTag` is null). */
export interface DeliveryFact {
  msgId: string;
  queue: string;
  channel: string;
  connection: string;
  consumerTag: string | null;
  deliveryTag: number;
  redelivered: boolean;
  atMs: number;
  arriveAtMs: number;
  /** How the delivery was settled: ack, nack/reject (with requeue or not), automatically (noAck), or not. */
  settled: 'ack' | 'requeue' | 'reject' | 'auto' | 'none';
  /** When the client sent the settlement (for ack / nack), simulated ms. */
  settledSentAtMs?: number;
}

/** A consumer (basic.consume). */
export interface ConsumerFact {
  consumerTag: string;
  queue: string;
  channel: string;
  connection: string;
  noAck: boolean;
  prefetch: number;
  addedAtMs: number;
}

/** A queue declared in the run. */
export interface QueueFact {
  name: string;
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
}

/** A console line (with the process that printed it, in a run of several). */
export interface LineFact {
  atMs: number;
  level: string;
  text: string;
  process?: string;
}

/** Everything a check can ask about an AMQP run. */
export interface AmqpFacts {
  connections: Map<string, ConnectionFact>;
  messages: Map<string, MessageFact>;
  deliveries: DeliveryFact[];
  consumers: ConsumerFact[];
  queues: Map<string, QueueFact>;
  exchanges: Map<string, string>;
  bindings: Array<{ exchange: string; queue: string; routingKey: string }>;
  deadLettered: Array<{ msgId: string; queue: string; exchange: string; routingKey: string; reason: string; atMs: number }>;
  dropped: Array<{ msgId: string; reason: string; queue?: string; atMs: number }>;
  lines: LineFact[];
  errors: Array<{ message: string; process?: string; line?: number }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads the facts of an AMQP run from its trace (entries of the wrong shape are skipped). */
export function amqpFacts(trace: readonly unknown[]): AmqpFacts {
  const facts: AmqpFacts = {
    connections: new Map(), messages: new Map(), deliveries: [], consumers: [], queues: new Map(), exchanges: new Map(),
    bindings: [], deadLettered: [], dropped: [], lines: [], errors: [],
  };
  const channelConnection = new Map<string, string>();
  const connectionOf = (channel: string) => channelConnection.get(channel) ?? channel.split('.')[0];
  const open = new Map<string, DeliveryFact>(); // `${channel}#${tag}`
  const noAckTags = new Set<string>();
  for (const raw of trace) {
    if (!isRecord(raw) || !str(raw.kind) || !num(raw.t)) continue;
    const e = raw as unknown as TraceEvent;
    switch (e.kind) {
      case 'connection-opened':
        if (str(e.connection)) facts.connections.set(e.connection, { id: e.connection, label: String(e.label ?? e.connection), crashed: false });
        break;
      case 'connection-closed': {
        const c = facts.connections.get(e.connection);
        if (c && c.closedAtMs === undefined) c.closedAtMs = e.t;
        break;
      }
      case 'consumer-crashed': {
        const c = facts.connections.get(e.connection);
        if (c) c.crashed = true;
        break;
      }
      case 'channel-opened':
        if (str(e.channel) && str(e.connection)) channelConnection.set(e.channel, e.connection);
        break;
      case 'queue-declared':
        if (str(e.queue)) facts.queues.set(e.queue, { name: e.queue, durable: !!e.durable, exclusive: !!e.exclusive, autoDelete: !!e.autoDelete });
        break;
      case 'exchange-declared':
        if (str(e.exchange)) facts.exchanges.set(e.exchange, String(e.type));
        break;
      case 'queue-bound':
        if (str(e.queue) && str(e.exchange)) facts.bindings.push({ exchange: e.exchange, queue: e.queue, routingKey: String(e.routingKey) });
        break;
      case 'consumer-added':
        if (!str(e.consumerTag) || !str(e.channel)) break;
        if (e.noAck) noAckTags.add(e.consumerTag);
        facts.consumers.push({
          consumerTag: e.consumerTag, queue: String(e.queue), channel: e.channel, connection: connectionOf(e.channel),
          noAck: !!e.noAck, prefetch: num(e.prefetch) ? e.prefetch : 0, addedAtMs: e.t,
        });
        break;
      case 'published':
        if (!str(e.msgId) || !str(e.channel)) break;
        facts.messages.set(e.msgId, {
          msgId: e.msgId, preview: String(e.preview ?? ''), exchange: String(e.exchange), routingKey: String(e.routingKey),
          publishedAtMs: e.t, channel: e.channel, connection: connectionOf(e.channel), queues: [], properties: {}, headers: {},
        });
        break;
      case 'message-properties': {
        const m = facts.messages.get(e.msgId);
        if (!m) break;
        if (str(e.body)) m.body = e.body;
        if (Array.isArray(e.properties)) for (const [k, v] of e.properties) m.properties[String(k)] = String(v);
        if (Array.isArray(e.headers)) for (const [k, v] of e.headers) m.headers[String(k)] = String(v);
        break;
      }
      case 'enqueued':
        facts.messages.get(e.msgId)?.queues.push(String(e.queue));
        break;
      case 'delivered': {
        if (!str(e.msgId) || !str(e.channel)) break;
        const auto = e.consumerTag !== null && noAckTags.has(String(e.consumerTag));
        const d: DeliveryFact = {
          msgId: e.msgId, queue: String(e.queue), channel: e.channel, connection: connectionOf(e.channel),
          consumerTag: e.consumerTag === null ? null : String(e.consumerTag), deliveryTag: Number(e.deliveryTag),
          redelivered: !!e.redelivered, atMs: e.t, arriveAtMs: num(e.arriveAtMs) ? e.arriveAtMs : e.t,
          settled: auto ? 'auto' : 'none',
        };
        facts.deliveries.push(d);
        if (!auto) open.set(`${e.channel}#${e.deliveryTag}`, d);
        break;
      }
      case 'acked':
      case 'nacked': {
        const key = `${e.channel}#${e.deliveryTag}`;
        const d = open.get(key);
        if (!d) break;
        open.delete(key);
        d.settled = e.kind === 'acked' ? 'ack' : e.requeue ? 'requeue' : 'reject';
        d.settledSentAtMs = num(e.sentAtMs) ? e.sentAtMs : e.t;
        break;
      }
      case 'dead-lettered':
        facts.deadLettered.push({ msgId: String(e.msgId), queue: String(e.queue), exchange: String(e.exchange),
          routingKey: String(e.routingKey), reason: String(e.reason), atMs: e.t });
        break;
      case 'dropped':
        facts.dropped.push({ msgId: String(e.msgId), reason: String(e.reason), ...(str(e.queue) ? { queue: e.queue } : {}), atMs: e.t });
        break;
      case 'console':
        if (str(e.text)) facts.lines.push({ atMs: e.t, level: String(e.level), text: e.text, ...(str(e.process) ? { process: e.process } : {}) });
        break;
      case 'program-error':
        facts.errors.push({ message: String(e.message), ...(str(e.process) ? { process: e.process } : {}), ...(num(e.line) ? { line: e.line } : {}) });
        break;
      default:
        break;
    }
  }
  return facts;
}

/** The deliveries of `msgId`, in order. */
export function deliveriesOf(facts: AmqpFacts, msgId: string): DeliveryFact[] {
  return facts.deliveries.filter((d) => d.msgId === msgId);
}

/** Whether `msgId` was acknowledged by some consumer (or settled automatically on delivery). */
export function wasProcessed(facts: AmqpFacts, msgId: string): boolean {
  return facts.deliveries.some((d) => d.msgId === msgId && (d.settled === 'ack' || d.settled === 'auto'));
}

/** The label of the connection a delivery or message went through (for feedback sentences). */
export function connectionLabel(facts: AmqpFacts, connection: string): string {
  return facts.connections.get(connection)?.label ?? connection;
}

/** Console lines printed by `process` (or all lines when the run had one process), matching `pattern`. */
export function linesMatching(facts: AmqpFacts, pattern: RegExp, process?: string): LineFact[] {
  return facts.lines.filter((l) => (process === undefined || l.process === process) && pattern.test(l.text));
}
