/**
 * The SVG layer: one group per node (producer, exchange, queue with depth bar, consumer with processing bar) and
 * the edges between them, drawn with D3 data joins once per run (`setLayout`), then updated in place every frame
 * (`update(snapshot)`) by setting only attributes and texts that changed. No d3 transitions: where things are is
 * a function of the simulated time alone.
 *
 * Accessibility: the SVG is a labelled group; every node is `role="img"` with an `aria-label` (and `<title>`)
 * that states its current numbers, e.g. "queue tasks: 3 ready, 2 unacked".
 */
import { select, type Selection } from 'd3';
import type { ConsumerNode, QueueNode, Snapshot } from '../../../simulator/brokers/amqp/fold.ts';
import { edgeEndpoints, type Box, type Layout } from './layout.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Depth bar scale: at least this many messages fill the bar, so a queue of 3 does not look full. */
const DEPTH_SCALE_MIN = 20;

interface NodeParts {
  group: SVGGElement;
  title: Element;
  status: SVGTextElement;
  bar?: SVGRectElement;
  badge?: SVGTextElement;
  lastLabel: string;
  lastStatus: string;
  lastBarWidth: number;
  lastState: string;
}

export class TopologyView {
  readonly svg: SVGSVGElement;
  private layout: Layout | null = null;
  private parts = new Map<string, NodeParts>();
  private depthScale = DEPTH_SCALE_MIN;

  constructor(svg: SVGSVGElement) {
    this.svg = svg;
    svg.setAttribute('role', 'group');
    svg.setAttribute('aria-label', 'Message flow diagram: producers, exchange, queues and consumers');
  }

  /** Draws the nodes and edges of a run. `depthMax`: the largest queue depth of the run (sizes the bars). */
  setLayout(layout: Layout, depthMax: number): void {
    this.layout = layout;
    this.depthScale = Math.max(DEPTH_SCALE_MIN, depthMax);
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    const root = select(this.svg);
    root.selectAll('*').remove();
    root.append('g').attr('class', 'edges').attr('aria-hidden', 'true')
      .selectAll('path')
      .data(layout.edges)
      .join('path')
      .attr('class', (edge) => (edge.deadLetter ? 'edge edge--dead-letter' : 'edge'))
      .attr('d', (edge) => {
        const { x0, y0, x1, y1 } = edgeEndpoints(layout.boxes.get(edge.from)!, layout.boxes.get(edge.to)!);
        return `M${x0},${y0} L${x1},${y1}`;
      });
    const nodes = root.append('g').attr('class', 'nodes')
      .selectAll<SVGGElement, Box>('g')
      .data([...layout.boxes.values()], (box) => box.key)
      .join('g')
      .attr('class', (box) => `node node-${box.ref.kind}`)
      .attr('role', 'img')
      .attr('data-node', (box) => box.key)
      .attr('transform', (box) => `translate(${box.x - box.w / 2},${box.y - box.h / 2})`);
    this.parts.clear();
    nodes.each((box, i, groups) => this.parts.set(box.key, drawNode(select(groups[i]), box)));
  }

  /** Sets every node's numbers and state classes from `snapshot`. Cheap when little changed. */
  update(snapshot: Snapshot): void {
    if (!this.layout) return;
    const present = new Set<string>();
    for (const p of snapshot.nodes.producers) {
      present.add(`producer:${p.connection}`);
      this.set(`producer:${p.connection}`, `producer ${p.label}`, `published ${snapshot.counters.published}`, 0, '');
    }
    for (const x of snapshot.nodes.exchanges) {
      present.add(`exchange:${x.name}`);
      this.set(`exchange:${x.name}`, `exchange ${x.label}`, `${x.type} exchange`, 0, '');
    }
    for (const q of snapshot.nodes.queues) {
      present.add(`queue:${q.name}`);
      this.set(`queue:${q.name}`, `queue ${q.name}`, queueStatus(q), Math.min(1, q.ready.length / this.depthScale),
        q.deleted ? 'deleted' : '');
    }
    for (const c of snapshot.nodes.consumers) {
      present.add(`consumer:${c.consumerTag}`);
      this.set(`consumer:${c.consumerTag}`, `consumer ${c.label}`, consumerStatus(c), c.processing?.progress ?? 0,
        c.crashed ? 'crashed' : c.cancelled ? 'cancelled' : c.processing ? 'busy' : 'idle');
    }
    for (const [key, parts] of this.parts) {
      const hidden = !present.has(key);
      if (parts.group.classList.contains('absent') === hidden) continue;
      parts.group.classList.toggle('absent', hidden);
      if (hidden) {
        // Its next `set` must rewrite the label even if status and label are unchanged.
        parts.lastLabel = '';
        parts.lastStatus = '';
        const box = this.layout.boxes.get(key);
        if (box) setSpoken(parts, absentLabel(box));
      }
    }
  }

  private set(key: string, label: string, status: string, barFraction: number, state: string): void {
    const parts = this.parts.get(key);
    if (!parts) return;
    if (status !== parts.lastStatus || label !== parts.lastLabel) {
      parts.status.textContent = status;
      const spoken = `${label}: ${status}${state && state !== 'idle' ? `, ${state}` : ''}`;
      setSpoken(parts, spoken);
      parts.lastStatus = status;
      parts.lastLabel = label;
    }
    if (parts.bar) {
      const width = Math.round(barFraction * 1000) / 1000;
      if (width !== parts.lastBarWidth) {
        parts.bar.setAttribute('width', String(Math.max(0, width * Number(parts.bar.dataset.max))));
        parts.lastBarWidth = width;
      }
    }
    if (state !== parts.lastState) {
      if (parts.lastState) parts.group.classList.remove(`is-${parts.lastState}`);
      if (state) parts.group.classList.add(`is-${state}`);
      if (parts.badge) parts.badge.textContent = state === 'crashed' ? '✕ crashed' : state === 'cancelled' ? 'cancelled' : '';
      parts.lastState = state;
    }
  }
}

/** Sets a node's text alternative (its `<title>` and `aria-label`). */
function setSpoken(parts: NodeParts, spoken: string): void {
  parts.title.textContent = spoken;
  parts.group.setAttribute('aria-label', spoken);
}

/** Text alternative of a node that does not exist (yet, or any more) at the shown time. */
function absentLabel(box: Box): string {
  return `${box.ref.kind} ${box.label}: not present at this time`;
}

function queueStatus(q: QueueNode): string {
  return `${q.ready.length} ready · ${q.unacked} unacked`;
}

function consumerStatus(c: ConsumerNode): string {
  // With automatic acks the broker forgets a message once sent, so what a crashed worker held is gone for good.
  if (c.noAck) return c.crashed ? `received ${c.received} · held work lost` : `auto-ack · received ${c.received}`;
  const limit = c.prefetch > 0 ? `/${c.prefetch}` : '';
  return `unacked ${c.unacked.length}${limit} · received ${c.received}`;
}

/** Draws one node's static parts and returns handles to the parts that change. */
function drawNode(g: Selection<SVGGElement, Box, null, undefined>, box: Box): NodeParts {
  const kind = box.ref.kind;
  const title = g.append('title').node()!;
  g.append('rect').attr('class', 'node-box').attr('width', box.w).attr('height', box.h)
    .attr('rx', kind === 'exchange' ? box.h / 2 : 10);
  const heading = kind === 'exchange' ? box.label : box.label;
  g.append('text').attr('class', 'node-kind').attr('x', 12).attr('y', 18).text(kind);
  g.append('text').attr('class', 'node-label').attr('x', 12).attr('y', 38).text(truncate(heading, kind === 'queue' ? 24 : 19));
  const status = g.append('text').attr('class', 'node-status').attr('x', 12).attr('y', kind === 'queue' || kind === 'consumer' ? 56 : 54).node()!;
  const parts: NodeParts = {
    group: g.node()!, title, status, lastLabel: '', lastStatus: '', lastBarWidth: -1, lastState: '',
  };
  // Every role="img" needs a text alternative from the start, also while the node does not exist yet at time t.
  setSpoken(parts, absentLabel(box));
  if (kind === 'queue' || kind === 'consumer') {
    const max = box.w - 24;
    g.append('rect').attr('class', 'bar-track').attr('x', 12).attr('y', box.h - 14).attr('width', max).attr('height', 6).attr('rx', 3);
    const bar = g.append('rect').attr('class', kind === 'queue' ? 'bar depth-bar' : 'bar progress-bar')
      .attr('x', 12).attr('y', box.h - 14).attr('width', 0).attr('height', 6).attr('rx', 3).node()!;
    bar.dataset.max = String(max);
    parts.bar = bar;
  }
  if (kind === 'consumer') {
    parts.badge = g.append('text').attr('class', 'node-badge').attr('x', box.w - 10).attr('y', 18)
      .attr('text-anchor', 'end').node()!;
  }
  return parts;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Creates an empty `<svg>` for a TopologyView (kept here so callers need no namespace constant). */
export function createSvg(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'sim-svg');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  return svg;
}
