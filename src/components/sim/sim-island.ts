/**
 * The live simulation island: wires the SVG view, the canvas layer, the player machine, the knobs panel and the
 * live region inside one `[data-mq-sim]` element rendered by `WorkQueueSim.astro`.
 *
 * Public API for other parts of the page (the code runner):
 *
 *   document.dispatchEvent(new CustomEvent('mqlab:trace', {
 *     detail: { trace, endedAtMs, source: 'code', label?: 'your program' },
 *   }));
 *
 * Every simulation island on the page then shows that run (from t = 0, playing unless the visitor prefers
 * reduced motion; if the diagram is scrolled out of view it waits at t = 0 and starts once seen) with a banner "Showing the run of <label> — Back to the knobs simulation"; the knobs are
 * disabled until the visitor goes back. `trace` is a `TraceEvent[]` (simulator/trace.ts) and `endedAtMs` the
 * simulated time the run ended (ms). Malformed details are ignored with a console warning. Each island also
 * dispatches `mqlab:sim-source` on its root element (`detail: { source: 'knobs' | 'code' }`) when it switches.
 * An event sent before the island has loaded (it loads lazily, when scrolled near) is kept by the loader in
 * `WorkQueueSim.astro`, which then loads the island at once and shows the run. Extra detail fields are ignored.
 *
 * Time: the loop (requestAnimationFrame) only advances the player's simulated clock by wall-dt × speed and
 * renders `(trace, atMs)`; knob changes re-run the scenario from t = 0 with the same seed, and "crash" re-runs it
 * with one more crash at the current time (same past, new future) and continues from there.
 */
import { createActor } from 'xstate';
import { createSnapshotCursor, type Snapshot, type SnapshotCursor } from '../../../simulator/brokers/amqp/fold.ts';
import { TraceLog } from '../../../simulator/core/trace-log.ts';
import type { TraceEvent, TraceReader } from '../../../simulator/trace.ts';
import { isTypingTarget, prefersReducedMotion } from '../../lib/motion.ts';
import { AnnounceThrottle } from './announcer.ts';
import { KnobsPanel, type KnobsRun } from './knobs-panel.ts';
import { layoutTopology, type Layout } from './layout.ts';
import { MessageLayer, readPalette } from './message-layer.ts';
import { eventTimesOf, playerMachine, SPEEDS } from './player-machine.ts';
import { TopologyView } from './topology-view.ts';

/** Detail of the `mqlab:trace` event. */
export interface TraceEventDetail {
  trace: TraceEvent[];
  endedAtMs: number;
  source: 'code';
  label?: string;
}

export const TRACE_EVENT = 'mqlab:trace';

/** A run the view can show. */
interface LoadedRun {
  /** A code run's `TraceEvent[]` or a knobs run's dense `TraceLog`: read only through `TraceReader`. */
  trace: TraceReader;
  endedAtMs: number;
  source: 'knobs' | 'code';
}

const islands: SimIsland[] = [];

/**
 * Mounts the island in `root` (idempotent). `external`: a `mqlab:trace` detail that arrived before this module
 * loaded (the loader in WorkQueueSim.astro keeps the latest one); a new island shows it at once.
 */
export function mountSimIsland(root: HTMLElement, external?: unknown): SimIsland {
  const existing = islands.find((island) => island.root === root);
  if (existing) return existing;
  const island = new SimIsland(root);
  islands.push(island);
  if (islands.length === 1) installGlobalListeners();
  if (external !== undefined && isTraceDetail(external)) island.showExternalRun(external);
  return island;
}

function installGlobalListeners(): void {
  document.addEventListener(TRACE_EVENT, (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!isTraceDetail(detail)) {
      console.warn(`${TRACE_EVENT}: expected detail { trace: TraceEvent[], endedAtMs: number }, got`, detail);
      return;
    }
    for (const island of islands) island.showExternalRun(detail);
  });
  // Shortcuts act on the island that holds the focus (clicking anywhere in it focuses it: its root has
  // tabindex=-1), so space still scrolls the page while the reader is elsewhere.
  document.addEventListener('keydown', (event) => {
    const target = event.target instanceof Node ? event.target : null;
    const island = target ? islands.find((candidate) => candidate.root.contains(target)) : undefined;
    island?.handleKey(event);
  });
}

function isTraceDetail(detail: unknown): detail is TraceEventDetail {
  if (typeof detail !== 'object' || detail === null) return false;
  const d = detail as Record<string, unknown>;
  return Array.isArray(d.trace) && typeof d.endedAtMs === 'number' && Number.isFinite(d.endedAtMs);
}

function query<T extends Element>(root: Element, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`WorkQueueSim markup is missing ${selector}`);
  return found;
}

export class SimIsland {
  readonly root: HTMLElement;
  private readonly view: TopologyView;
  private readonly layer: MessageLayer;
  private readonly actor = createActor(playerMachine);
  private readonly knobs: KnobsPanel;
  private readonly reducedMotion: boolean;
  private readonly ui: {
    toggle: HTMLButtonElement;
    step: HTMLButtonElement;
    restart: HTMLButtonElement;
    speed: HTMLSelectElement;
    clock: HTMLElement;
    scrubber: HTMLInputElement;
    live: HTMLElement;
    banner: HTMLElement;
    bannerBack: HTMLButtonElement;
    bannerLabel: HTMLElement;
    counters: Map<string, HTMLElement>;
    stage: HTMLElement;
  };
  private run: LoadedRun | null = null;
  private knobsRun: LoadedRun | null = null;
  private cursor: SnapshotCursor | null = null;
  private layout: Layout | null = null;
  private announcer: AnnounceThrottle | null = null;
  private frame = 0;
  private lastWallMs: number | null = null;
  private renderedAtMs = Number.NaN;
  private forceAnnounce = false;
  private skipAnnounce = true;
  private scrubbing = false;
  private lastCounters = '';
  private knobsSpeed = 1;
  private playWhenVisible = false;

  constructor(root: HTMLElement) {
    this.root = root;
    this.reducedMotion = prefersReducedMotion();
    const svg = query<SVGSVGElement>(root, 'svg.sim-svg');
    const canvas = query<HTMLCanvasElement>(root, 'canvas.sim-canvas');
    this.view = new TopologyView(svg);
    this.layer = new MessageLayer(canvas, readPalette(root));
    this.ui = {
      toggle: query(root, '[data-action="toggle"]'),
      step: query(root, '[data-action="step"]'),
      restart: query(root, '[data-action="restart"]'),
      speed: query(root, 'select[data-speed]'),
      clock: query(root, '[data-clock]'),
      scrubber: query(root, 'input[data-scrubber]'),
      live: query(root, '[data-live]'),
      banner: query(root, '[data-source-banner]'),
      bannerBack: query(root, '[data-action="back-to-knobs"]'),
      bannerLabel: query(root, '[data-source-label]'),
      counters: new Map([...root.querySelectorAll<HTMLElement>('[data-counter]')].map((el) => [el.dataset.counter!, el])),
      stage: query(root, '.sim-stage'),
    };
    this.knobs = new KnobsPanel(query(root, '[data-knobs]'), {
      onRun: (run, how) => this.loadKnobsRun(run, how),
      currentAtMs: () => this.actor.getSnapshot().context.atMs,
    });
    this.wireControls();
    this.actor.subscribe(() => this.onPlayerChange());
    this.actor.start();
    new IntersectionObserver((entries) => {
      if (!this.playWhenVisible || !entries.some((entry) => entry.isIntersecting)) return;
      this.playWhenVisible = false;
      this.actor.send({ type: 'PLAY' });
    }, { threshold: 0.3 }).observe(this.ui.stage);
    if ('ResizeObserver' in window) {
      new ResizeObserver(() => {
        this.renderedAtMs = Number.NaN;
        this.requestFrame();
      }).observe(this.ui.stage);
    }
    // Theme changes (lib/theme.ts) restyle the SVG through CSS variables; the canvas re-reads its palette.
    document.addEventListener('mqlab:theme', () => {
      this.layer.setPalette(readPalette(root));
      this.renderedAtMs = Number.NaN;
      this.requestFrame();
    });
    root.dataset.ready = 'true';
    this.knobs.runInitial();
  }

  /** Shows a run from elsewhere (the code runner); see the module doc. */
  showExternalRun(detail: TraceEventDetail): void {
    // A run handed over while the diagram is scrolled away waits at t = 0 and starts when it comes into view.
    // Measured before any DOM write below, so reading the layout does not force a second one.
    const visible = this.isInViewport();
    this.ui.bannerLabel.textContent = detail.label || 'your program';
    this.ui.banner.hidden = false;
    this.knobs.setEnabled(false);
    if (this.run?.source !== 'code') this.knobsSpeed = this.actor.getSnapshot().context.speed;
    this.playWhenVisible = !visible && !this.reducedMotion;
    this.load({ trace: detail.trace, endedAtMs: detail.endedAtMs, source: 'code' }, 0, visible && !this.reducedMotion);
    this.actor.send({ type: 'SPEED', speed: speedToFit(detail.endedAtMs) });
    this.root.dispatchEvent(new CustomEvent('mqlab:sim-source', { detail: { source: 'code' }, bubbles: true }));
  }

  private isInViewport(): boolean {
    const rect = this.ui.stage.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < (globalThis.innerHeight || 0) && rect.height > 0;
  }

  private backToKnobs(): void {
    this.playWhenVisible = false;
    this.ui.banner.hidden = true;
    this.knobs.setEnabled(true);
    if (this.knobsRun) this.load(this.knobsRun, 0, !this.reducedMotion);
    this.actor.send({ type: 'SPEED', speed: this.knobsSpeed });
    this.root.dispatchEvent(new CustomEvent('mqlab:sim-source', { detail: { source: 'knobs' }, bubbles: true }));
  }

  private loadKnobsRun(run: KnobsRun, how: 'initial' | 'restart' | 'fork'): void {
    const loaded: LoadedRun = { trace: run.trace, endedAtMs: run.endedAtMs, source: 'knobs' };
    const previous = this.knobsRun?.trace;
    this.knobsRun = loaded;
    try {
      this.showKnobsRun(loaded, how);
    } finally {
      // The replaced run's trace is read by nothing any more: give its memory back for the next runs.
      if (previous !== undefined && previous !== this.run?.trace && previous instanceof TraceLog) previous.release();
    }
  }

  private showKnobsRun(loaded: LoadedRun, how: 'initial' | 'restart' | 'fork'): void {
    if (this.run?.source === 'code') return;
    const state = this.actor.getSnapshot().value;
    if (how === 'initial') {
      const autoplay = !this.reducedMotion && this.root.dataset.autoplay !== 'false';
      this.load(loaded, 0, autoplay);
    } else if (how === 'fork') {
      this.load(loaded, this.actor.getSnapshot().context.atMs, state !== 'paused' || !this.reducedMotion);
    } else {
      this.load(loaded, 0, state !== 'paused' || !this.reducedMotion);
    }
  }

  private load(run: LoadedRun, atMs: number, play: boolean): void {
    this.run = run;
    this.cursor = createSnapshotCursor(run.trace);
    this.layout = layoutTopology(this.cursor.topology);
    this.view.setLayout(this.layout, this.cursor.topology.depthMax);
    this.announcer = new AnnounceThrottle(namesFor(this.cursor));
    this.ui.scrubber.max = String(run.endedAtMs);
    this.ui.stage.style.setProperty('--sim-aspect', `${this.layout.width} / ${this.layout.height}`);
    this.renderedAtMs = Number.NaN;
    this.skipAnnounce = true;
    this.actor.send({ type: 'LOAD', eventTimes: eventTimesOf(run.trace), endedAtMs: run.endedAtMs, atMs, play });
    this.requestFrame();
  }

  private wireControls(): void {
    const send = this.actor.send.bind(this.actor);
    this.ui.toggle.addEventListener('click', () => send({ type: 'TOGGLE' }));
    this.ui.step.addEventListener('click', () => {
      this.forceAnnounce = true;
      send({ type: 'STEP' });
    });
    this.ui.restart.addEventListener('click', () => {
      this.skipAnnounce = true;
      send({ type: 'RESTART' });
    });
    this.ui.speed.addEventListener('change', () => send({ type: 'SPEED', speed: Number(this.ui.speed.value) }));
    this.ui.scrubber.addEventListener('input', () => {
      this.scrubbing = true;
      this.skipAnnounce = true;
      send({ type: 'SEEK', atMs: Number(this.ui.scrubber.value) });
    });
    this.ui.scrubber.addEventListener('change', () => {
      this.scrubbing = false;
    });
    this.ui.bannerBack.addEventListener('click', () => this.backToKnobs());
  }

  /** Keyboard shortcuts: space play/pause, → step, + / − speed, r restart. Not while typing. */
  handleKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingTarget(event.target)) return;
    const onControl = event.target instanceof Element && event.target.closest('button, a, summary, [role="button"]');
    const send = this.actor.send.bind(this.actor);
    switch (event.key) {
      case ' ':
        if (onControl) return;
        send({ type: 'TOGGLE' });
        break;
      case 'ArrowRight':
        this.forceAnnounce = true;
        send({ type: 'STEP' });
        break;
      case '+':
      case '=':
        send({ type: 'SPEED', delta: 1 });
        break;
      case '-':
      case '_':
        send({ type: 'SPEED', delta: -1 });
        break;
      case 'r':
      case 'R':
        this.skipAnnounce = true;
        send({ type: 'RESTART' });
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private onPlayerChange(): void {
    const snapshot = this.actor.getSnapshot();
    const state = String(snapshot.value);
    const playing = state === 'playing';
    this.root.dataset.state = state;
    const label = playing ? 'Pause' : state === 'ended' ? 'Replay' : 'Play';
    if (this.ui.toggle.dataset.label !== label) {
      this.ui.toggle.dataset.label = label;
      this.ui.toggle.querySelector('[data-toggle-text]')!.textContent = label;
    }
    const speed = String(snapshot.context.speed);
    if (this.ui.speed.value !== speed) this.ui.speed.value = speed;
    this.requestFrame();
  }

  private requestFrame(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  private tick(wallNowMs: number): void {
    this.frame = 0;
    const playing = this.actor.getSnapshot().value === 'playing';
    if (playing && this.lastWallMs !== null) this.actor.send({ type: 'TICK', wallMs: wallNowMs - this.lastWallMs });
    this.lastWallMs = playing ? wallNowMs : null;
    this.render(wallNowMs);
    if (this.actor.getSnapshot().value === 'playing') this.requestFrame();
  }

  private render(wallNowMs: number): void {
    if (!this.cursor || !this.layout || !this.run) return;
    const { atMs, endedAtMs } = this.actor.getSnapshot().context;
    if (atMs === this.renderedAtMs) return;
    this.renderedAtMs = atMs;
    const snapshot = this.cursor.seek(atMs);
    this.view.update(snapshot);
    this.layer.draw(snapshot, this.layout, this.reducedMotion);
    this.ui.clock.textContent = `t = ${(atMs / 1000).toFixed(2)} s`;
    this.ui.clock.setAttribute('aria-label', `simulated time ${(atMs / 1000).toFixed(1)} of ${(endedAtMs / 1000).toFixed(1)} seconds`);
    if (!this.scrubbing) this.ui.scrubber.value = String(Math.round(atMs));
    this.renderCounters(snapshot);
    this.knobs.update(snapshot, this.run.source === 'knobs');
    this.announce(wallNowMs);
  }

  private renderCounters(snapshot: Snapshot): void {
    const c = snapshot.counters;
    const values: Record<string, number> = {
      published: c.published, delivered: c.delivered, acked: c.acked, redelivered: c.redelivered,
      requeued: c.requeued, lost: c.lost,
    };
    const key = JSON.stringify(values);
    if (key === this.lastCounters) return;
    this.lastCounters = key;
    for (const [name, el] of this.ui.counters) el.textContent = String(values[name] ?? 0);
  }

  private announce(wallNowMs: number): void {
    if (!this.cursor || !this.announcer || !this.run) return;
    if (this.skipAnnounce) {
      this.skipAnnounce = false;
      this.announcer.reset();
      return;
    }
    const { from, to } = this.cursor.lastApplied;
    const text = this.announcer.offer(this.run.trace.slice(from, to), wallNowMs, this.forceAnnounce);
    this.forceAnnounce = false;
    if (text !== null) this.ui.live.textContent = text;
  }
}

/** Wall-clock time a program's run should take at the chosen speed (ms), so a short run can still be followed. */
const CODE_RUN_WALL_MS = 8000;

/** Playback speed for a code run of `endedAtMs`: slow enough to follow, fast enough not to drag. */
export function speedToFit(endedAtMs: number): number {
  const ideal = endedAtMs / CODE_RUN_WALL_MS;
  let speed: number = SPEEDS[0];
  for (const s of SPEEDS) if (s <= ideal) speed = s;
  return speed;
}

function namesFor(cursor: SnapshotCursor) {
  const consumers = new Map(cursor.topology.consumers.map((c) => [c.consumerTag, c.label]));
  const channels = new Map<string, string>();
  for (const c of cursor.topology.consumers) channels.set(c.channel, c.label);
  const producers = new Map(cursor.topology.producers.map((p) => [p.connection, p.label]));
  return {
    consumerLabel: (tag: string) => consumers.get(tag) ?? tag,
    channelLabel: (channel: string) => channels.get(channel) ?? producers.get(channel.split('.')[0]) ?? channel,
  };
}

export { SPEEDS };
