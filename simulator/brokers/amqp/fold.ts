/**
 * Snapshots: the state of a run at one simulated instant, folded from its trace alone (see `trace.ts`).
 *
 * `snapshotAt(trace, atMs)` is pure. For playback, `createSnapshotCursor(trace)` gives the same answers but keeps
 * the fold between calls: `seek(atMs)` forward applies only the new trace entries; a backward seek restores the
 * latest checkpoint at or before `atMs` and applies from there. Checkpoints (copies of the fold state) are taken
 * while folding forward, at least `CHECKPOINT_ENTRIES_MIN` entries apart and further apart when the state is big
 * (a spacing of twice its size), so a seek anywhere costs at most one state copy plus about as many entries as the
 * state is large, and all checkpoints together stay within a small multiple of the trace (raftscope's rewind:
 * checkpoints, then replay).
 *
 * What is derived from where
 * - Topology: producers = connections that publish (labels from `connection-opened`), exchanges from
 *   `exchange-declared` and from `published.exchange` (the default exchange "" is never declared), queues from
 *   `queue-declared`, consumers from `consumer-added` (label = their connection's label), exchange → queue routes
 *   from `routed` (its `via` when the message crossed several exchanges) and from a message's `published` exchange
 *   followed by its `enqueued` queue; producer → exchange pairs from `published`, exchange → exchange hops from
 *   `routed.hops`, queue → dead-letter exchange pairs from `dead-lettered`.
 * - Broker state at `atMs` (entries with `t ≤ atMs` applied in trace order): ready messages per queue, unacked
 *   deliveries per queue and per consumer, crashed/cancelled consumers, counters.
 * - Messages on the wire at `atMs`: spans `[start, end)` taken from the whole trace, so an ack that the broker
 *   processes later (`t`) already travels from its `sentAtMs`:
 *   publish `[t, arriveAtMs)` producer → exchange; deliver `[t, arriveAtMs)` queue → consumer;
 *   ack/nack `[sentAtMs, t)` consumer → queue. `progress = (atMs - start) / (end - start)`.
 * - Processing at a consumer: a manual-ack delivery is "held" by the consumer from its `arriveAtMs` until the
 *   client sends its ack/nack (`sentAtMs`); the first held one is shown as processing, with its progress.
 *
 * Order of `QueueNode.ready`: requeued messages first (in the order they were requeued), then the others in arrival
 * order. RabbitMQ puts a requeued message back at (or near) its original position, i.e. towards the head
 * (https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue); views only draw counts, so this approximation
 * keeps every update O(1) for deep queues.
 *
 * This module imports nothing outside `simulator/` and has no side effects.
 */
import type { TraceEvent, TraceEventOf, TraceReader } from '../../trace.ts';

/** Which node a message travels from or to. `id`: connection id, exchange name, queue name or consumer tag. */
export interface NodeRef {
  kind: 'producer' | 'exchange' | 'queue' | 'consumer';
  id: string;
}

/** A client connection that publishes (or fetches with basic.get). */
export interface ProducerNode {
  connection: string;
  label: string;
  /** Messages this connection published so far (at the snapshot's time; 0 in a `Topology`). */
  published: number;
}

export interface ExchangeNode {
  /** Exchange name; "" is the default exchange. */
  name: string;
  /** Display label: the name, or "(default exchange)" for "". */
  label: string;
  /** Exchange type (`direct`, `fanout`, `topic`, `headers`); the default exchange is `direct`. */
  type: string;
}

export interface QueueNode {
  name: string;
  /**
   * Ids of messages ready for delivery (see module doc for their order): all of them, or the first
   * `readyHeadMax` (cursor option) when there are more.
   */
  ready: string[];
  /** How many messages are ready (`ready.length` unless the list was cut at `readyHeadMax`). */
  readyCount: number;
  /** Deliveries waiting for an ack/nack from a consumer (broker view). */
  unacked: number;
  deleted: boolean;
}

export interface ConsumerNode {
  consumerTag: string;
  /** Display label: the connection's label, e.g. "worker 2". */
  label: string;
  channel: string;
  connection: string;
  queue: string;
  /** True when the consumer uses automatic acknowledgement (basic.consume no-ack). */
  noAck: boolean;
  /** Channel prefetch when the consumer started; 0 = unlimited. */
  prefetch: number;
  /** Ids of messages delivered to this consumer and not yet acked/nacked at the broker, oldest first. */
  unacked: string[];
  /** Ids of messages that reached the consumer and that it has not answered yet, oldest first. */
  holding: string[];
  /** The message being worked on (first held manual-ack delivery) and how far along, 0..1. */
  processing: { msgId: string; progress: number } | null;
  /** Deliveries that reached this consumer so far. */
  received: number;
  crashed: boolean;
  cancelled: boolean;
}

/** A message (or its ack/nack) on the wire. */
export interface InFlight {
  msgId: string;
  from: NodeRef;
  to: NodeRef;
  /** 0 when it leaves `from`, 1 when it reaches `to`. */
  progress: number;
  kind: 'publish' | 'deliver' | 'ack' | 'nack';
  /** For `deliver`: the broker flagged it as redelivered (delivered before and not acked). */
  redelivered: boolean;
  startMs: number;
  endMs: number;
}

/** Running totals at `atMs`. */
export interface Counters {
  published: number;
  delivered: number;
  acked: number;
  nacked: number;
  /** Deliveries with the redelivered flag set. */
  redelivered: number;
  requeued: number;
  /** Messages the broker discarded: unroutable, purged, queue deleted (not auto-acked deliveries). */
  dropped: number;
  /** Deliveries settled at once because the consumer uses automatic acknowledgement. */
  autoAcked: number;
  /** Mandatory messages no queue took, sent back to their publisher (basic.return): not lost. */
  returned: number;
  /** Messages a queue dead-lettered (rejected without requeue, expired, over a length limit) to its DLX. */
  deadLettered: number;
  /**
   * Messages gone for good without being processed: every `dropped` one, plus the noAck deliveries a crashed
   * client held (`consumer-crashed.lostMsgIds`) or that the broker sent to it after it crashed (before it noticed
   * the dropped connection). With automatic acknowledgement the broker keeps no copy, so these are lost
   * (https://www.rabbitmq.com/docs/confirms#acknowledgement-modes).
   */
  lost: number;
}

export interface Snapshot {
  atMs: number;
  nodes: {
    producers: ProducerNode[];
    exchanges: ExchangeNode[];
    queues: QueueNode[];
    consumers: ConsumerNode[];
  };
  inFlight: InFlight[];
  counters: Counters;
}

/** The nodes of a whole run (everything that ever exists in it), for a stable layout. */
export interface Topology {
  producers: ProducerNode[];
  exchanges: ExchangeNode[];
  queues: string[];
  consumers: Array<{ consumerTag: string; label: string; channel: string; connection: string; queue: string }>;
  /** Exchange → queue pairs that messages were routed along (from `routed`), in first-seen order. */
  routes: Array<{ exchange: string; queue: string }>;
  /**
   * Binding keys between an exchange and a queue or exchange (from `queue-bound` / `exchange-bound`), keyed
   * `${source}\u0000${destination}`: what a diagram writes on the edge.
   */
  bindingKeys: Map<string, string[]>;
  /** Producer (connection) → exchange pairs that messages were published along, in first-seen order. */
  publishes: Array<{ connection: string; exchange: string }>;
  /** Exchange → exchange hops messages took (exchange-to-exchange bindings, alternate exchanges), first-seen order. */
  exchangeRoutes: Array<{ from: string; to: string }>;
  /** Queue → dead-letter exchange pairs that messages were dead-lettered along, in first-seen order. */
  deadLetters: Array<{ queue: string; exchange: string }>;
  /** Largest ready depth any queue reached in the run (from `enqueued` / `requeued`), for scaling depth bars. */
  depthMax: number;
}

/** Stable string key of a node, e.g. `queue:tasks`. */
export function nodeKey(ref: NodeRef): string {
  return `${ref.kind}:${ref.id}`;
}

interface WireSpan {
  msgId: string;
  kind: InFlight['kind'];
  from: NodeRef;
  to: NodeRef;
  startMs: number;
  endMs: number;
  redelivered: boolean;
}

interface DeliveryInfo {
  msgId: string;
  queue: string;
  consumerTag: string | null;
  noAck: boolean;
  arriveAtMs: number;
  /** When the client sent its ack/nack; Infinity if it never did. */
  answeredAtMs: number;
}

/** Everything about a trace that does not depend on `atMs`. Built once per trace. */
interface TraceIndex {
  topology: Topology;
  labels: Map<string, string>;
  channelConnection: Map<string, string>;
  spans: WireSpan[];
  deliveries: Map<string, DeliveryInfo>;
}

const DEFAULT_EXCHANGE_LABEL = '(default exchange)';

function deliveryKey(channel: string, deliveryTag: number): string {
  return `${channel}#${deliveryTag}`;
}

/** One pass over the whole trace: topology, wire spans and when each delivery was answered. */
function indexTrace(trace: TraceReader): TraceIndex {
  const labels = new Map<string, string>();
  const channelConnection = new Map<string, string>();
  const producers = new Map<string, ProducerNode>();
  const exchanges = new Map<string, ExchangeNode>();
  const queues = new Set<string>();
  const consumers = new Map<string, Topology['consumers'][number]>();
  const consumerNoAck = new Map<string, boolean>();
  const deliveries = new Map<string, DeliveryInfo>();
  const spans: WireSpan[] = [];
  const routes = new Map<string, { exchange: string; queue: string }>();
  const publishes = new Map<string, { connection: string; exchange: string }>();
  const exchangeRoutes = new Map<string, { from: string; to: string }>();
  const deadLetters = new Map<string, { queue: string; exchange: string }>();
  const bindingKeys = new Map<string, string[]>();
  const addKey = (source: string, destination: string, key: string) => {
    const id = `${source}\u0000${destination}`;
    const keys = bindingKeys.get(id) ?? [];
    if (!keys.includes(key)) keys.push(key);
    bindingKeys.set(id, keys);
  };
  const addOnce = <T>(map: Map<string, T>, a: string, b: string, value: T) => {
    const key = `${a}\u0000${b}`;
    if (!map.has(key)) map.set(key, value);
  };
  let depthMax = 0;
  const publishedTo = new Map<string, string>();
  /** Messages whose current hop has a `routed` entry (cleared when they are dead-lettered). */
  const routedMsgs = new Set<string>();

  const producerOf = (channel: string): NodeRef => {
    const connection = channelConnection.get(channel) ?? channel;
    if (!producers.has(connection)) {
      producers.set(connection, { connection, label: labels.get(connection) ?? connection, published: 0 });
    }
    return { kind: 'producer', id: connection };
  };

  for (const e of trace) {
    switch (e.kind) {
      case 'connection-opened':
        labels.set(e.connection, e.label || e.connection);
        break;
      case 'channel-opened':
        channelConnection.set(e.channel, e.connection);
        break;
      case 'exchange-declared':
        if (!exchanges.has(e.exchange)) exchanges.set(e.exchange, exchangeNode(e.exchange, e.type));
        break;
      case 'queue-declared':
        queues.add(e.queue);
        break;
      case 'queue-bound':
        addKey(e.exchange, e.queue, e.routingKey);
        break;
      case 'exchange-bound':
        addKey(e.source, e.destination, e.routingKey);
        break;
      case 'consumer-added': {
        const connection = channelConnection.get(e.channel) ?? e.channel;
        consumers.set(e.consumerTag, {
          consumerTag: e.consumerTag,
          label: labels.get(connection) ?? e.consumerTag,
          channel: e.channel,
          connection,
          queue: e.queue,
        });
        consumerNoAck.set(e.consumerTag, e.noAck);
        break;
      }
      case 'published': {
        if (!exchanges.has(e.exchange)) exchanges.set(e.exchange, exchangeNode(e.exchange, 'direct'));
        publishedTo.set(e.msgId, e.exchange);
        const from = producerOf(e.channel);
        addOnce(publishes, from.id, e.exchange, { connection: from.id, exchange: e.exchange });
        spans.push({
          msgId: e.msgId, kind: 'publish', from, to: { kind: 'exchange', id: e.exchange },
          startMs: e.t, endMs: e.arriveAtMs, redelivered: false,
        });
        break;
      }
      case 'routed':
        routedMsgs.add(e.msgId);
        e.queues.forEach((queue, i) => {
          const exchange = e.via?.[i] ?? e.exchange;
          addOnce(routes, exchange, queue, { exchange, queue });
        });
        for (const hop of e.hops ?? []) addOnce(exchangeRoutes, hop.from, hop.to, { from: hop.from, to: hop.to });
        break;
      case 'dead-lettered':
        // Its next enqueue comes from the dead-letter exchange, not from the exchange it was first published to.
        publishedTo.set(e.msgId, e.exchange);
        routedMsgs.delete(e.msgId);
        if (!exchanges.has(e.exchange)) exchanges.set(e.exchange, exchangeNode(e.exchange, 'direct'));
        addOnce(deadLetters, e.queue, e.exchange, { queue: e.queue, exchange: e.exchange });
        break;
      case 'enqueued': {
        // A route is also known from publish → enqueue (a broker need not record `routed`); not for a message
        // whose `routed` entry said which exchange delivered it.
        const exchange = routedMsgs.has(e.msgId) ? undefined : publishedTo.get(e.msgId);
        if (exchange !== undefined) addOnce(routes, exchange, e.queue, { exchange, queue: e.queue });
        depthMax = Math.max(depthMax, e.depth);
        break;
      }
      case 'requeued':
        depthMax = Math.max(depthMax, e.depth);
        break;
      case 'delivered':
        indexDelivery(e, spans, deliveries, consumerNoAck, producerOf);
        break;
      case 'acked':
      case 'nacked':
        indexAnswer(e, spans, deliveries, producerOf);
        break;
      default:
        break;
    }
  }
  spans.sort((a, b) => a.startMs - b.startMs);
  // Several consumers on one connection: "worker 1 · consumer 2", so each node has a name of its own.
  const perConnection = new Map<string, number>();
  for (const c of consumers.values()) perConnection.set(c.connection, (perConnection.get(c.connection) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const c of consumers.values()) {
    if ((perConnection.get(c.connection) ?? 0) < 2) continue;
    const n = (seen.get(c.connection) ?? 0) + 1;
    seen.set(c.connection, n);
    c.label = `${c.label} · consumer ${n}`;
  }
  const topology: Topology = {
    producers: [...producers.values()],
    exchanges: [...exchanges.values()],
    queues: [...queues],
    consumers: [...consumers.values()],
    routes: [...routes.values()],
    publishes: [...publishes.values()],
    exchangeRoutes: [...exchangeRoutes.values()],
    deadLetters: [...deadLetters.values()],
    bindingKeys,
    depthMax,
  };
  return { topology, labels, channelConnection, spans, deliveries };
}

function exchangeNode(name: string, type: string): ExchangeNode {
  return { name, label: name === '' ? DEFAULT_EXCHANGE_LABEL : name, type };
}

function indexDelivery(
  e: TraceEventOf<'delivered'>,
  spans: WireSpan[],
  deliveries: Map<string, DeliveryInfo>,
  consumerNoAck: Map<string, boolean>,
  producerOf: (channel: string) => NodeRef,
): void {
  const to: NodeRef = e.consumerTag === null ? producerOf(e.channel) : { kind: 'consumer', id: e.consumerTag };
  const noAck = e.consumerTag !== null && consumerNoAck.get(e.consumerTag) === true;
  deliveries.set(deliveryKey(e.channel, e.deliveryTag), {
    msgId: e.msgId, queue: e.queue, consumerTag: e.consumerTag, noAck, arriveAtMs: e.arriveAtMs,
    answeredAtMs: Infinity,
  });
  spans.push({
    msgId: e.msgId, kind: 'deliver', from: { kind: 'queue', id: e.queue }, to,
    startMs: e.t, endMs: e.arriveAtMs, redelivered: e.redelivered,
  });
}

function indexAnswer(
  e: TraceEventOf<'acked'> | TraceEventOf<'nacked'>,
  spans: WireSpan[],
  deliveries: Map<string, DeliveryInfo>,
  producerOf: (channel: string) => NodeRef,
): void {
  const delivery = deliveries.get(deliveryKey(e.channel, e.deliveryTag));
  if (delivery) delivery.answeredAtMs = Math.min(delivery.answeredAtMs, e.sentAtMs);
  const consumerTag = delivery?.consumerTag;
  const from: NodeRef = consumerTag ? { kind: 'consumer', id: consumerTag } : producerOf(e.channel);
  spans.push({
    msgId: e.msgId, kind: e.kind === 'acked' ? 'ack' : 'nack', from, to: { kind: 'queue', id: e.queue },
    startMs: e.sentAtMs, endMs: e.t, redelivered: false,
  });
}

/** The topology of a whole run: every producer, exchange, queue and consumer that ever appears in `trace`. */
export function topologyOf(trace: TraceReader): Topology {
  return indexTrace(trace).topology;
}

/** State of `snapshotAt` at `atMs`. Pure: same `(trace, atMs)` ⇒ equal snapshot. */
export function snapshotAt(trace: TraceReader, atMs: number): Snapshot {
  return createSnapshotCursor(trace).seek(atMs);
}

/** A cursor over one trace; see the module doc. */
export interface SnapshotCursor {
  /** Snapshot at `atMs` (any number; NaN is treated as 0). */
  seek(atMs: number): Snapshot;
  /** The whole run's topology (stable while the cursor lives). */
  readonly topology: Topology;
  /**
   * Trace indexes `[from, to)` of the entries the last `seek` applied (after a backward seek, from the checkpoint it
   * restored). Lets a live region announce what just happened without another scan.
   */
  readonly lastApplied: { from: number; to: number };
}

/** Options of `createSnapshotCursor`. */
export interface SnapshotCursorOptions {
  /**
   * Most ready message ids listed per queue in a snapshot (the first ones; `readyCount` has the total). A view
   * draws a few; default all of them.
   */
  readyHeadMax?: number;
}

/** Fewest trace entries between two checkpoints of a cursor (see the module doc). */
export const CHECKPOINT_ENTRIES_MIN = 2048;

interface MutableConsumer {
  info: Topology['consumers'][number];
  noAck: boolean;
  prefetch: number;
  /** Delivery keys, oldest first. */
  unacked: Set<string>;
  received: number;
  crashed: boolean;
  cancelled: boolean;
  addedAtMs: number;
}

interface MutableQueue {
  name: string;
  /** Messages enqueued (not requeued) and still ready, in arrival order (a Set keeps insertion order). */
  arrived: Set<string>;
  /** Requeued messages still ready, in requeue order; they come before `arrived`. */
  requeued: string[];
  unacked: number;
  deleted: boolean;
}

interface FoldState {
  next: number;
  atMs: number;
  connectionsOpen: Set<string>;
  exchangesSeen: Set<string>;
  queues: Map<string, MutableQueue>;
  consumers: Map<string, MutableConsumer>;
  /** `${queue}\u0000${msgId}` → delivery key, for deliveries not settled yet. */
  openDeliveries: Map<string, string>;
  counters: Counters;
  /** Messages published so far, per connection. */
  publishedBy: Map<string, number>;
  spanNext: number;
  activeSpans: WireSpan[];
}

/** A deep copy of `state` (a checkpoint, or a restored one the fold may change). */
function cloneState(state: FoldState): FoldState {
  const queues = new Map<string, MutableQueue>();
  for (const [name, q] of state.queues) {
    queues.set(name, { ...q, arrived: new Set(q.arrived), requeued: [...q.requeued] });
  }
  const consumers = new Map<string, MutableConsumer>();
  for (const [tag, c] of state.consumers) consumers.set(tag, { ...c, unacked: new Set(c.unacked) });
  return {
    next: state.next,
    atMs: state.atMs,
    connectionsOpen: new Set(state.connectionsOpen),
    exchangesSeen: new Set(state.exchangesSeen),
    queues,
    consumers,
    openDeliveries: new Map(state.openDeliveries),
    counters: { ...state.counters },
    publishedBy: new Map(state.publishedBy),
    spanNext: state.spanNext,
    activeSpans: [...state.activeSpans],
  };
}

/** Rough size of a state (entries its copy holds): sets a checkpoint's spacing. */
function stateSize(state: FoldState): number {
  let size = state.openDeliveries.size + state.activeSpans.length + state.consumers.size;
  for (const q of state.queues.values()) size += q.arrived.size + q.requeued.length;
  return size;
}

function emptyState(): FoldState {
  return {
    next: 0,
    atMs: -Infinity,
    connectionsOpen: new Set(),
    exchangesSeen: new Set(),
    queues: new Map(),
    consumers: new Map(),
    openDeliveries: new Map(),
    counters: {
      published: 0, delivered: 0, acked: 0, nacked: 0, redelivered: 0, requeued: 0, dropped: 0, autoAcked: 0,
      returned: 0, deadLettered: 0, lost: 0,
    },
    publishedBy: new Map(),
    spanNext: 0,
    activeSpans: [],
  };
}

/**
 * A cursor that folds `trace` incrementally. The trace must not change while the cursor is used (make a new cursor
 * for a new run). Entries must be in non-decreasing `t`, as the engine records them.
 */
export function createSnapshotCursor(trace: TraceReader, options: SnapshotCursorOptions = {}): SnapshotCursor {
  const index = indexTrace(trace);
  const readyHeadMax = options.readyHeadMax ?? Infinity;
  let state = emptyState();
  /** Checkpoints in trace order: each valid for a seek to any time ≥ its `atMs`. */
  const checkpoints: FoldState[] = [];
  let spacing = CHECKPOINT_ENTRIES_MIN;
  const lastApplied = { from: 0, to: 0 };
  const maybeCheckpoint = (atMs: number) => {
    const last = checkpoints[checkpoints.length - 1];
    if (state.next - (last?.next ?? 0) < spacing) return;
    advanceSpans(state, index, atMs);
    state.atMs = atMs;
    checkpoints.push(cloneState(state));
    spacing = Math.max(CHECKPOINT_ENTRIES_MIN, 2 * stateSize(state));
  };
  return {
    topology: index.topology,
    lastApplied,
    seek(rawAtMs: number): Snapshot {
      const atMs = Number.isNaN(rawAtMs) ? 0 : rawAtMs;
      // The latest checkpoint at or before atMs (checkpoints are in time order): restored when going back, and
      // when going forward past it (applying everything in between would cost more than the copy).
      let k = checkpoints.length - 1;
      while (k >= 0 && checkpoints[k].atMs > atMs) k--;
      if (atMs < state.atMs) state = k >= 0 ? cloneState(checkpoints[k]) : emptyState();
      else if (k >= 0 && checkpoints[k].next > state.next + spacing) state = cloneState(checkpoints[k]);
      lastApplied.from = state.next;
      for (let e = trace.at(state.next); e !== undefined && e.t <= atMs; e = trace.at(state.next)) {
        applyEvent(state, index, e);
        state.next++;
        // A checkpoint only between two instants (never inside a group of entries at one t).
        const following = trace.at(state.next);
        if (following !== undefined && following.t > e.t && (checkpoints.length === 0
          || checkpoints[checkpoints.length - 1].atMs <= e.t)) maybeCheckpoint(e.t);
      }
      lastApplied.to = state.next;
      advanceSpans(state, index, atMs);
      state.atMs = atMs;
      return buildSnapshot(state, index, atMs, readyHeadMax);
    },
  };
}

function queueOf(state: FoldState, name: string): MutableQueue {
  let queue = state.queues.get(name);
  if (!queue) {
    queue = { name, arrived: new Set(), requeued: [], unacked: 0, deleted: false };
    state.queues.set(name, queue);
  }
  return queue;
}

function isReady(queue: MutableQueue, msgId: string): boolean {
  return queue.arrived.has(msgId) || queue.requeued.includes(msgId);
}

function removeReady(queue: MutableQueue, msgId: string): void {
  if (queue.arrived.delete(msgId)) return;
  const at = queue.requeued.indexOf(msgId);
  if (at >= 0) queue.requeued.splice(at, 1);
}

/** Settles the open delivery of `msgId` on `queue` (ack, nack, requeue): it stops counting as unacked. */
function settle(state: FoldState, index: TraceIndex, queueName: string, msgId: string, key?: string): void {
  const openKey = `${queueName}\u0000${msgId}`;
  const dKey = key ?? state.openDeliveries.get(openKey);
  if (dKey === undefined || state.openDeliveries.get(openKey) !== dKey) return;
  state.openDeliveries.delete(openKey);
  const queue = queueOf(state, queueName);
  queue.unacked = Math.max(0, queue.unacked - 1);
  const tag = index.deliveries.get(dKey)?.consumerTag;
  if (tag) state.consumers.get(tag)?.unacked.delete(dKey);
}

function applyEvent(state: FoldState, index: TraceIndex, e: TraceEvent): void {
  switch (e.kind) {
    case 'connection-opened':
      state.connectionsOpen.add(e.connection);
      break;
    case 'exchange-declared':
      state.exchangesSeen.add(e.exchange);
      break;
    case 'queue-declared':
      queueOf(state, e.queue).deleted = false;
      break;
    case 'queue-deleted':
    case 'queue-purged': {
      const queue = queueOf(state, e.queue);
      queue.arrived.clear();
      queue.requeued = [];
      if (e.kind === 'queue-deleted') queue.deleted = true;
      break;
    }
    case 'consumer-added': {
      const info = index.topology.consumers.find((c) => c.consumerTag === e.consumerTag);
      if (info) {
        state.consumers.set(e.consumerTag, {
          info, noAck: e.noAck, prefetch: e.prefetch, unacked: new Set(), received: 0,
          crashed: false, cancelled: false, addedAtMs: e.t,
        });
      }
      break;
    }
    case 'consumer-cancelled': {
      const consumer = state.consumers.get(e.consumerTag);
      if (consumer) consumer.cancelled = true;
      break;
    }
    case 'consumer-crashed':
      for (const consumer of state.consumers.values()) {
        if (consumer.info.connection === e.connection || consumer.info.channel === e.channel) consumer.crashed = true;
      }
      if (e.lostMsgIds !== undefined) state.counters.lost += e.lostMsgIds.length;
      break;
    case 'published': {
      state.counters.published++;
      state.exchangesSeen.add(e.exchange);
      const connection = index.channelConnection.get(e.channel) ?? e.channel;
      state.connectionsOpen.add(connection);
      state.publishedBy.set(connection, (state.publishedBy.get(connection) ?? 0) + 1);
      break;
    }
    case 'enqueued': {
      const queue = queueOf(state, e.queue);
      if (!isReady(queue, e.msgId)) queue.arrived.add(e.msgId);
      break;
    }
    case 'requeued': {
      settle(state, index, e.queue, e.msgId);
      const queue = queueOf(state, e.queue);
      if (!isReady(queue, e.msgId)) queue.requeued.push(e.msgId);
      state.counters.requeued++;
      break;
    }
    case 'delivered':
      applyDelivered(state, index, e);
      break;
    case 'acked':
    case 'nacked':
      settle(state, index, e.queue, e.msgId, deliveryKey(e.channel, e.deliveryTag));
      if (e.kind === 'acked') state.counters.acked++;
      else state.counters.nacked++;
      break;
    case 'dropped':
      if (e.reason === 'acked-on-delivery') state.counters.autoAcked++;
      else if (e.reason === 'returned') state.counters.returned++;
      else {
        state.counters.dropped++;
        state.counters.lost++;
      }
      if (e.queue !== undefined) removeReady(queueOf(state, e.queue), e.msgId);
      else for (const queue of state.queues.values()) removeReady(queue, e.msgId);
      break;
    case 'dead-lettered':
      state.counters.deadLettered++;
      // An expired message leaves the ready list of its queue; a rejected one had left it when it was delivered.
      if (e.reason !== 'rejected') removeReady(queueOf(state, e.queue), e.msgId);
      break;
    default:
      break;
  }
}

function applyDelivered(state: FoldState, index: TraceIndex, e: TraceEventOf<'delivered'>): void {
  const queue = queueOf(state, e.queue);
  removeReady(queue, e.msgId);
  state.counters.delivered++;
  if (e.redelivered) state.counters.redelivered++;
  const key = deliveryKey(e.channel, e.deliveryTag);
  const info = index.deliveries.get(key);
  const consumer = e.consumerTag ? state.consumers.get(e.consumerTag) : undefined;
  if (consumer) consumer.received++;
  if (info?.noAck) {
    // Sent to a client that already died: no one will process it and the broker kept no copy.
    if (consumer?.crashed) state.counters.lost++;
    return;
  }
  queue.unacked++;
  state.openDeliveries.set(`${e.queue}\u0000${e.msgId}`, key);
  consumer?.unacked.add(key);
}

/** Moves the active wire spans to `atMs`: start ≤ atMs < end. */
function advanceSpans(state: FoldState, index: TraceIndex, atMs: number): void {
  const spans = index.spans;
  while (state.spanNext < spans.length && spans[state.spanNext].startMs <= atMs) {
    state.activeSpans.push(spans[state.spanNext]);
    state.spanNext++;
  }
  if (state.activeSpans.some((span) => span.endMs <= atMs)) {
    state.activeSpans = state.activeSpans.filter((span) => span.endMs > atMs);
  }
}

function buildSnapshot(state: FoldState, index: TraceIndex, atMs: number, readyHeadMax = Infinity): Snapshot {
  const { topology } = index;
  const producers = topology.producers.filter((p) => state.connectionsOpen.has(p.connection))
    .map((p) => ({ ...p, published: state.publishedBy.get(p.connection) ?? 0 }));
  const exchanges = topology.exchanges.filter((x) => state.exchangesSeen.has(x.name));
  const queues: QueueNode[] = [];
  for (const name of topology.queues) {
    const queue = state.queues.get(name);
    if (queue) {
      const readyCount = queue.requeued.length + queue.arrived.size;
      queues.push({
        name, ready: readyHead(queue, readyHeadMax), readyCount, unacked: queue.unacked, deleted: queue.deleted,
      });
    }
  }
  const consumers: ConsumerNode[] = [];
  for (const info of topology.consumers) {
    const consumer = state.consumers.get(info.consumerTag);
    if (consumer) consumers.push(consumerNode(consumer, index, atMs));
  }
  const inFlight: InFlight[] = state.activeSpans.map((span) => ({
    msgId: span.msgId,
    from: span.from,
    to: span.to,
    kind: span.kind,
    redelivered: span.redelivered,
    startMs: span.startMs,
    endMs: span.endMs,
    progress: span.endMs > span.startMs ? (atMs - span.startMs) / (span.endMs - span.startMs) : 1,
  }));
  return { atMs, nodes: { producers, exchanges, queues, consumers }, inFlight, counters: { ...state.counters } };
}

/** The first `max` ready ids of `queue` (requeued first, then arrived). */
function readyHead(queue: MutableQueue, max: number): string[] {
  if (queue.requeued.length + queue.arrived.size <= max) return [...queue.requeued, ...queue.arrived];
  const head = queue.requeued.slice(0, max);
  for (const id of queue.arrived) {
    if (head.length >= max) break;
    head.push(id);
  }
  return head;
}

function consumerNode(consumer: MutableConsumer, index: TraceIndex, atMs: number): ConsumerNode {
  const unacked: string[] = [];
  const holding: string[] = [];
  let processing: ConsumerNode['processing'] = null;
  for (const key of consumer.unacked) {
    const delivery = index.deliveries.get(key);
    if (!delivery) continue;
    unacked.push(delivery.msgId);
    if (consumer.crashed || delivery.arriveAtMs > atMs || delivery.answeredAtMs <= atMs) continue;
    holding.push(delivery.msgId);
    if (processing === null) {
      const spanMs = delivery.answeredAtMs - delivery.arriveAtMs;
      const progress = Number.isFinite(spanMs) && spanMs > 0 ? (atMs - delivery.arriveAtMs) / spanMs : 0;
      processing = { msgId: delivery.msgId, progress };
    }
  }
  return {
    consumerTag: consumer.info.consumerTag,
    label: consumer.info.label,
    channel: consumer.info.channel,
    connection: consumer.info.connection,
    queue: consumer.info.queue,
    noAck: consumer.noAck,
    prefetch: consumer.prefetch,
    unacked,
    holding,
    processing,
    received: consumer.received,
    crashed: consumer.crashed,
    cancelled: consumer.cancelled,
  };
}
