/**
 * The SVG layer of the stage: one group per node of a view topology (`simulator/view/model.ts`) drawn by its shape
 * (client, router, queue with a depth bar, log with partition lanes, worker with a progress bar), and the edges
 * between them by their style (flow, dead-letter dashed, reply dotted, subscription) with their labels (binding
 * keys). Drawn with D3 data joins once per run (`setLayout`), then updated in place every frame (`update(frame)`)
 * by setting only attributes and texts that changed. No d3 transitions: where things are is a function of the
 * simulated time alone. It knows no broker: words come from the frame.
 *
 * Accessibility: the SVG is a labelled group; every node is `role="img"` with an `aria-label` (and `<title>`)
 * that states its current numbers, from the broker's view adapter ("queue tasks: 3 ready, 2 unacked"). A node that
 * does not exist at the shown time is faded, shows no numbers, and says so.
 */
import { select, type Selection } from 'd3';
import type { NodeFrame, ViewFrame } from '../../../simulator/view/model.ts';
import { edgeEndpoints, LOG_HEADER_HEIGHT, LOG_LANE_HEIGHT, NODE_SIZE, type Box, type Layout } from './layout.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

interface NodeParts {
  group: SVGGElement;
  title: Element;
  status: SVGTextElement;
  bar?: SVGRectElement;
  badge: SVGTextElement;
  lastSpoken: string;
  lastStatus: string;
  lastBarWidth: number;
  lastState: string;
  lastBadge: string;
  present: boolean | undefined;
}

/** Characters of a node label before it is cut with "…", per shape, at the shape's full width (`NODE_SIZE`); a
 * narrower box (a narrow screen) takes proportionally fewer. */
const LABEL_CHARS = { client: 17, router: 19, queue: 24, worker: 21, log: 34 } as const;

export class TopologyView {
  readonly svg: SVGSVGElement;
  private layout: Layout | null = null;
  private parts = new Map<string, NodeParts>();

  constructor(svg: SVGSVGElement) {
    this.svg = svg;
    svg.setAttribute('role', 'group');
  }

  /** Draws the nodes and edges of a run laid out by `layout`; `ariaLabel` names the whole diagram. */
  setLayout(layout: Layout, ariaLabel: string): void {
    this.layout = layout;
    this.svg.setAttribute('aria-label', ariaLabel);
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    const root = select(this.svg);
    root.selectAll('*').remove();
    const edges = root.append('g').attr('class', 'edges').attr('aria-hidden', 'true');
    const drawable = layout.edges.filter((edge) => layout.boxes.has(edge.from) && layout.boxes.has(edge.to));
    edges.selectAll('path')
      .data(drawable)
      .join('path')
      .attr('class', (edge) => `edge edge--${edge.style}`)
      .attr('d', (edge) => {
        const { x0, y0, x1, y1 } = edgeEndpoints(layout.boxes.get(edge.from)!, layout.boxes.get(edge.to)!, layout.orientation);
        return `M${x0},${y0} L${x1},${y1}`;
      });
    // Edge labels (binding keys) at 45 % of the way, so two edges from one node keep theirs apart.
    edges.selectAll('text')
      .data(drawable.filter((edge) => edge.label !== undefined))
      .join('text')
      .attr('class', 'edge-label')
      .attr('text-anchor', 'middle')
      .attr('x', (edge) => {
        const p = edgeEndpoints(layout.boxes.get(edge.from)!, layout.boxes.get(edge.to)!, layout.orientation);
        return p.x0 + (p.x1 - p.x0) * 0.45;
      })
      .attr('y', (edge) => {
        const p = edgeEndpoints(layout.boxes.get(edge.from)!, layout.boxes.get(edge.to)!, layout.orientation);
        return p.y0 + (p.y1 - p.y0) * 0.45 - 5;
      })
      .text((edge) => truncate(edge.label ?? '', 22));
    const nodes = root.append('g').attr('class', 'nodes')
      .selectAll<SVGGElement, Box>('g')
      .data([...layout.boxes.values()], (box) => box.key)
      .join('g')
      .attr('class', (box) => `node node-${box.node.shape}`)
      .attr('role', 'img')
      .attr('data-node', (box) => box.key)
      .attr('data-shape', (box) => box.node.shape)
      .attr('transform', (box) => `translate(${box.x - box.w / 2},${box.y - box.h / 2})`);
    this.parts.clear();
    nodes.each((box, i, groups) => this.parts.set(box.key, drawNode(select(groups[i]), box)));
  }

  /** Sets every node's numbers and state classes from `frame`. Cheap when little changed. */
  update(frame: ViewFrame): void {
    if (!this.layout) return;
    for (const [key, parts] of this.parts) {
      const state = frame.nodes.get(key);
      const box = this.layout.boxes.get(key)!;
      if (state === undefined || !state.present) this.setAbsent(parts, box);
      else this.setPresent(parts, state);
    }
  }

  private setAbsent(parts: NodeParts, box: Box): void {
    if (parts.present === false) return;
    parts.present = false;
    parts.group.classList.add('absent');
    // No numbers while it does not exist: an empty status, not the last frame's (or the end of the run's).
    parts.status.textContent = '';
    parts.lastStatus = '';
    this.setState(parts, '', '');
    if (parts.bar) {
      parts.bar.setAttribute('width', '0');
      parts.lastBarWidth = 0;
    }
    setSpoken(parts, absentLabel(box));
  }

  private setPresent(parts: NodeParts, state: NodeFrame): void {
    if (parts.present !== true) {
      parts.present = true;
      parts.group.classList.remove('absent');
    }
    if (state.status !== parts.lastStatus) {
      parts.status.textContent = state.status;
      parts.lastStatus = state.status;
    }
    if (state.spoken !== parts.lastSpoken) setSpoken(parts, state.spoken);
    if (parts.bar) {
      const width = Math.round(Math.min(1, Math.max(0, state.bar ?? 0)) * 1000) / 1000;
      if (width !== parts.lastBarWidth) {
        parts.bar.setAttribute('width', String(width * Number(parts.bar.dataset.max)));
        parts.lastBarWidth = width;
      }
    }
    this.setState(parts, state.state === 'idle' ? '' : state.state, state.badge);
  }

  private setState(parts: NodeParts, state: string, badge: string): void {
    if (state !== parts.lastState) {
      if (parts.lastState) parts.group.classList.remove(`is-${parts.lastState}`);
      if (state) parts.group.classList.add(`is-${state}`);
      parts.lastState = state;
    }
    if (badge !== parts.lastBadge) {
      parts.badge.textContent = badge;
      parts.lastBadge = badge;
    }
  }
}

/** Sets a node's text alternative (its `<title>` and `aria-label`). */
function setSpoken(parts: NodeParts, spoken: string): void {
  parts.title.textContent = spoken;
  parts.group.setAttribute('aria-label', spoken);
  parts.lastSpoken = spoken;
}

/** Text alternative of a node that does not exist (yet, or any more) at the shown time. */
function absentLabel(box: Box): string {
  return `${box.node.kindLabel} ${box.node.label}: not present at this time`;
}

/** Draws one node's static parts and returns handles to the parts that change. */
function drawNode(g: Selection<SVGGElement, Box, null, undefined>, box: Box): NodeParts {
  const { shape } = box.node;
  const title = g.append('title').node()!;
  g.append('rect').attr('class', 'node-box').attr('width', box.w).attr('height', box.h)
    .attr('rx', shape === 'router' ? box.h / 2 : 10);
  g.append('text').attr('class', 'node-kind').attr('x', 12).attr('y', 18).text(box.node.kindLabel);
  const label = g.append('text').attr('class', 'node-label').attr('x', 12).attr('y', 38).node()!;
  const chars = Math.round(LABEL_CHARS[shape]
    * (shape === 'log' ? box.w / NODE_SIZE.log.w : Math.min(1, box.w / NODE_SIZE[shape].w)));
  fitLabel(label, box.node.label, chars, box.w - 8);
  // Measured again once the page's fonts are in: a fallback font measures wider or narrower.
  if (typeof document !== 'undefined') void document.fonts?.ready.then(() => fitLabel(label, box.node.label, chars, box.w - 8));
  const statusY = shape === 'queue' || shape === 'worker' ? 56 : shape === 'log' ? LOG_HEADER_HEIGHT - 4 : 54;
  const status = g.append('text').attr('class', 'node-status').attr('x', shape === 'log' ? box.w - 12 : 12)
    .attr('text-anchor', shape === 'log' ? 'end' : 'start').attr('y', shape === 'log' ? 18 : statusY).node()!;
  const badge = g.append('text').attr('class', 'node-badge').attr('x', box.w - 10).attr('y', shape === 'log' ? 38 : 18)
    .attr('text-anchor', 'end').node()!;
  const parts: NodeParts = {
    group: g.node()!, title, status, badge, lastSpoken: '', lastStatus: '', lastBarWidth: -1, lastState: '',
    lastBadge: '', present: undefined,
  };
  // Every role="img" needs a text alternative from the start, also while the node does not exist yet at time t.
  setSpoken(parts, absentLabel(box));
  if (shape === 'queue' || shape === 'worker') {
    const max = box.w - 24;
    g.append('rect').attr('class', 'bar-track').attr('x', 12).attr('y', box.h - 14).attr('width', max).attr('height', 6).attr('rx', 3);
    const bar = g.append('rect').attr('class', shape === 'queue' ? 'bar depth-bar' : 'bar progress-bar')
      .attr('x', 12).attr('y', box.h - 14).attr('width', 0).attr('height', 6).attr('rx', 3).node()!;
    bar.dataset.max = String(max);
    parts.bar = bar;
  }
  if (shape === 'log') {
    // Lanes of the partitions (the canvas layer draws their records and cursors).
    const lanes = Math.max(1, Math.round((box.h - LOG_HEADER_HEIGHT - 10) / LOG_LANE_HEIGHT));
    for (let i = 0; i < lanes; i++) {
      g.append('rect').attr('class', 'log-lane').attr('x', 10).attr('y', LOG_HEADER_HEIGHT + i * LOG_LANE_HEIGHT)
        .attr('width', box.w - 20).attr('height', LOG_LANE_HEIGHT - 6).attr('rx', 4);
    }
  }
  return parts;
}

/**
 * Writes `full` into a node's label, cut with "…" at `maxChars` characters and then, where the text is laid out,
 * shortened until its rendered width fits `maxWidth` (SVG user units): names whose letters are wider than the
 * character budget assumes (`amq.gen-HJAB…` in capitals) would otherwise run past the box on a narrow screen.
 */
function fitLabel(text: SVGTextElement, full: string, maxChars: number, maxWidth: number): void {
  let shown = truncate(full, maxChars);
  text.textContent = shown;
  if (typeof text.getComputedTextLength !== 'function') return;
  let body = shown === full ? full : shown.slice(0, -1);
  while (body.length > 1 && text.getComputedTextLength() > maxWidth) {
    body = body.slice(0, -1);
    shown = `${body}…`;
    text.textContent = shown;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** Creates an empty `<svg>` for a TopologyView (kept here so callers need no namespace constant). */
export function createSvg(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'sim-svg');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  return svg;
}
