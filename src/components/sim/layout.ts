/**
 * Where each node of a topology sits in the diagram's coordinate space (an SVG viewBox `VIEW_WIDTH` wide and
 * `height` tall; the canvas layer scales the same coordinates). Four columns, left to right: producers →
 * exchanges → queues → consumers, each column centred vertically. Pure, so it is computed once per run.
 */
import { nodeKey, type NodeRef, type Topology } from '../../../simulator/brokers/amqp/fold.ts';

export const VIEW_WIDTH = 1000;
/** Vertical distance between two nodes of one column (viewBox units). */
export const ROW_HEIGHT = 104;
const PADDING_Y = 28;
const HEIGHT_MIN = 260;

/** Box sizes per node kind (viewBox units). */
export const NODE_SIZE = {
  producer: { w: 150, h: 60 },
  exchange: { w: 180, h: 60 },
  queue: { w: 230, h: 92 },
  consumer: { w: 200, h: 78 },
} as const;

const COLUMN_X = { producer: 95, exchange: 305, queue: 560, consumer: 880 } as const;

/** A placed node: centre `(x, y)` and size `(w, h)`. */
export interface Box {
  ref: NodeRef;
  key: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A line of the diagram from node `from` to node `to` (node keys); `deadLetter` ones are drawn dashed. */
export interface Edge {
  from: string;
  to: string;
  deadLetter?: boolean;
}

export interface Layout {
  width: number;
  height: number;
  boxes: Map<string, Box>;
  edges: Edge[];
}

/** Lays out every node of `topology`; see the module doc. */
export function layoutTopology(topology: Topology): Layout {
  const columns: Array<{ kind: NodeRef['kind']; items: Array<{ id: string; label: string }> }> = [
    { kind: 'producer', items: topology.producers.map((p) => ({ id: p.connection, label: p.label })) },
    { kind: 'exchange', items: topology.exchanges.map((x) => ({ id: x.name, label: x.label })) },
    { kind: 'queue', items: topology.queues.map((q) => ({ id: q, label: q })) },
    { kind: 'consumer', items: consumersByQueue(topology).map((c) => ({ id: c.consumerTag, label: c.label })) },
  ];
  const rows = Math.max(1, ...columns.map((column) => column.items.length));
  const height = Math.max(HEIGHT_MIN, rows * ROW_HEIGHT + 2 * PADDING_Y);
  const boxes = new Map<string, Box>();
  for (const column of columns) {
    const size = NODE_SIZE[column.kind];
    const top = height / 2 - ((column.items.length - 1) * ROW_HEIGHT) / 2;
    column.items.forEach((item, i) => {
      const ref: NodeRef = { kind: column.kind, id: item.id };
      const key = nodeKey(ref);
      boxes.set(key, { ref, key, label: item.label, x: COLUMN_X[column.kind], y: top + i * ROW_HEIGHT, ...size });
    });
  }
  return { width: VIEW_WIDTH, height, boxes, edges: edgesOf(topology, boxes) };
}

/** Consumers grouped by their queue's row (stable within a queue), so edges cross as little as possible. */
function consumersByQueue(topology: Topology): Topology['consumers'] {
  const row = new Map(topology.queues.map((queue, i) => [queue, i]));
  return topology.consumers
    .map((consumer, i) => ({ consumer, i }))
    .sort((a, b) => (row.get(a.consumer.queue) ?? 0) - (row.get(b.consumer.queue) ?? 0) || a.i - b.i)
    .map(({ consumer }) => consumer);
}

/**
 * The lines a run's messages travelled along: producer → exchange (where it published), exchange → exchange
 * (exchange-to-exchange bindings, alternate exchanges), exchange → queue, queue → dead-letter exchange, and
 * queue → consumer.
 */
function edgesOf(topology: Topology, boxes: Map<string, Box>): Edge[] {
  const edges: Edge[] = [];
  const add = (from: string, to: string, deadLetter = false) => {
    if (from !== to && boxes.has(from) && boxes.has(to) && !edges.some((e) => e.from === from && e.to === to)) {
      edges.push(deadLetter ? { from, to, deadLetter } : { from, to });
    }
  };
  for (const p of topology.publishes) add(`producer:${p.connection}`, `exchange:${p.exchange}`);
  for (const hop of topology.exchangeRoutes) add(`exchange:${hop.from}`, `exchange:${hop.to}`);
  for (const route of topology.routes) add(`exchange:${route.exchange}`, `queue:${route.queue}`);
  for (const d of topology.deadLetters) add(`queue:${d.queue}`, `exchange:${d.exchange}`, true);
  for (const consumer of topology.consumers) add(`queue:${consumer.queue}`, `consumer:${consumer.consumerTag}`);
  return edges;
}

/**
 * Where the line of an edge from box `a` to box `b` starts and ends: from the right side of `a` to the left side of
 * `b` when `b` is to the right, from the left side of `a` to the right side of `b` when it is to the left (a
 * dead-letter line back to an exchange), and between the facing top and bottom sides within one column (one
 * exchange bound to another).
 */
export function edgeEndpoints(a: Box, b: Box): { x0: number; y0: number; x1: number; y1: number } {
  if (a.x < b.x) return { x0: a.x + a.w / 2, y0: a.y, x1: b.x - b.w / 2, y1: b.y };
  if (a.x > b.x) return { x0: a.x - a.w / 2, y0: a.y, x1: b.x + b.w / 2, y1: b.y };
  const down = a.y <= b.y ? 1 : -1;
  return { x0: a.x, y0: a.y + (down * a.h) / 2, x1: b.x, y1: b.y - (down * b.h) / 2 };
}

/**
 * Start and end points of a message travelling `from` → `to`: the facing edges of the two boxes. Messages going
 * right leave from the right edge; acks going left travel on a lane `ACK_LANE_OFFSET` below so both directions
 * stay readable. Returns undefined if a node is not in the layout.
 */
export const ACK_LANE_OFFSET = 12;

export function pathBetween(
  layout: Layout,
  from: NodeRef,
  to: NodeRef,
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const a = layout.boxes.get(nodeKey(from));
  const b = layout.boxes.get(nodeKey(to));
  if (!a || !b) return undefined;
  if (a.x <= b.x) return { x0: a.x + a.w / 2, y0: a.y, x1: b.x - b.w / 2, y1: b.y };
  return { x0: a.x - a.w / 2, y0: a.y + ACK_LANE_OFFSET, x1: b.x + b.w / 2, y1: b.y + ACK_LANE_OFFSET };
}
