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
import { LOG_HEADER_HEIGHT, LOG_LANE_HEIGHT, pathBetween, type Box, type Layout } from './layout.ts';

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
/** Where a worker's held messages sit, from its box's top: on the line of its kind ("CONSUMER"), clear of its name. */
const HELD_DOTS_TOP = 20;
/** With at most this many messages on the wire, dots carry their message id (when there is room). */
export const LABELS_IN_FLIGHT_MAX = 12;
/** Least distance (viewBox units) between two label anchors; a closer one is left out. */
export const LABEL_SPACING = 26;
const DOT_RADIUS = 5;
/** Font size of a log's partition names and cursor labels (viewBox units; numbers one smaller), per orientation:
 * the vertical viewBox is shown on phones, where a unit is fewer pixels. */
const LOG_FONT = { horizontal: 12, vertical: 15 } as const;
/** Where a log's cells start, from the box's left side (room for the partition's name). */
const LOG_CELLS_LEFT = 42;
/** Fewest offsets a log lane makes room for; more room doubles (16, 32, 64, …) as the log grows. */
const LOG_CAPACITY_MIN = 16;
/** Narrowest cell of a log lane (viewBox units); a longer log shows only its newest offsets. */
const LOG_CELL_MIN = 4;

/** Colours of keyed records (eight hues that read on light and dark backgrounds). */
export const KEY_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#c9a227', '#3fa6a0', '#ff8fa3'] as const;

/**
 * The colour of a record key: keys ending in a number (`customer-3`) take colour number `n mod 8`, so up to eight
 * numbered keys get eight different colours; other keys a colour from a hash of their text. Pure.
 */
export function keyColour(key: string): string {
  const numbered = /(\d+)$/.exec(key);
  let n = 0;
  if (numbered) n = Number(numbered[1]);
  else for (let i = 0; i < key.length; i++) n = (n * 31 + key.charCodeAt(i)) >>> 0;
  return KEY_COLOURS[n % KEY_COLOURS.length];
}

/**
 * The offsets a log lane of `width` viewBox units shows: `capacity` offsets from `base`, `cell` units each, numbers
 * every `labelStep` offsets (a step of 1, 2, 5, 10, 20, 50, … so numbers of `numberWidth` do not touch). The lane
 * makes room for the log-end offset and stays put while the log grows: it starts at offset 0, with room for 16,
 * then 32, 64, … offsets (each record keeps its place, so retention leaves gaps where the deleted records were);
 * when even `LOG_CELL_MIN`-unit cells cannot hold them, it shows the newest ones, from a multiple of 10. Pure.
 */
export function logWindow(endOffset: number, width: number, numberWidth = 14): {
  base: number; capacity: number; cell: number; labelStep: number;
} {
  let capacity = LOG_CAPACITY_MIN;
  while (capacity < endOffset + 1 && width / (capacity * 2) >= LOG_CELL_MIN) capacity *= 2;
  let base = 0;
  if (capacity < endOffset + 1) {
    capacity = Math.max(1, Math.floor(width / LOG_CELL_MIN));
    base = Math.max(0, Math.ceil((endOffset + 1 - capacity) / 10) * 10);
  }
  const cell = width / capacity;
  const digits = String(base + capacity).length;
  const need = (numberWidth / 2) * digits + 5;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
  const labelStep = steps.find((s) => s * cell >= need) ?? 10_000;
  return { base, capacity, cell, labelStep };
}
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

  /**
   * A log's partitions, one lane each (see `logWindow` for which offsets are in view): the records as cells in
   * offset order left to right, offset numbers under them, records deleted by retention as empty outlines, records
   * above the high watermark hollow. Each group's committed offset is a triangle above the boundary before that
   * offset, labelled with the group's name; a consumer's position (the next offset it reads) is a bar across the
   * cells. Groups keep one colour each (by their order in the frame).
   */
  private drawLog(log: LogContents, layout: Layout): void {
    const box = layout.boxes.get(log.node);
    if (!box) return;
    const ctx = this.ctx;
    const left = box.x - box.w / 2 + LOG_CELLS_LEFT;
    const right = box.x + box.w / 2 - 16;
    const font = LOG_FONT[layout.orientation];
    const groupColours = new Map<string, string>();
    const colourOf = (group: string | undefined) => {
      if (group === undefined) return this.palette.publish;
      if (!groupColours.has(group)) groupColours.set(group, this.groupPalette()[groupColours.size % 4]);
      return groupColours.get(group)!;
    };
    for (const partition of log.partitions) for (const c of partition.cursors) colourOf(c.group);
    log.partitions.forEach((partition, lane) => {
      const { cellsTop, cellH, base, capacity, cell, labelStep, xOf } = this.laneGeometry(box, lane, partition.endOffset, layout.orientation);
      const gap = cell >= 6 ? 1.5 : 0.75;
      // A partition that can take and serve nothing now is drawn faded.
      const alpha = partition.unavailable === true ? 0.35 : 1;
      // Records deleted by retention (still within the window): empty outlines where they were.
      ctx.strokeStyle = this.palette.label;
      ctx.lineWidth = 0.75;
      ctx.globalAlpha = 0.5 * alpha;
      ctx.beginPath();
      for (let offset = base; offset < Math.min(partition.startOffset, base + capacity); offset++) {
        ctx.rect(xOf(offset) + 0.5, cellsTop + 0.5, cell - gap - 1, cellH - 1);
      }
      ctx.stroke();
      ctx.globalAlpha = alpha;
      ctx.fillStyle = this.palette.ready;
      ctx.beginPath();
      for (let offset = Math.max(base, partition.startOffset); offset < partition.endOffset; offset++) {
        ctx.rect(xOf(offset), cellsTop, cell - gap, cellH);
      }
      ctx.fill();
      // Records with a key: one colour per key, so a key's records are seen together (in one partition).
      for (const record of partition.records) {
        if (record.key === undefined || record.offset < base || record.offset >= base + capacity) continue;
        ctx.fillStyle = keyColour(record.key);
        ctx.fillRect(xOf(record.offset), cellsTop, cell - gap, cellH);
      }
      // Records not yet below the high watermark are drawn hollow (consumers cannot read them yet).
      for (let offset = Math.max(base, partition.startOffset, partition.highWatermark); offset < partition.endOffset; offset++) {
        ctx.clearRect(xOf(offset) + 1.5, cellsTop + 1.5, Math.max(0.5, cell - gap - 3), cellH - 3);
      }
      ctx.globalAlpha = 1;
      // The partition's name, left of its cells.
      ctx.fillStyle = this.palette.label;
      ctx.font = `700 ${font}px system-ui, sans-serif`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillText(partition.label.slice(partition.label.lastIndexOf(' ') + 1), box.x - box.w / 2 + 16, cellsTop + cellH / 2);
      // Offset numbers under the cells, every `labelStep`-th offset.
      ctx.font = `${font - 1}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      for (let offset = Math.ceil(base / labelStep) * labelStep; offset <= Math.min(partition.endOffset, base + capacity - 1); offset += labelStep) {
        ctx.fillText(String(offset), xOf(offset) + (cell - gap) / 2, cellsTop + cellH + 2);
      }
      // Positions: a bar across the cells at the next offset each consumer reads.
      for (const cursor of partition.cursors) {
        if (cursor.kind !== 'position') continue;
        // A gap on either side (the lane shows through) keeps the bar visible on top of the cells.
        const x = this.clampX(xOf(cursor.offset), left, right) - gap / 2;
        ctx.clearRect(x - 3, cellsTop - 4, 6, cellH + 8);
        ctx.fillStyle = colourOf(cursor.group);
        ctx.fillRect(x - 1.5, cellsTop - 4, 3, cellH + 8);
      }
      // Committed offsets: a triangle above the boundary, labelled with the group (groups at one offset share it).
      const committed = new Map<number, Array<{ group: string; colour: string }>>();
      for (const cursor of partition.cursors) {
        if (cursor.kind !== 'committed') continue;
        const list = committed.get(cursor.offset) ?? [];
        list.push({ group: cursor.group ?? cursor.label, colour: colourOf(cursor.group) });
        committed.set(cursor.offset, list);
      }
      // The partition's note (where it lives, in the broker's words) above the cells, at the right end unless a
      // committed offset's triangle is there, else at the left end; cursor labels keep clear of it.
      ctx.textBaseline = 'alphabetic';
      let noteFrom = Infinity;
      let noteTo = -Infinity;
      if (partition.note !== undefined && partition.note !== '') {
        ctx.font = `${font - 1}px system-ui, sans-serif`;
        const width = ctx.measureText(partition.note).width;
        const marks = [...committed.keys()].map((o) => this.clampX(xOf(o) - gap / 2, left, right));
        const clear = (from: number, to: number) => marks.every((x) => x + 5 < from || x - 5 > to);
        noteFrom = clear(right - width, right) || !clear(left, left + width) ? right - width : left;
        noteTo = noteFrom + width;
        ctx.fillStyle = partition.unavailable === true ? this.palette.nack : this.palette.label;
        ctx.textAlign = 'left';
        ctx.fillText(partition.note, noteFrom, cellsTop - 4);
      }
      ctx.font = `700 ${font}px system-ui, sans-serif`;
      let textEnd = noteFrom === left ? noteTo : -Infinity;
      const labelRight = noteFrom === Infinity || noteFrom === left ? right : noteFrom - 6;
      for (const offset of [...committed.keys()].sort((a, b) => a - b)) {
        const groups = committed.get(offset)!;
        const x = this.clampX(xOf(offset) - gap / 2, left, right);
        ctx.fillStyle = groups[0].colour;
        ctx.beginPath();
        ctx.moveTo(x, cellsTop - 2);
        ctx.lineTo(x - 4.5, cellsTop - 9);
        ctx.lineTo(x + 4.5, cellsTop - 9);
        ctx.closePath();
        ctx.fill();
        const text = `${offset < base ? '◂ ' : ''}${groups.map((g) => g.group).join(', ')}`;
        const width = ctx.measureText(text).width;
        // Right of the triangle if there is room, else left of it; never over the previous label.
        let x0 = Math.max(x + 6, textEnd + 6);
        if (x0 + width > labelRight + 4) x0 = Math.max(textEnd + 6, x - 6 - width);
        ctx.textAlign = 'left';
        ctx.fillText(text, x0, cellsTop - 4);
        textEnd = x0 + width;
      }
    });
  }

  /**
   * Where lane `lane` of log `box` draws its cells (viewBox units): the cells' top and height, the window of offsets
   * (`logWindow`) and the left edge of offset o's cell, `xOf(o)`. Shared by drawing and hit-testing.
   */
  private laneGeometry(box: Box, lane: number, endOffset: number, orientation: Layout['orientation']) {
    const left = box.x - box.w / 2 + LOG_CELLS_LEFT;
    const right = box.x + box.w / 2 - 16;
    const cellsTop = box.y - box.h / 2 + LOG_HEADER_HEIGHT + lane * LOG_LANE_HEIGHT + 17;
    const window = logWindow(endOffset, right - left, this.numberWidth(LOG_FONT[orientation]));
    return { left, right, cellsTop, cellH: 14, ...window, xOf: (offset: number) => left + (offset - window.base) * window.cell };
  }

  /** The record of a log at viewBox point `(x, y)`, if a cell of a listed record is there. */
  private logRecordAt(frame: ViewFrame, layout: Layout, x: number, y: number): string | undefined {
    for (const log of frame.logs) {
      const box = layout.boxes.get(log.node);
      if (!box) continue;
      for (let lane = 0; lane < log.partitions.length; lane++) {
        const partition = log.partitions[lane];
        const g = this.laneGeometry(box, lane, partition.endOffset, layout.orientation);
        if (y < g.cellsTop - 2 || y > g.cellsTop + g.cellH + 2 || x < g.left || x >= g.left + g.capacity * g.cell) continue;
        const offset = g.base + Math.floor((x - g.left) / g.cell);
        const record = partition.records.find((r) => r.offset === offset);
        if (record) return record.msgId;
      }
    }
    return undefined;
  }

  /** The four colours groups take in a log's lanes (committed offsets and positions). */
  private groupPalette(): readonly string[] {
    const p = this.palette;
    return [p.cursor, p.reply, p.deadLetter, p.redelivered];
  }

  /** Width of a two-digit offset number in the log's font of size `font` (viewBox units). */
  private numberWidth(font: number): number {
    this.ctx.font = `${font - 1}px system-ui, sans-serif`;
    return this.ctx.measureText('00').width;
  }

  private clampX(x: number, left: number, right: number): number {
    return Math.min(right, Math.max(left, x));
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
      const y = box.y - box.h / 2 + HELD_DOTS_TOP;
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
   * The message at viewBox point `(x, y)`: a dot on the wire, a message a worker holds, a record's cell in a log
   * lane, or a square in a queue's row (within a few units), or undefined.
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
      const top = box.y - box.h / 2 + HELD_DOTS_TOP;
      for (let i = 0; i < Math.min(worker.holding.length, HELD_DOTS_MAX); i++) {
        if (near(right - i * 9, top, 7)) return worker.holding[i];
      }
    }
    const inLog = this.logRecordAt(frame, layout, x, y);
    if (inLog !== undefined) return inLog;
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

  /** A ring around the selected message wherever it is (on the wire, held, in a log lane, or in a queue's row). */
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
      const y = box.y - box.h / 2 + HELD_DOTS_TOP;
      ctx.moveTo(x + 7, y);
      ctx.arc(x, y, 7, 0, Math.PI * 2);
    }
    for (const log of frame.logs) {
      const box = layout.boxes.get(log.node);
      if (!box) continue;
      log.partitions.forEach((partition, lane) => {
        const record = partition.records.find((r) => r.msgId === msgId);
        if (!record) return;
        const g = this.laneGeometry(box, lane, partition.endOffset, layout.orientation);
        if (record.offset < g.base || record.offset >= g.base + g.capacity) return;
        ctx.rect(g.xOf(record.offset) - 2, g.cellsTop - 2, g.cell + 2, g.cellH + 4);
      });
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
