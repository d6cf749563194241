/**
 * The canvas layer of the stage: every message on the wire as a dot, ready messages as a row of squares inside their
 * queue, the messages a worker holds as small dots inside its box, and a log's partitions as rows of offset cells
 * with cursor markers. Redrawn from scratch each frame from `(frame, layout)` (`simulator/view/model.ts`); a dot's
 * position is `from + (to - from) × progress`, nothing is remembered between frames. Drawing is batched by colour
 * (one path per colour), so a thousand dots cost a handful of fills.
 *
 * Message-id labels are drawn only while few messages are on the wire, and never on top of one another (a label
 * that would overlap one already drawn is left out), so high rates stay legible.
 *
 * With reduced motion, a message on the wire is drawn at the middle of its path for its whole flight: it jumps
 * from node to wire to node instead of gliding.
 */
import type { Flight, LogContents, ViewFrame } from '../../../simulator/view/model.ts';
import { LOG_HEADER_HEIGHT, LOG_LANE_HEIGHT, pathBetween, type Layout } from './layout.ts';

/** Colours of the layer, read from CSS custom properties (`--sim-*`) so themes can change them. */
export interface MessagePalette {
  publish: string;
  deliver: string;
  redelivered: string;
  reply: string;
  deadLetter: string;
  ack: string;
  nack: string;
  ready: string;
  cursor: string;
  /** Colour of message-id labels. */
  label: string;
}

/** Most ready messages drawn as squares inside a queue box; the depth bar and count carry the rest. */
const READY_SQUARES_MAX = 28;
/** Most held messages drawn inside a worker box. */
const HELD_DOTS_MAX = 10;
/** With at most this many messages on the wire, dots carry their message id (when there is room). */
export const LABELS_IN_FLIGHT_MAX = 12;
/** Least distance (viewBox units) between two label anchors; a closer one is left out. */
export const LABEL_SPACING = 26;
const DOT_RADIUS = 5;
const ACK_RADIUS = 3.5;

export function readPalette(element: Element): MessagePalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    publish: read('--sim-publish', '#2457d6'),
    deliver: read('--sim-deliver', '#2457d6'),
    redelivered: read('--sim-redelivered', '#d9480f'),
    reply: read('--sim-reply', '#7b3fb8'),
    deadLetter: read('--sim-dead-letter', '#8a6d00'),
    ack: read('--sim-ack', '#1d7a46'),
    nack: read('--sim-nack', '#b3261e'),
    ready: read('--sim-depth', '#7aa0f0'),
    cursor: read('--sim-cursor', '#1d7a46'),
    label: read('--color-text-muted', '#5a6372'),
  };
}

/** A small stable offset (−3..3 viewBox units) per message so dots on one path do not sit exactly on top. */
function laneJitter(msgId: string): number {
  let h = 0;
  for (let i = 0; i < msgId.length; i++) h = (h * 31 + msgId.charCodeAt(i)) | 0;
  return ((h >>> 0) % 7) - 3;
}

/**
 * Picks the labels to draw: in order, each kept only if no kept one is within `spacing` of it. Returns the kept
 * ones (pure, for tests).
 */
export function spreadLabels<T extends { x: number; y: number }>(labels: readonly T[], spacing = LABEL_SPACING): T[] {
  const kept: T[] = [];
  for (const label of labels) {
    if (kept.every((k) => Math.abs(k.x - label.x) >= spacing || Math.abs(k.y - label.y) >= spacing / 2)) kept.push(label);
  }
  return kept;
}

interface Label {
  text: string;
  x: number;
  y: number;
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

  /** Draws `frame` over `layout`, scaled to the canvas's CSS size; `selected` is highlighted (the inspector's). */
  draw(frame: ViewFrame, layout: Layout, reducedMotion: boolean, selected?: string): void {
    const ctx = this.ctx;
    this.fitToElement();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.pixelWidth, this.pixelHeight);
    const scale = this.pixelWidth / layout.width;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    this.drawQueues(frame, layout);
    for (const log of frame.logs) this.drawLog(log, layout);
    const labels: Label[] = [];
    this.drawHeld(frame, layout, labels);
    this.drawInFlight(frame.inFlight, layout, reducedMotion, labels);
    this.drawLabels(spreadLabels(labels));
    if (selected !== undefined) this.drawSelected(frame, layout, selected, reducedMotion);
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

  private drawQueues(frame: ViewFrame, layout: Layout): void {
    const ctx = this.ctx;
    if (!frame.queues.some((queue) => queue.readyCount > 0)) return;
    ctx.fillStyle = this.palette.ready;
    ctx.beginPath();
    for (const queue of frame.queues) {
      const box = layout.boxes.get(queue.node);
      if (!box) continue;
      const size = 6;
      const gap = 1.5;
      const room = Math.floor((box.w - 24) / (size + gap));
      const count = Math.min(queue.readyCount, READY_SQUARES_MAX, room);
      // Head of the queue on the right, next to the consumers.
      const right = box.x + box.w / 2 - 12;
      const y = box.y - box.h / 2 + 64;
      for (let i = 0; i < count; i++) ctx.rect(right - (i + 1) * (size + gap) + gap, y, size, size);
    }
    ctx.fill();
  }

  /** A log's partitions: the last records as cells (offset order left to right), cursors as ticks below. */
  private drawLog(log: LogContents, layout: Layout): void {
    const box = layout.boxes.get(log.node);
    if (!box) return;
    const ctx = this.ctx;
    const left = box.x - box.w / 2 + 16;
    const right = box.x + box.w / 2 - 16;
    const cell = 9;
    const room = Math.max(1, Math.floor((right - left) / cell));
    log.partitions.forEach((partition, lane) => {
      const top = box.y - box.h / 2 + LOG_HEADER_HEIGHT + lane * LOG_LANE_HEIGHT;
      // The window of offsets shown: the newest `room`, so the log end is always in view.
      const first = Math.max(partition.startOffset, partition.endOffset - room);
      ctx.fillStyle = this.palette.ready;
      ctx.beginPath();
      for (let offset = first; offset < partition.endOffset; offset++) {
        const x = left + (offset - first) * cell;
        ctx.rect(x, top + 4, cell - 2, 10);
      }
      ctx.fill();
      // Records not yet below the high watermark are drawn hollow (consumers cannot read them yet).
      if (partition.highWatermark < partition.endOffset) {
        ctx.fillStyle = this.palette.label;
        for (let offset = Math.max(first, partition.highWatermark); offset < partition.endOffset; offset++) {
          ctx.clearRect(left + (offset - first) * cell + 1.5, top + 5.5, cell - 5, 7);
        }
      }
      ctx.fillStyle = this.palette.label;
      ctx.font = '600 9px system-ui, sans-serif';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(partition.label, left - 2, top + 9);
      for (const cursor of partition.cursors) {
        const x = left + Math.min(room, Math.max(0, cursor.offset - first)) * cell;
        ctx.fillStyle = cursor.kind === 'committed' ? this.palette.cursor : this.palette.publish;
        ctx.beginPath();
        ctx.moveTo(x, top + 15);
        ctx.lineTo(x - 3.5, top + 21);
        ctx.lineTo(x + 3.5, top + 21);
        ctx.closePath();
        ctx.fill();
      }
    });
  }

  private drawHeld(frame: ViewFrame, layout: Layout, labels: Label[]): void {
    const ctx = this.ctx;
    if (!frame.workers.some((worker) => worker.holding.length > 0)) return;
    ctx.fillStyle = this.palette.deliver;
    ctx.beginPath();
    for (const worker of frame.workers) {
      const box = layout.boxes.get(worker.node);
      if (!box || worker.holding.length === 0) continue;
      const count = Math.min(worker.holding.length, HELD_DOTS_MAX);
      const right = box.x + box.w / 2 - 12;
      const y = box.y - box.h / 2 + 32;
      for (let i = 0; i < count; i++) {
        const x = right - i * 9;
        ctx.moveTo(x + 3.5, y);
        ctx.arc(x, y, 3.5, 0, Math.PI * 2);
      }
      if (worker.processing) labels.push({ text: worker.processing.msgId, x: right, y: y - 8 });
    }
    ctx.fill();
  }

  private drawLabels(labels: readonly Label[]): void {
    if (labels.length === 0) return;
    const ctx = this.ctx;
    ctx.fillStyle = this.palette.label;
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    for (const { text, x, y } of labels) ctx.fillText(text, x, y);
  }

  private position(message: Flight, layout: Layout, reducedMotion: boolean): { x: number; y: number } | undefined {
    const path = pathBetween(layout, message.from, message.to);
    if (!path) return undefined;
    const progress = reducedMotion ? 0.5 : Math.min(1, Math.max(0, message.progress));
    const jitter = laneJitter(message.msgId);
    const x = path.x0 + (path.x1 - path.x0) * progress + (layout.orientation === 'vertical' ? jitter : 0);
    const y = path.y0 + (path.y1 - path.y0) * progress + (layout.orientation === 'horizontal' ? jitter : 0);
    return { x, y };
  }

  private drawInFlight(inFlight: readonly Flight[], layout: Layout, reducedMotion: boolean, labels: Label[]): void {
    const ctx = this.ctx;
    const p = this.palette;
    const groups: Array<[string, number, (m: Flight) => boolean]> = [
      [p.deliver, DOT_RADIUS, (m) => m.kind === 'message' && m.tone === 'normal'],
      [p.redelivered, DOT_RADIUS, (m) => m.kind === 'message' && m.tone === 'redelivered'],
      [p.reply, DOT_RADIUS, (m) => m.kind === 'message' && m.tone === 'reply'],
      [p.deadLetter, DOT_RADIUS, (m) => m.kind === 'message' && m.tone === 'dead-letter'],
      [p.ack, ACK_RADIUS, (m) => m.kind === 'ack'],
      [p.nack, ACK_RADIUS, (m) => m.kind === 'nack'],
    ];
    const labelled = inFlight.length <= LABELS_IN_FLIGHT_MAX;
    for (const [colour, radius, matches] of groups) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      let any = false;
      for (const message of inFlight) {
        if (!matches(message)) continue;
        const at = this.position(message, layout, reducedMotion);
        if (!at) continue;
        ctx.moveTo(at.x + radius, at.y);
        ctx.arc(at.x, at.y, radius, 0, Math.PI * 2);
        if (labelled && message.kind === 'message') labels.push({ text: message.msgId, x: at.x, y: at.y - radius - 2 });
        any = true;
      }
      if (any) ctx.fill();
    }
  }

  /**
   * The message at viewBox point `(x, y)`: a dot on the wire, a message a worker holds, or a square in a queue's
   * row (within a few units), or undefined.
   */
  hitTest(frame: ViewFrame, layout: Layout, x: number, y: number, reducedMotion: boolean): string | undefined {
    const near = (px: number, py: number, r: number) => (px - x) ** 2 + (py - y) ** 2 <= r * r;
    for (const message of frame.inFlight) {
      if (message.kind !== 'message') continue;
      const at = this.position(message, layout, reducedMotion);
      if (at && near(at.x, at.y, 10)) return message.msgId;
    }
    for (const worker of frame.workers) {
      const box = layout.boxes.get(worker.node);
      if (!box) continue;
      const right = box.x + box.w / 2 - 12;
      const top = box.y - box.h / 2 + 32;
      for (let i = 0; i < Math.min(worker.holding.length, HELD_DOTS_MAX); i++) {
        if (near(right - i * 9, top, 7)) return worker.holding[i];
      }
    }
    for (const queue of frame.queues) {
      const box = layout.boxes.get(queue.node);
      if (!box) continue;
      const right = box.x + box.w / 2 - 12;
      const top = box.y - box.h / 2 + 64;
      for (let i = 0; i < Math.min(queue.ready.length, READY_SQUARES_MAX); i++) {
        const left = right - (i + 1) * 7.5 + 1.5;
        if (x >= left - 2 && x <= left + 8 && y >= top - 3 && y <= top + 9) return queue.ready[i];
      }
    }
    return undefined;
  }

  /** A ring around the selected message wherever it is (on the wire, held, or waiting in a queue's row). */
  private drawSelected(frame: ViewFrame, layout: Layout, msgId: string, reducedMotion: boolean): void {
    const ctx = this.ctx;
    ctx.strokeStyle = this.palette.nack;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (const message of frame.inFlight) {
      if (message.msgId !== msgId) continue;
      const at = this.position(message, layout, reducedMotion);
      if (at) {
        ctx.moveTo(at.x + 9, at.y);
        ctx.arc(at.x, at.y, 9, 0, Math.PI * 2);
      }
    }
    for (const worker of frame.workers) {
      const i = worker.holding.indexOf(msgId);
      const box = layout.boxes.get(worker.node);
      if (i < 0 || i >= HELD_DOTS_MAX || !box) continue;
      const x = box.x + box.w / 2 - 12 - i * 9;
      const y = box.y - box.h / 2 + 32;
      ctx.moveTo(x + 7, y);
      ctx.arc(x, y, 7, 0, Math.PI * 2);
    }
    for (const queue of frame.queues) {
      const i = queue.ready.indexOf(msgId);
      const box = layout.boxes.get(queue.node);
      if (i < 0 || i >= READY_SQUARES_MAX || !box) continue;
      const right = box.x + box.w / 2 - 12;
      ctx.rect(right - (i + 1) * 7.5 + 1.5 - 2, box.y - box.h / 2 + 62, 10, 10);
    }
    ctx.stroke();
  }
}
