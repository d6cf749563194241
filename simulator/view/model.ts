/**
 * The broker-neutral view model: what the lesson's stage, charts, inspector and live region draw, whatever broker
 * made the run. A broker's view adapter (`simulator/brokers/<id>/view.ts`) folds that broker's trace into it; the
 * site (`src/components/sim/`) renders it and knows no broker.
 *
 * Two parts, as raftscope and d3 split a picture into what is fixed and what moves:
 * - `ViewTopology`: everything that exists at some time in the run (nodes with a shape, edges with a style, the
 *   counters shown), computed once per run, so a layout is stable while the player moves;
 * - `ViewFrame`: the state at one simulated instant `atMs` (node states and one-line statuses, queue and log
 *   contents, messages on the wire with their start and end times, counters). A message on the wire is plain data
 *   with `startMs` / `endMs`; the view places it at `progress` along its edge and keeps no animation state.
 *
 * Units: every time is simulated ms. Ids are strings unique within a topology.
 */

/**
 * How a node is drawn. `client`: a program that publishes or fetches (a producer); `router`: something that routes
 * but does not store (an exchange, a topic's front door); `queue`: an ordered buffer that hands each message to one
 * consumer and forgets it once settled; `log`: an append-only log of offsets read by cursors (Kafka partitions);
 * `worker`: a consumer that receives and processes messages.
 */
export type NodeShape = 'client' | 'router' | 'queue' | 'log' | 'worker';

/** A node of the diagram. */
export interface ViewNode {
  /** Stable key, unique in the topology, e.g. `queue:tasks`. */
  id: string;
  shape: NodeShape;
  /** What it is, in the broker's own words, shown small above the label: "producer", "exchange", "consumer". */
  kindLabel: string;
  /** Its name: "tasks", "worker 2", "(default exchange)". */
  label: string;
  /**
   * Column hint for the layout, left to right in the direction messages flow (0 = where they start). Nodes of one
   * column are stacked; narrow screens turn columns into rows.
   */
  column: number;
  /** Nodes of one group share a colour (a consumer group, a process). */
  group?: string;
  /** A fixed subtitle (e.g. "fanout exchange"), when the frame gives no status. */
  detail?: string;
}

/**
 * How an edge is drawn: `flow` a path messages take; `dead-letter` where rejected or expired messages go (dashed);
 * `reply` replies travelling back to a requester (dotted); `subscription` a consumer reading a log.
 */
export type EdgeStyle = 'flow' | 'dead-letter' | 'reply' | 'subscription';

/** A line from node `from` to node `to` (ids). `label`: what selects the messages on it (a binding key). */
export interface ViewEdge {
  from: string;
  to: string;
  style: EdgeStyle;
  label?: string;
}

/** A counter the lesson can show under the diagram. */
export interface CounterSpec {
  id: string;
  label: string;
  /** One sentence: what it counts (shown as a tooltip and to screen readers). */
  description: string;
}

/** Everything that exists at some time in a run. */
export interface ViewTopology {
  nodes: readonly ViewNode[];
  edges: readonly ViewEdge[];
  counters: readonly CounterSpec[];
  /** Largest number of ready messages any queue held in the run (scales depth bars). */
  depthMax: number;
  /** Text alternative of the whole diagram. */
  ariaLabel: string;
}

/** What a node looks like at one instant. */
export interface NodeFrame {
  /** False while the node does not exist (not yet declared, or deleted and gone). */
  present: boolean;
  /** One short line under the label: "3 ready · 2 unacked". */
  status: string;
  state: 'idle' | 'busy' | 'crashed' | 'cancelled' | 'deleted' | 'stopped';
  /** A short red badge ("✕ crashed"); empty for none. */
  badge: string;
  /** Fill of the node's bar, 0..1 (queue depth, processing progress); undefined: the node has no bar. */
  bar?: number;
  /** Full text alternative: "queue tasks: 3 ready, 2 unacked". */
  spoken: string;
}

/** Messages waiting in a `queue` node, head first. */
export interface QueueContents {
  node: string;
  /** Ids of the first ready messages, head first (at most a view's worth; `readyCount` has them all). */
  ready: readonly string[];
  /** How many messages are ready. */
  readyCount: number;
  /** How many messages were delivered and not yet settled (unacked / invisible / leased). */
  heldCount: number;
  /** Ids of messages not yet visible (delayed, scheduled), if the broker has such. */
  delayed?: readonly string[];
}

/** A cursor on a log partition: a consumer's position or a group's committed offset. */
export interface LogCursor {
  label: string;
  /** The offset the cursor points at (the next record it reads / would read). */
  offset: number;
  kind: 'position' | 'committed';
  /** Colour group (the consumer group or member). */
  group?: string;
}

/** One partition of a `log` node. */
export interface PartitionFrame {
  id: string;
  label: string;
  /** First offset still in the log (older records were deleted by retention). */
  startOffset: number;
  /** Log-end offset: the offset the next record will get. */
  endOffset: number;
  /** High watermark: consumers read only below it. */
  highWatermark: number;
  /** The last records (at most a view's worth), oldest first. */
  records: ReadonlyArray<{ offset: number; msgId: string; key?: string }>;
  cursors: readonly LogCursor[];
  /** The member that owns the partition in a consumer group, if any. */
  owner?: string;
  /** The broker that leads the partition, if modelled. */
  leader?: string;
  /**
   * A short remark the stage writes on the partition's lane, in the broker's words (where it lives now: "leader 1 ·
   * ISR 1,2"), if any.
   */
  note?: string;
  /** The partition can take and serve no records now (e.g. no broker leads it): the stage dims its lane. */
  unavailable?: boolean;
}

/** The partitions of a `log` node. */
export interface LogContents {
  node: string;
  partitions: readonly PartitionFrame[];
}

/** What a `worker` node holds. */
export interface WorkerContents {
  node: string;
  /** Ids of messages it received and has not answered yet, oldest first. */
  holding: readonly string[];
  /** The message being worked on and how far along (0..1). */
  processing: { msgId: string; progress: number } | null;
}

/** A message (or an ack) on the wire between two nodes. */
export interface Flight {
  msgId: string;
  from: string;
  to: string;
  kind: 'message' | 'ack' | 'nack';
  /** Colour: a first delivery, a redelivery, a dead-lettered or a reply message. */
  tone: 'normal' | 'redelivered' | 'dead-letter' | 'reply';
  /** 0 when it leaves `from`, 1 when it reaches `to`. */
  progress: number;
  startMs: number;
  endMs: number;
}

/** The state of a run at `atMs`. */
export interface ViewFrame {
  atMs: number;
  /** Node id → its state; a node of the topology missing here is not present. */
  nodes: ReadonlyMap<string, NodeFrame>;
  queues: readonly QueueContents[];
  logs: readonly LogContents[];
  workers: readonly WorkerContents[];
  inFlight: readonly Flight[];
  /** Counter id → value at `atMs`. */
  counters: Readonly<Record<string, number>>;
  /** A short line about the whole system at `atMs`, shown over the diagram ("the broker is down until 5.0 s"). */
  notice?: string;
}

/** One line of a message's history in the inspector. */
export interface MessageEvent {
  atMs: number;
  /** What happened, in the broker's words: "delivered to worker 2 (redelivered)". */
  text: string;
}

/** Everything the inspector shows of one message. */
export interface MessageDetail {
  msgId: string;
  /** "m3 · task 3" */
  title: string;
  /** The body as text (a preview when the trace kept only that). */
  body: string;
  /** Properties (routing key, delivery mode, correlation id, …), in the broker's terms. */
  properties: ReadonlyArray<[string, string]>;
  headers: ReadonlyArray<[string, string]>;
  history: readonly MessageEvent[];
}

/** A metric over simulated time, drawn as a line chart and readable as a table. */
export interface Series {
  id: string;
  label: string;
  /** Unit of the values: "messages", "msg/s", "ms". */
  unit: string;
  /** Points `[atMs, value]` in increasing time; a step chart holds each value until the next point. */
  points: ReadonlyArray<readonly [number, number]>;
  /** `step`: a level (depth); `line`: a rate or a percentile. */
  curve: 'step' | 'line';
}

/**
 * A broker's view of one run. `seek` is the hot path: it must answer forward and backward seeks fast (a broker
 * fold keeps checkpoints, see `simulator/view/checkpoints.ts`).
 */
export interface ViewAdapter {
  readonly topology: ViewTopology;
  /** The frame at `atMs` (NaN is read as 0). */
  seek(atMs: number): ViewFrame;
  /**
   * One sentence for a screen reader about what the last `seek` moved past (the most notable change), or null
   * when nothing worth saying happened.
   */
  describeLastStep(): string | null;
  /**
   * Ids of the messages the run has, in order of first appearance (for keyboard selection in the inspector).
   * Asynchronous like `message` and `series`: an adapter may load that code only when a page asks for it.
   */
  messageIds(): Promise<readonly string[]>;
  /** The inspector's view of a message, or undefined for an unknown id. */
  message(msgId: string): Promise<MessageDetail | undefined>;
  /** Metrics over the whole run (computed on first call), by series id. */
  series(): Promise<ReadonlyMap<string, Series>>;
  /** Gives memory back (the trace store) when the view is done with this run. */
  release?(): void;
}
