/**
 * The canvas layer: every message on the wire as a dot, ready messages as a row of squares inside their queue, and
 * the messages a consumer holds as small dots inside its box. It is redrawn from scratch each frame from
 * `(snapshot, layout)`; a dot's position is `from + (to - from) × progress`, nothing is remembered between frames.
 * Drawing is batched by colour (one path per colour), so a thousand dots cost a handful of fills.
 *
 * With reduced motion, a message on the wire is drawn at the middle of its path for its whole flight: it jumps
 * from node to wire to node instead of gliding.
 */
import type { InFlight, Snapshot } from '../../../simulator/brokers/amqp/fold.ts';
import { pathBetween, type Layout } from './layout.ts';

/** Colours of the layer, read from CSS custom properties (`--sim-*`) so themes can change them. */
export interface MessagePalette {
  publish: string;
  deliver: string;
  redelivered: string;
  ack: string;
  nack: string;
  ready: string;
  /** Colour of message-id labels. */
  label: string;
}

/** Most ready messages drawn as squares inside a queue box; the depth bar and count carry the rest. */
const READY_SQUARES_MAX = 28;
/** Most held messages drawn inside a consumer box. */
const HELD_DOTS_MAX = 10;
/** With at most this many messages on the wire, each dot carries its message id. */
const LABELS_IN_FLIGHT_MAX = 12;
const DOT_RADIUS = 5;
const ACK_RADIUS = 3.5;

export function readPalette(element: Element): MessagePalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    publish: read('--sim-publish', '#2457d6'),
    deliver: read('--sim-deliver', '#2457d6'),
    redelivered: read('--sim-redelivered', '#d9480f'),
    ack: read('--sim-ack', '#1d7a46'),
    nack: read('--sim-nack', '#b3261e'),
    ready: read('--sim-depth', '#7aa0f0'),
    label: read('--color-text-muted', '#5a6372'),
  };
}

/** A small stable offset (−3..3 viewBox units) per message so dots on one path do not sit exactly on top. */
function laneJitter(msgId: string): number {
  let h = 0;
  for (let i = 0; i < msgId.length; i++) h = (h * 31 + msgId.charCodeAt(i)) | 0;
  return ((h >>> 0) % 7) - 3;
}

export class MessageLayer {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private palette: MessagePalette;
  private pixelWidth = 0;
  private pixelHeight = 0;

  constructor(canvas: HTMLCanvasElement, palette: MessagePalette) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('Canvas 2D is not available in this browser.');
    this.ctx = ctx;
    this.palette = palette;
    canvas.setAttribute('aria-hidden', 'true');
  }

  setPalette(palette: MessagePalette): void {
    this.palette = palette;
  }

  /** Draws `snapshot` over `layout`, scaled to the canvas's CSS size. */
  draw(snapshot: Snapshot, layout: Layout, reducedMotion: boolean): void {
    const ctx = this.ctx;
    this.fitToElement();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.pixelWidth, this.pixelHeight);
    const scale = this.pixelWidth / layout.width;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    this.drawQueues(snapshot, layout);
    this.drawHeld(snapshot, layout);
    this.drawInFlight(snapshot.inFlight, layout, reducedMotion);
  }

  private fitToElement(): void {
    const ratio = Math.min(globalThis.devicePixelRatio || 1, 2);
    const width = Math.round(this.canvas.clientWidth * ratio);
    const height = Math.round(this.canvas.clientHeight * ratio);
    if (width !== this.pixelWidth || height !== this.pixelHeight) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.pixelWidth = width;
      this.pixelHeight = height;
    }
  }

  private drawQueues(snapshot: Snapshot, layout: Layout): void {
    const ctx = this.ctx;
    if (!snapshot.nodes.queues.some((queue) => queue.ready.length > 0)) return;
    ctx.fillStyle = this.palette.ready;
    ctx.beginPath();
    for (const queue of snapshot.nodes.queues) {
      const box = layout.boxes.get(`queue:${queue.name}`);
      if (!box) continue;
      const count = Math.min(queue.ready.length, READY_SQUARES_MAX);
      const size = 6;
      const gap = 1.5;
      // Head of the queue on the right, next to the consumers.
      const right = box.x + box.w / 2 - 12;
      const y = box.y - box.h / 2 + 64;
      for (let i = 0; i < count; i++) ctx.rect(right - (i + 1) * (size + gap) + gap, y, size, size);
    }
    ctx.fill();
  }

  private drawHeld(snapshot: Snapshot, layout: Layout): void {
    const ctx = this.ctx;
    if (!snapshot.nodes.consumers.some((consumer) => consumer.holding.length > 0)) return;
    ctx.fillStyle = this.palette.deliver;
    ctx.beginPath();
    const labels: Array<[string, number, number]> = [];
    for (const consumer of snapshot.nodes.consumers) {
      const box = layout.boxes.get(`consumer:${consumer.consumerTag}`);
      if (!box || consumer.holding.length === 0) continue;
      const count = Math.min(consumer.holding.length, HELD_DOTS_MAX);
      const right = box.x + box.w / 2 - 12;
      const y = box.y - box.h / 2 + 32;
      for (let i = 0; i < count; i++) {
        const x = right - i * 9;
        ctx.moveTo(x + 3.5, y);
        ctx.arc(x, y, 3.5, 0, Math.PI * 2);
      }
      if (consumer.processing) labels.push([consumer.processing.msgId, right, y - 8]);
    }
    ctx.fill();
    this.drawLabels(labels, 'right');
  }

  /** Small message-id captions; `align` says which side of the point the text sits on. */
  private drawLabels(labels: ReadonlyArray<[string, number, number]>, align: 'center' | 'right'): void {
    if (labels.length === 0) return;
    const ctx = this.ctx;
    ctx.fillStyle = this.palette.label;
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = align;
    ctx.textBaseline = 'bottom';
    for (const [text, x, y] of labels) ctx.fillText(text, x + (align === 'right' ? 4 : 0), y);
  }

  private drawInFlight(inFlight: readonly InFlight[], layout: Layout, reducedMotion: boolean): void {
    const ctx = this.ctx;
    const groups: Array<[string, number, (m: InFlight) => boolean]> = [
      [this.palette.publish, DOT_RADIUS, (m) => m.kind === 'publish'],
      [this.palette.deliver, DOT_RADIUS, (m) => m.kind === 'deliver' && !m.redelivered],
      [this.palette.redelivered, DOT_RADIUS, (m) => m.kind === 'deliver' && m.redelivered],
      [this.palette.ack, ACK_RADIUS, (m) => m.kind === 'ack'],
      [this.palette.nack, ACK_RADIUS, (m) => m.kind === 'nack'],
    ];
    const labelled = inFlight.length <= LABELS_IN_FLIGHT_MAX;
    const labels: Array<[string, number, number]> = [];
    for (const [colour, radius, matches] of groups) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      let any = false;
      for (const message of inFlight) {
        if (!matches(message)) continue;
        const path = pathBetween(layout, message.from, message.to);
        if (!path) continue;
        const progress = reducedMotion ? 0.5 : Math.min(1, Math.max(0, message.progress));
        const x = path.x0 + (path.x1 - path.x0) * progress;
        const y = path.y0 + (path.y1 - path.y0) * progress + laneJitter(message.msgId);
        ctx.moveTo(x + radius, y);
        ctx.arc(x, y, radius, 0, Math.PI * 2);
        if (labelled && message.kind !== 'ack') labels.push([message.msgId, x, y - radius - 2]);
        any = true;
      }
      if (any) ctx.fill();
    }
    this.drawLabels(labels, 'center');
  }
}
