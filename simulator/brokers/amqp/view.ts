/**
 * The AMQP plugin's view half (see `../plugin.ts`): folds a trace of the RabbitMQ model (`fold.ts`) into the
 * broker-neutral view model (`simulator/view/model.ts`) the lesson's stage, charts, inspector and live region draw.
 *
 * Nodes, left to right as messages flow: producers (`client`: connections that publish or fetch), exchanges
 * (`router`), queues (`queue`), consumers (`worker`). Node ids are `producer:<connection>`, `exchange:<name>`,
 * `queue:<name>`, `consumer:<consumer tag>`. Edges are the paths messages took; an exchange → queue edge carries
 * its binding keys; a queue → exchange edge is a dead-letter path; an edge into a reply queue (server-named or
 * direct reply-to, consumed by a connection that also publishes) is a reply path.
 * Statuses: a producer shows what its own connection published; a queue its ready and unacked counts (RabbitMQ's
 * "Ready" / "Unacked"); a consumer its unacked count against its prefetch, or that it auto-acks.
 */
import type { TraceReader } from '../../trace.ts';
import type {
  CounterSpec, Flight, MessageDetail, NodeFrame, QueueContents, Series, ViewAdapter, ViewEdge, ViewFrame, ViewNode,
  ViewTopology, WorkerContents,
} from '../../view/model.ts';
import type { BrokerViewPlugin } from '../plugin.ts';
import {
  createSnapshotCursor, nodeKey, type ConsumerNode, type QueueNode, type Snapshot, type SnapshotCursor, type Topology,
} from './fold.ts';
import { summarize, type AmqpNames } from './view-words.ts';

/** The message index (view-messages.ts, loaded on first use: a page without an inspector never needs it). */
type MessageIndex = ReturnType<typeof import('./view-messages.ts').indexMessages>;

/** Ready message ids a frame lists per queue (the stage draws a row of them). */
export const READY_IDS_IN_FRAME = 64;

/** The counters an AMQP run can show, in RabbitMQ's terms. */
export const AMQP_COUNTERS: readonly CounterSpec[] = [
  { id: 'published', label: 'published', description: 'Messages producers published.' },
  { id: 'delivered', label: 'delivered', description: 'Deliveries to consumers (and basic.get replies).' },
  { id: 'acked', label: 'acked', description: 'Deliveries a consumer acknowledged.' },
  { id: 'nacked', label: 'rejected', description: 'Deliveries a consumer rejected (nack or reject).' },
  { id: 'redelivered', label: 'redelivered', description: 'Deliveries with the redelivered flag: delivered before, never acknowledged.' },
  { id: 'requeued', label: 'requeued', description: 'Messages put back in their queue (a reject with requeue, or a consumer gone).' },
  { id: 'autoAcked', label: 'auto-acked', description: 'Deliveries settled the moment they were sent (automatic acknowledgement).' },
  { id: 'returned', label: 'returned', description: 'Mandatory messages no queue took, sent back to their publisher (not lost).' },
  { id: 'deadLettered', label: 'dead-lettered', description: 'Messages a queue handed to its dead-letter exchange (rejected without requeue, expired, over a limit).' },
  { id: 'dropped', label: 'dropped', description: 'Messages the broker discarded: unroutable, expired, over a length limit, purged.' },
  { id: 'lost', label: 'lost', description: 'Messages gone for good without being processed.' },
];

export const amqpViewPlugin: BrokerViewPlugin = {
  id: 'amqp',
  counters: AMQP_COUNTERS,
  createView: (trace) => new AmqpView(trace),
};

class AmqpView implements ViewAdapter {
  readonly topology: ViewTopology;
  private readonly trace: TraceReader;
  private readonly cursor: SnapshotCursor;
  private readonly names: AmqpNames;
  private readonly replyQueues: Set<string>;
  private readonly endedAtMs: number;
  /** Consumer tag → the node that draws it (a worker that reconnected keeps one node). */
  private readonly consumerNode: Map<string, string>;
  /** When the broker was down: [stopped at, started at (Infinity if never)]. */
  private readonly downtimes: Array<[number, number]>;
  private messages: Promise<MessageIndex> | undefined;
  private seriesById: Promise<Map<string, Series>> | undefined;

  constructor(trace: TraceReader) {
    this.trace = trace;
    this.cursor = createSnapshotCursor(trace, { readyHeadMax: READY_IDS_IN_FRAME });
    const topology = this.cursor.topology;
    this.names = namesOf(topology, trace);
    this.replyQueues = replyQueuesOf(topology);
    this.consumerNode = consumerNodesOf(topology);
    this.topology = viewTopology(topology, this.replyQueues, this.consumerNode);
    this.endedAtMs = trace.at(-1)?.t ?? 0;
    this.downtimes = downtimesOf(trace);
  }

  seek(atMs: number): ViewFrame {
    return this.frameOf(this.cursor.seek(atMs));
  }

  describeLastStep(): string | null {
    const { from, to } = this.cursor.lastApplied;
    if (to <= from) return null;
    return summarize(this.trace.slice(from, Math.min(to, from + 500)), this.names);
  }

  async messageIds(): Promise<readonly string[]> {
    return (await this.index()).ids;
  }

  async message(msgId: string): Promise<MessageDetail | undefined> {
    const entry = (await this.index()).details.get(msgId);
    return entry === undefined ? undefined : (await import('./view-messages.ts')).messageDetail(msgId, entry);
  }

  series(): Promise<ReadonlyMap<string, Series>> {
    this.seriesById ??= import('./view-metrics.ts').then(({ amqpSeries }) => amqpSeries(this.trace, this.endedAtMs));
    return this.seriesById;
  }

  private index(): Promise<MessageIndex> {
    this.messages ??= import('./view-messages.ts').then(({ indexMessages }) => indexMessages(this.trace, this.names));
    return this.messages;
  }

  private frameOf(snapshot: Snapshot): ViewFrame {
    const nodes = new Map<string, NodeFrame>();
    const depthScale = Math.max(20, this.topology.depthMax);
    for (const p of snapshot.nodes.producers) {
      const status = `published ${p.published}`;
      nodes.set(`producer:${p.connection}`, plain(`producer ${p.label}: ${status}`, status));
    }
    for (const x of snapshot.nodes.exchanges) {
      const status = `${x.type} exchange`;
      nodes.set(`exchange:${x.name}`, plain(`exchange ${x.label}: ${status}`, status));
    }
    const queues: QueueContents[] = [];
    for (const q of snapshot.nodes.queues) {
      nodes.set(`queue:${q.name}`, queueFrame(q, depthScale));
      queues.push({ node: `queue:${q.name}`, ready: q.ready, readyCount: q.readyCount, heldCount: q.unacked });
    }
    const workers: WorkerContents[] = [];
    for (const c of snapshot.nodes.consumers) {
      const id = this.consumerNode.get(c.consumerTag) ?? `consumer:${c.consumerTag}`;
      // A reconnected worker: its live consumer wins over the one its old connection left behind.
      const earlier = nodes.get(id);
      const frame = consumerFrame(c);
      if (earlier !== undefined && (frame.state === 'cancelled' || (frame.state === 'crashed' && earlier.state !== 'cancelled'))) continue;
      nodes.set(id, frame);
      const at = workers.findIndex((w) => w.node === id);
      const contents = { node: id, holding: c.holding, processing: c.processing };
      if (at >= 0) workers[at] = contents;
      else workers.push(contents);
    }
    const nodeOf = (ref: { kind: string; id: string }) => (ref.kind === 'consumer'
      ? this.consumerNode.get(ref.id) ?? nodeKey(ref as never) : nodeKey(ref as never));
    const inFlight: Flight[] = snapshot.inFlight.map((m) => ({
      msgId: m.msgId,
      from: nodeOf(m.from),
      to: nodeOf(m.to),
      kind: m.kind === 'ack' ? 'ack' : m.kind === 'nack' ? 'nack' : 'message',
      tone: m.kind === 'deliver' && m.redelivered ? 'redelivered'
        : m.kind === 'deliver' && this.replyQueues.has(m.from.id) ? 'reply' : 'normal',
      progress: m.progress,
      startMs: m.startMs,
      endMs: m.endMs,
    }));
    const down = this.downtimes.find(([from, to]) => snapshot.atMs >= from && snapshot.atMs < to);
    const notice = down === undefined ? undefined : Number.isFinite(down[1])
      ? `The broker is down (restarting): back at ${(down[1] / 1000).toFixed(1)} s`
      : 'The broker is down';
    return {
      atMs: snapshot.atMs, nodes, queues, logs: [], workers, inFlight,
      counters: { ...snapshot.counters }, ...(notice === undefined ? {} : { notice }),
    };
  }
}

/** A node without a bar or a state of its own. */
function plain(spoken: string, status: string): NodeFrame {
  return { present: true, status, state: 'idle', badge: '', spoken };
}

function queueFrame(q: QueueNode, depthScale: number): NodeFrame {
  const status = `${q.readyCount} ready · ${q.unacked} unacked`;
  return {
    present: true,
    status,
    state: q.deleted ? 'deleted' : 'idle',
    badge: q.deleted ? 'deleted' : '',
    bar: Math.min(1, q.readyCount / depthScale),
    spoken: `queue ${q.name}: ${q.readyCount} ready, ${q.unacked} unacked${q.deleted ? ', deleted' : ''}`,
  };
}

function consumerFrame(c: ConsumerNode): NodeFrame {
  let status: string;
  // With automatic acks the broker forgets a message once sent, so what a crashed worker held is gone for good.
  if (c.noAck) status = c.crashed ? `received ${c.received} · held work lost` : `auto-ack · received ${c.received}`;
  else status = `unacked ${c.unacked.length}${c.prefetch > 0 ? `/${c.prefetch}` : ''} · received ${c.received}`;
  const state = c.crashed ? 'crashed' : c.cancelled ? 'cancelled' : c.processing ? 'busy' : 'idle';
  return {
    present: true,
    status,
    state,
    badge: c.crashed ? '✕ crashed' : c.cancelled ? 'cancelled' : '',
    bar: c.processing?.progress ?? 0,
    spoken: `consumer ${c.label}: ${status}${state === 'idle' ? '' : `, ${state}`}`,
  };
}

/** Names for sentences: consumer labels, and each channel's connection label. */
function namesOf(topology: Topology, trace: TraceReader): AmqpNames {
  const labels = new Map<string, string>();
  const channelConnection = new Map<string, string>();
  for (const e of trace) {
    if (e.kind === 'connection-opened') labels.set(e.connection, e.label || e.connection);
    else if (e.kind === 'channel-opened') channelConnection.set(e.channel, e.connection);
  }
  const consumers = new Map(topology.consumers.map((c) => [c.consumerTag, c.label]));
  return {
    consumerLabel: (tag) => consumers.get(tag) ?? tag,
    channelLabel: (channel) => {
      const connection = channelConnection.get(channel) ?? channel.split('.')[0];
      return labels.get(connection) ?? connection;
    },
  };
}

/**
 * Queues that carry replies: direct reply-to, or a server-named queue consumed by a connection that also publishes
 * (the requester of a request-reply pair: https://www.rabbitmq.com/tutorials/tutorial-six-javascript).
 */
function replyQueuesOf(topology: Topology): Set<string> {
  const publishers = new Set(topology.publishes.map((p) => p.connection));
  const reply = new Set<string>();
  for (const c of topology.consumers) {
    if (c.queue.startsWith('amq.rabbitmq.reply-to')
      || (c.queue.startsWith('amq.gen-') && publishers.has(c.connection))) reply.add(c.queue);
  }
  return reply;
}

/**
 * Which node draws each consumer: consumers with the same label on the same queue from different connections (a
 * worker that connected again after a broker restart, or a restarted process) share the first one's node.
 */
function consumerNodesOf(topology: Topology): Map<string, string> {
  const first = new Map<string, { id: string; connection: string }>();
  const out = new Map<string, string>();
  for (const c of topology.consumers) {
    const key = `${c.label}\u0000${c.queue}`;
    const seen = first.get(key);
    if (seen === undefined || seen.connection === c.connection) {
      if (seen === undefined) first.set(key, { id: `consumer:${c.consumerTag}`, connection: c.connection });
      out.set(c.consumerTag, `consumer:${c.consumerTag}`);
    } else {
      out.set(c.consumerTag, seen.id);
    }
  }
  return out;
}

/** When the broker was stopped (`broker-stopped` … `broker-started`). */
function downtimesOf(trace: TraceReader): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const e of trace) {
    if (e.kind === 'broker-stopped') out.push([e.t, Infinity]);
    else if (e.kind === 'broker-started' && out.length > 0) out[out.length - 1][1] = e.t;
  }
  return out;
}

/** The run's nodes and edges in the view model's terms (see the module doc). */
function viewTopology(topology: Topology, replyQueues: Set<string>, consumerNode: Map<string, string>): ViewTopology {
  const nodes: ViewNode[] = [
    ...topology.producers.map((p) => node(`producer:${p.connection}`, 'client', 'producer', p.label, 0)),
    ...topology.exchanges.map((x) => ({
      ...node(`exchange:${x.name}`, 'router', 'exchange', x.label, 1), detail: `${x.type} exchange`,
    })),
    ...topology.queues.map((q) => node(`queue:${q}`, 'queue', 'queue', q, 2)),
    ...consumersByQueue(topology).filter((c) => consumerNode.get(c.consumerTag) === `consumer:${c.consumerTag}`)
      .map((c) => ({ ...node(`consumer:${c.consumerTag}`, 'worker', 'consumer', c.label, 3), group: c.connection })),
  ];
  const ids = new Set(nodes.map((n) => n.id));
  const edges: ViewEdge[] = [];
  const add = (from: string, to: string, style: ViewEdge['style'], label?: string) => {
    if (from === to || !ids.has(from) || !ids.has(to) || edges.some((e) => e.from === from && e.to === to)) return;
    edges.push(label === undefined || label === '' ? { from, to, style } : { from, to, style, label });
  };
  const keysOf = (source: string, destination: string) => {
    const keys = topology.bindingKeys.get(`${source}\u0000${destination}`);
    return keys === undefined ? undefined : keys.map((k) => (k === '' ? '""' : k)).join(', ');
  };
  for (const p of topology.publishes) add(`producer:${p.connection}`, `exchange:${p.exchange}`, 'flow');
  for (const hop of topology.exchangeRoutes) {
    add(`exchange:${hop.from}`, `exchange:${hop.to}`, 'flow', keysOf(hop.from, hop.to));
  }
  for (const route of topology.routes) {
    add(`exchange:${route.exchange}`, `queue:${route.queue}`, replyQueues.has(route.queue) ? 'reply' : 'flow',
      route.exchange === '' ? undefined : keysOf(route.exchange, route.queue));
  }
  for (const d of topology.deadLetters) add(`queue:${d.queue}`, `exchange:${d.exchange}`, 'dead-letter');
  for (const c of topology.consumers) {
    add(`queue:${c.queue}`, consumerNode.get(c.consumerTag) ?? `consumer:${c.consumerTag}`, replyQueues.has(c.queue) ? 'reply' : 'flow');
  }
  return {
    nodes,
    edges,
    counters: AMQP_COUNTERS,
    depthMax: topology.depthMax,
    ariaLabel: 'Message flow diagram: producers, exchanges, queues and consumers',
  };
}

function node(id: string, shape: ViewNode['shape'], kindLabel: string, label: string, column: number): ViewNode {
  return { id, shape, kindLabel, label, column };
}

/** Consumers grouped by their queue's row (stable within a queue), so edges cross as little as possible. */
function consumersByQueue(topology: Topology): Topology['consumers'] {
  const row = new Map(topology.queues.map((queue, i) => [queue, i]));
  return topology.consumers
    .map((consumer, i) => ({ consumer, i }))
    .sort((a, b) => (row.get(a.consumer.queue) ?? 0) - (row.get(b.consumer.queue) ?? 0) || a.i - b.i)
    .map(({ consumer }) => consumer);
}
