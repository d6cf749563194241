/**
 * Where each node of a view topology (`simulator/view/model.ts`) sits in the diagram's coordinate space (an SVG
 * viewBox; the canvas layer scales the same coordinates). Pure, computed once per run and width class.
 *
 * Two orientations:
 * - `horizontal` (wide screens): one column per `ViewNode.column`, left to right as messages flow, each column
 *   centred vertically — producers → exchanges → queues → consumers;
 * - `vertical` (narrow screens, e.g. 360 px phones): the columns become rows, top to bottom, and the nodes of a row
 *   sit side by side (wrapping onto more lines when they do not fit), so the whole diagram fits the width and its
 *   text stays readable instead of the diagram scrolling sideways.
 * A `log` node grows with its partitions (one lane each).
 */
import type { NodeShape, ViewEdge, ViewNode, ViewTopology } from '../../../simulator/view/model.ts';

export type Orientation = 'horizontal' | 'vertical';

/** viewBox width of each orientation (units). The vertical one is narrow so text is large on a phone. */
export const VIEW_WIDTH = { horizontal: 1000, vertical: 430 } as const;
/** Container width (CSS px) below which the diagram is laid out vertically. */
export const VERTICAL_BELOW_PX = 600;
/** Gap between two nodes of one column (horizontal) or one row (vertical), viewBox units. */
const GAP = 22;
const PADDING = 24;
const HEIGHT_MIN = 240;
/** Height of one partition lane of a log node. */
export const LOG_LANE_HEIGHT = 54;
/** Room above a log node's lanes (its kind and label). */
export const LOG_HEADER_HEIGHT = 46;

/** Box sizes per node shape (viewBox units); a log node's height depends on its partitions. */
export const NODE_SIZE: Record<NodeShape, { w: number; h: number }> = {
  client: { w: 150, h: 60 },
  router: { w: 180, h: 60 },
  queue: { w: 230, h: 92 },
  worker: { w: 200, h: 78 },
  log: { w: 420, h: 92 },
};

/** A placed node: centre `(x, y)` and size `(w, h)`. */
export interface Box {
  node: ViewNode;
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  orientation: Orientation;
  width: number;
  height: number;
  boxes: Map<string, Box>;
  edges: readonly ViewEdge[];
}

/** Options of `layoutTopology`. */
export interface LayoutOptions {
  orientation?: Orientation;
  /** Partitions per log node (their lanes set its height); default 1. */
  partitions?: ReadonlyMap<string, number>;
}

/** The columns of a topology, in order, each with its nodes. */
function columnsOf(topology: ViewTopology): ViewNode[][] {
  const byColumn = new Map<number, ViewNode[]>();
  for (const node of topology.nodes) {
    const list = byColumn.get(node.column) ?? [];
    list.push(node);
    byColumn.set(node.column, list);
  }
  return [...byColumn.keys()].sort((a, b) => a - b).map((c) => byColumn.get(c)!);
}

function sizeOf(node: ViewNode, options: LayoutOptions, orientation: Orientation): { w: number; h: number } {
  const base = NODE_SIZE[node.shape];
  const w = orientation === 'vertical' ? Math.min(base.w, VIEW_WIDTH.vertical - 2 * PADDING) : base.w;
  if (node.shape !== 'log') return { w, h: base.h };
  const lanes = Math.max(1, options.partitions?.get(node.id) ?? 1);
  return { w: orientation === 'vertical' ? VIEW_WIDTH.vertical - 2 * PADDING : base.w, h: LOG_HEADER_HEIGHT + lanes * LOG_LANE_HEIGHT + 10 };
}

/** Lays out every node of `topology`; see the module doc. */
export function layoutTopology(topology: ViewTopology, options: LayoutOptions = {}): Layout {
  const orientation = options.orientation ?? 'horizontal';
  return orientation === 'horizontal' ? horizontal(topology, options) : vertical(topology, options);
}

function horizontal(topology: ViewTopology, options: LayoutOptions): Layout {
  const width = VIEW_WIDTH.horizontal;
  const columns = columnsOf(topology);
  const sized = columns.map((nodes) => nodes.map((node) => ({ node, ...sizeOf(node, options, 'horizontal') })));
  const columnHeights = sized.map((col) => col.reduce((sum, n) => sum + n.h, 0) + GAP * Math.max(0, col.length - 1));
  const height = Math.max(HEIGHT_MIN, Math.max(0, ...columnHeights) + 2 * PADDING);
  // Column centres spread evenly, first and last half a box in from the sides.
  const widest = sized.map((col) => Math.max(0, ...col.map((n) => n.w)));
  const first = PADDING + (widest[0] ?? 0) / 2;
  const last = width - PADDING - (widest[widest.length - 1] ?? 0) / 2;
  const boxes = new Map<string, Box>();
  sized.forEach((col, c) => {
    const x = sized.length === 1 ? width / 2 : first + ((last - first) * c) / (sized.length - 1);
    let y = height / 2 - columnHeights[c] / 2;
    for (const n of col) {
      boxes.set(n.node.id, { node: n.node, key: n.node.id, x, y: y + n.h / 2, w: n.w, h: n.h });
      y += n.h + GAP;
    }
  });
  return { orientation: 'horizontal', width, height, boxes, edges: topology.edges };
}

/** Narrowest a box may get so that more of its row fit side by side (vertical layout). */
const NODE_WIDTH_MIN = 140;

function vertical(topology: ViewTopology, options: LayoutOptions): Layout {
  const width = VIEW_WIDTH.vertical;
  const inner = width - 2 * PADDING;
  const boxes = new Map<string, Box>();
  let y = PADDING;
  for (const col of columnsOf(topology)) {
    // As many side by side as fit at the narrowest width; their boxes then share the row's width.
    let perLine = 1;
    while (perLine < col.length && (perLine + 1) * NODE_WIDTH_MIN + perLine * GAP <= inner) perLine++;
    const share = (inner - (perLine - 1) * GAP) / perLine;
    const sized = col.map((node) => {
      const size = sizeOf(node, options, 'vertical');
      return { node, h: size.h, w: node.shape === 'log' ? size.w : Math.min(size.w, Math.floor(share)) };
    });
    // Nodes of a row side by side, wrapping onto a new line when the next does not fit.
    let line: typeof sized = [];
    const flush = () => {
      if (line.length === 0) return;
      const lineWidth = line.reduce((sum, n) => sum + n.w, 0) + GAP * (line.length - 1);
      const lineHeight = Math.max(...line.map((n) => n.h));
      let x = (width - lineWidth) / 2;
      for (const n of line) {
        boxes.set(n.node.id, { node: n.node, key: n.node.id, x: x + n.w / 2, y: y + lineHeight / 2, w: n.w, h: n.h });
        x += n.w + GAP;
      }
      y += lineHeight + GAP;
      line = [];
    };
    for (const n of sized) {
      const used = line.reduce((sum, m) => sum + m.w + GAP, 0);
      if (line.length > 0 && used + n.w > inner) flush();
      line.push(n);
    }
    flush();
    y += GAP; // rows further apart than lines, so the flow between rows is visible
  }
  const height = Math.max(HEIGHT_MIN, y - 2 * GAP + PADDING);
  return { orientation: 'vertical', width, height, boxes, edges: topology.edges };
}

/** Start and end of the line of an edge from box `a` to box `b` (facing sides; see `pathBetween`). */
export function edgeEndpoints(a: Box, b: Box, orientation: Orientation): { x0: number; y0: number; x1: number; y1: number } {
  if (orientation === 'vertical') {
    if (a.y < b.y - 1) return { x0: a.x, y0: a.y + a.h / 2, x1: b.x, y1: b.y - b.h / 2 };
    if (a.y > b.y + 1) return { x0: a.x, y0: a.y - a.h / 2, x1: b.x, y1: b.y + b.h / 2 };
    const right = a.x <= b.x ? 1 : -1;
    return { x0: a.x + (right * a.w) / 2, y0: a.y, x1: b.x - (right * b.w) / 2, y1: b.y };
  }
  if (a.x < b.x - 1) return { x0: a.x + a.w / 2, y0: a.y, x1: b.x - b.w / 2, y1: b.y };
  if (a.x > b.x + 1) return { x0: a.x - a.w / 2, y0: a.y, x1: b.x + b.w / 2, y1: b.y };
  const down = a.y <= b.y ? 1 : -1;
  return { x0: a.x, y0: a.y + (down * a.h) / 2, x1: b.x, y1: b.y - (down * b.h) / 2 };
}

/** How far acks travel beside the messages' lane (viewBox units), so both directions stay readable. */
export const ACK_LANE_OFFSET = 12;

/**
 * Start and end points of a message travelling `from` → `to` (node ids): the facing sides of the two boxes.
 * Messages going back against the flow (acks) travel on a lane `ACK_LANE_OFFSET` beside. Undefined if a node is
 * not in the layout.
 */
export function pathBetween(layout: Layout, from: string, to: string): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const a = layout.boxes.get(from);
  const b = layout.boxes.get(to);
  if (!a || !b) return undefined;
  const backwards = layout.orientation === 'horizontal' ? a.x > b.x + 1 : a.y > b.y + 1;
  const p = edgeEndpoints(a, b, layout.orientation);
  if (!backwards) return p;
  return layout.orientation === 'horizontal'
    ? { x0: p.x0, y0: p.y0 + ACK_LANE_OFFSET, x1: p.x1, y1: p.y1 + ACK_LANE_OFFSET }
    : { x0: p.x0 + ACK_LANE_OFFSET, y0: p.y0, x1: p.x1 + ACK_LANE_OFFSET, y1: p.y1 };
}
