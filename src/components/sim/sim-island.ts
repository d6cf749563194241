/**
 * A lesson's live simulation island: wires the stage (SVG nodes + canvas messages), the player machine, the knobs
 * panel, charts, the message inspector, share links and the live region inside one `[data-mq-sim]` element
 * rendered by `Simulation.astro`. It knows no broker: the declaration names a scenario, and the broker's view
 * plugin (loaded from the registry by the broker id, or by the kinds of a handed-over trace) turns each run into
 * the view model (`simulator/view/model.ts`) that everything here draws.
 *
 * Public API for other parts of the page (the code runner):
 *
 *   document.dispatchEvent(new CustomEvent('mqlab:trace', {
 *     detail: { trace, endedAtMs, source: 'code', label?: 'your program' },
 *   }));
 *
 * Every simulation island on the page then shows that run (from t = 0, playing unless the visitor prefers
 * reduced motion; if the diagram is scrolled out of view it waits at t = 0 and starts once seen) with a banner
 * "Showing the run of <label> — Back to the knobs simulation"; the knobs are disabled until the visitor goes back.
 * `trace` is a `TraceEvent[]` (simulator/trace.ts) and `endedAtMs` the simulated time the run ended (ms).
 * Malformed details are ignored with a console warning. Each island also dispatches `mqlab:sim-source` on its root
 * element (`detail: { source: 'knobs' | 'code' }`) when it switches. An event sent before the island has loaded
 * is kept by the loader in `Simulation.astro`, which then loads the island at once and shows the run.
 *
 * Time: the loop (requestAnimationFrame) only advances the player's simulated clock by wall-dt × speed and
 * renders `(run, atMs)`; knob changes re-run the scenario from t = 0 with the same seed, and a fault re-runs it
 * with one more fault at the current time (same past, new future) and continues from there.
 */
import { createActor } from 'xstate';
import { TraceLog } from '../../../simulator/core/trace-log.ts';
import { brokerOfKind } from '../../../simulator/brokers/catalog.ts';
import { loadViewPlugin } from '../../../simulator/brokers/registry.ts';
import type { Scenario } from '../../../simulator/scenario.ts';
import type { TraceReader } from '../../../simulator/trace.ts';
import type { ViewAdapter, ViewFrame } from '../../../simulator/view/model.ts';
import type { SimulationDeclaration } from '../../../content/simulations/types.ts';
import { isTypingTarget, prefersReducedMotion } from '../../lib/motion.ts';
import {
  collectShareState, copyText, pageHasShare, registerShareContributor, reportShareError, sharedStateOfPage, shareUrl,
} from '../../lib/share.ts';
import { whenNear, mountEverything } from '../../lib/when-near.ts';
import { AnnounceThrottle } from './announcer.ts';
import type { KnobsPanel, KnobsRun } from './knobs-panel.ts';
import { readInitialRun, type InitialRun } from './initial-run.ts';
import { layoutTopology, VERTICAL_BELOW_PX, type Layout, type Orientation } from './layout.ts';
import { MessageLayer, readPalette } from './message-layer.ts';
import { eventTimesOf, playerMachine, SPEEDS } from './player-machine.ts';
import { parseSimConfig, type SimConfig } from './sim-config.ts';
import { TopologyView } from './topology-view.ts';
import { TRACE_EVENT, type TraceEventDetail } from '../../lib/trace-event.ts';


/** A run the view can show. */
interface LoadedRun {
  trace: TraceReader;
  endedAtMs: number;
  source: 'knobs' | 'code';
  view: ViewAdapter;
}

const islands: SimIsland[] = [];
const declarations = import.meta.glob<{ default: SimulationDeclaration }>('../../../content/simulations/*.ts');

/**
 * Mounts the island in `root` (idempotent): reads its configuration, loads its declaration and scenario.
 * `external`: a `mqlab:trace` detail that arrived before this module loaded (the loader keeps the latest one).
 */
export async function mountSimIsland(root: HTMLElement, external?: unknown): Promise<SimIsland> {
  const existing = islands.find((island) => island.root === root);
  if (existing) return existing;
  const config = parseSimConfig(root.dataset.config);
  if (config instanceof Error) throw config;
  const load = declarations[`../../../content/simulations/${config.sim}.ts`];
  if (load === undefined) throw new Error(`no simulation named ${config.sim}`);
  const loadScenario = async () => (await load()).default.scenario();
  // The default run may be in the page already (built with the site): then the scenario and its broker code load
  // only when the learner comes to the knobs. A share link sets its own knobs: it always runs here.
  const defaults: Record<string, number | string> = { ...config.fixed };
  for (const spec of config.knobs) defaults[spec.name] = spec.default;
  const initial = pageHasShare() ? undefined : readInitialRun(root, defaults);
  const scenario = initial === undefined ? await loadScenario() : undefined;
  const view = await loadViewPlugin(initial?.broker ?? scenario!.broker);
  const again = islands.find((island) => island.root === root);
  if (again) return again;
  const island = new SimIsland(root, config, scenario === undefined ? loadScenario : async () => scenario,
    (trace) => view.createView(trace), initial);
  islands.push(island);
  if (islands.length === 1) installGlobalListeners();
  if (external !== undefined && isTraceDetail(external)) void island.showExternalRun(external);
  return island;
}

function installGlobalListeners(): void {
  document.addEventListener(TRACE_EVENT, (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!isTraceDetail(detail)) {
      console.warn(`${TRACE_EVENT}: expected detail { trace: TraceEvent[], endedAtMs: number }, got`, detail);
      return;
    }
    for (const island of islands) void island.showExternalRun(detail);
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
  if (!found) throw new Error(`the simulation's markup is missing ${selector}`);
  return found;
}

/** The view plugin of a handed-over trace: the broker that wrote its first broker entry. */
async function viewOfTrace(trace: TraceReader): Promise<ViewAdapter> {
  for (const entry of trace) {
    const broker = brokerOfKind(entry.kind);
    if (broker !== undefined) return (await loadViewPlugin(broker.id)).createView(trace);
  }
  throw new Error('the run recorded nothing a broker did');
}

export class SimIsland {
  readonly root: HTMLElement;
  private readonly config: SimConfig;
  private readonly createView: (trace: TraceReader) => ViewAdapter;
  private readonly view: TopologyView;
  private readonly layer: MessageLayer;
  private readonly actor = createActor(playerMachine);
  /** The knobs panel, once its code and the scenario have loaded (`ensureKnobs`). */
  private knobs: KnobsPanel | undefined;
  private knobsLoad: Promise<KnobsPanel> | undefined;
  private knobsEnabled = true;
  private readonly loadScenario: () => Promise<Scenario>;
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
    canvas: HTMLCanvasElement;
    share: HTMLButtonElement | null;
    shareStatus: HTMLElement | null;
    notice: HTMLElement | null;
  };
  private charts: import('./charts.ts').Charts | undefined;
  private inspector: import('./inspector.ts').Inspector | undefined;
  private selected: string | undefined;
  private run: LoadedRun | null = null;
  private knobsRun: LoadedRun | null = null;
  private layout: Layout | null = null;
  private orientation: Orientation = 'horizontal';
  private frame: ViewFrame | null = null;
  private readonly announcer = new AnnounceThrottle();
  private animation = 0;
  private lastWallMs: number | null = null;
  private renderedAtMs = Number.NaN;
  private forceAnnounce = false;
  private skipAnnounce = true;
  private scrubbing = false;
  private lastCounters = '';
  private knobsSpeed = 1;
  private playWhenVisible = false;
  private externalToken = 0;

  /**
   * `loadScenario` gives the scenario (loading its broker code); `initial` is the default run embedded in the page,
   * played at once without it (see initial-run.ts).
   */
  constructor(root: HTMLElement, config: SimConfig, loadScenario: () => Promise<Scenario>,
    createView: (trace: TraceReader) => ViewAdapter, initial?: InitialRun) {
    this.root = root;
    this.config = config;
    this.loadScenario = loadScenario;
    this.createView = createView;
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
      stage: query(root, '[data-stage]'),
      canvas,
      share: root.querySelector('[data-action="share"]'),
      shareStatus: root.querySelector('[data-share-status]'),
      notice: root.querySelector('[data-stage-notice]'),
    };
    this.orientation = this.orientationFor(this.ui.stage.clientWidth);
    this.wireControls();
    this.actor.subscribe(() => this.onPlayerChange());
    this.actor.start();
    new IntersectionObserver((entries) => {
      if (!this.playWhenVisible || !entries.some((entry) => entry.isIntersecting)) return;
      this.playWhenVisible = false;
      this.actor.send({ type: 'PLAY' });
    }, { threshold: 0.3 }).observe(this.ui.stage);
    if ('ResizeObserver' in window) {
      new ResizeObserver((entries) => {
        const width = entries[0]?.contentRect.width ?? this.ui.stage.clientWidth;
        const orientation = this.orientationFor(width);
        if (orientation !== this.orientation) {
          this.orientation = orientation;
          if (this.run) this.applyLayout(this.run);
        }
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
    this.setUpOptionalParts();
    registerShareContributor((state) => {
      state.sims ??= {};
      try {
        const knobs = this.knobs?.state() ?? { knobs: { ...config.fixed }, faults: [], seed: config.seed };
        if (!this.knobs) for (const spec of config.knobs) knobs.knobs[spec.name] = spec.default;
        state.sims[config.sim] = { ...knobs, atMs: Math.round(this.actor.getSnapshot().context.atMs) };
      } catch {
        // A knob holds an invalid value: nothing of this simulation is shared.
      }
    });
    root.dataset.ready = 'true';
    const form = query<HTMLElement>(root, '[data-knobs]');
    if (initial !== undefined) {
      this.loadKnobsRun({ run: { trace: initial.trace, endedAtMs: initial.endedAtMs }, knobs: initial.knobs, faults: [] },
        'initial');
      whenNear([form], () => this.ensureKnobs(), '0px');
    } else {
      void this.ensureKnobs().then((knobs) => {
        if (!pageHasShare()) {
          knobs.runInitial();
          return;
        }
        void sharedStateOfPage().then((shared) => {
          if (shared.error) reportShareError(shared.error);
          const mine = shared.state?.sims?.[config.sim];
          if (mine === undefined || !knobs.restore(mine)) knobs.runInitial();
          else if (mine.atMs !== undefined) {
            // The link shows the moment its sender saw: paused there, so it can be read; Play goes on from it.
            this.actor.send({ type: 'PAUSE' });
            this.actor.send({ type: 'SEEK', atMs: mine.atMs });
          }
        });
      }, () => undefined);
    }
  }

  /**
   * The knobs panel: loads its code and the scenario (the broker model) the first time. A failure shows in the
   * panel's error line; the run already shown keeps playing.
   */
  private ensureKnobs(): Promise<KnobsPanel> {
    this.knobsLoad ??= Promise.all([import('./knobs-panel.ts'), this.loadScenario()]).then(([{ KnobsPanel }, scenario]) => {
      const panel = new KnobsPanel(query(this.root, '[data-knobs]'), this.config, scenario, {
        onRun: (run, how) => this.loadKnobsRun(run, how),
        currentAtMs: () => this.actor.getSnapshot().context.atMs,
      });
      this.knobs = panel;
      panel.setEnabled(this.knobsEnabled);
      if (this.run) panel.update(this.actor.getSnapshot().context.atMs, this.run.source === 'knobs');
      return panel;
    }, (error: unknown) => {
      const line = this.root.querySelector<HTMLElement>('[data-knobs-error]');
      if (line) {
        line.textContent = `The knobs could not start: ${error instanceof Error ? error.message : String(error)}`;
        line.hidden = false;
      }
      throw error;
    });
    return this.knobsLoad;
  }

  /**
   * The charts and the inspector are their own chunks, loaded when the declaration asks for them and the learner
   * comes near them (lib/when-near.ts), or, for the inspector, when a message is picked on the canvas or with `i`.
   */
  private setUpOptionalParts(): void {
    const chartsRoot = this.root.querySelector<HTMLElement>('[data-charts]');
    if (chartsRoot !== null && this.config.charts.length > 0) {
      whenNear([chartsRoot], async () => {
        const { Charts } = await import('./charts.ts');
        this.charts = new Charts(chartsRoot, this.config.charts);
        if (this.run) this.drawCharts(this.run);
      }, '200px');
    }
    if (this.config.inspector && this.root.querySelector('[data-inspector]')) {
      const picker = this.root.querySelector<HTMLElement>('.sim-inspect-row');
      if (picker) whenNear([picker], () => this.ensureInspector(), '200px');
      this.ui.canvas.style.pointerEvents = 'auto';
      this.ui.canvas.addEventListener('click', (event) => this.onCanvasClick(event));
    }
  }

  private inspectorLoad: Promise<import('./inspector.ts').Inspector> | undefined;

  /** The inspector, loading its chunk the first time (it then lists the current run's messages). */
  private ensureInspector(): Promise<import('./inspector.ts').Inspector> {
    this.inspectorLoad ??= import('./inspector.ts').then(({ Inspector }) => {
      const inspector = new Inspector(this.root);
      inspector.onSelect = (msgId) => void this.select(msgId);
      this.inspector = inspector;
      if (this.run) this.listMessages(this.run);
      return inspector;
    });
    return this.inspectorLoad;
  }

  private orientationFor(width: number): Orientation {
    return width > 0 && width < VERTICAL_BELOW_PX ? 'vertical' : 'horizontal';
  }

  /** Shows a run from elsewhere (the code runner); see the module doc. */
  async showExternalRun(detail: TraceEventDetail): Promise<void> {
    const token = ++this.externalToken;
    const trace = detail.trace as unknown as TraceReader;
    let view: ViewAdapter;
    try {
      view = await viewOfTrace(trace);
    } catch (error) {
      console.warn('MQ Lab: this run cannot be shown in the simulation:', error);
      return;
    }
    if (token !== this.externalToken) return;
    // A run handed over while the diagram is scrolled away waits at t = 0 and starts when it comes into view.
    // Measured before any DOM write below, so reading the layout does not force a second one.
    const visible = this.isInViewport();
    this.ui.bannerLabel.textContent = detail.label || 'your program';
    this.ui.banner.hidden = false;
    this.knobsEnabled = false;
    this.knobs?.setEnabled(false);
    if (this.run?.source !== 'code') this.knobsSpeed = this.actor.getSnapshot().context.speed;
    this.playWhenVisible = !visible && !this.reducedMotion;
    this.load({ trace, endedAtMs: detail.endedAtMs, source: 'code', view }, 0, visible && !this.reducedMotion);
    this.actor.send({ type: 'SPEED', speed: speedToFit(detail.endedAtMs) });
    this.root.dispatchEvent(new CustomEvent('mqlab:sim-source', { detail: { source: 'code' }, bubbles: true }));
  }

  private isInViewport(): boolean {
    const rect = this.ui.stage.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < (globalThis.innerHeight || 0) && rect.height > 0;
  }

  private backToKnobs(): void {
    this.externalToken++;
    this.playWhenVisible = false;
    this.ui.banner.hidden = true;
    this.knobsEnabled = true;
    this.knobs?.setEnabled(true);
    if (this.knobsRun) this.load(this.knobsRun, 0, !this.reducedMotion);
    this.actor.send({ type: 'SPEED', speed: this.knobsSpeed });
    this.root.dispatchEvent(new CustomEvent('mqlab:sim-source', { detail: { source: 'knobs' }, bubbles: true }));
  }

  private loadKnobsRun(result: KnobsRun, how: 'initial' | 'restart' | 'fork'): void {
    // How many knob runs this island has loaded: tests (and scripts) wait for it to grow after a knob change.
    this.root.dataset.knobsRuns = String(Number(this.root.dataset.knobsRuns ?? 0) + 1);
    const loaded: LoadedRun = {
      trace: result.run.trace, endedAtMs: result.run.endedAtMs, source: 'knobs', view: this.createView(result.run.trace),
    };
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
    const sameRunKind = this.run?.source === run.source;
    this.run = run;
    this.applyLayout(run);
    this.ui.scrubber.max = String(run.endedAtMs);
    this.renderedAtMs = Number.NaN;
    this.skipAnnounce = true;
    // A new run: nothing said about the old one stays in the live region.
    this.announcer.reset();
    if (!sameRunKind) this.ui.live.textContent = '';
    if (this.charts) this.drawCharts(run);
    if (this.inspector) this.listMessages(run);
    if (this.selected !== undefined) {
      const selected = this.selected;
      void run.view.message(selected).then((detail) => {
        if (this.run === run) void this.select(detail ? selected : undefined);
      });
    }
    this.actor.send({ type: 'LOAD', eventTimes: eventTimesOf(run.trace), endedAtMs: run.endedAtMs, atMs, play });
    this.requestFrame();
  }

  /** Draws the charts of `run` once its series are ready (unless another run was loaded meanwhile). */
  private drawCharts(run: LoadedRun): void {
    void run.view.series().then((series) => {
      if (this.run !== run || !this.charts) return;
      this.charts.setRun(series, run.endedAtMs);
      this.charts.setTime(this.actor.getSnapshot().context.atMs);
    });
  }

  /** Lists the messages of `run` in the inspector's picker. */
  private listMessages(run: LoadedRun): void {
    void run.view.messageIds().then((ids) => {
      if (this.run === run) this.inspector?.setMessages(ids);
    });
  }

  /** Lays out the run's topology for the current orientation (log nodes sized by their partitions). */
  private applyLayout(run: LoadedRun): void {
    const partitions = new Map<string, number>();
    if (run.view.topology.nodes.some((n) => n.shape === 'log')) {
      for (const log of run.view.seek(run.endedAtMs).logs) partitions.set(log.node, log.partitions.length);
    }
    this.layout = layoutTopology(run.view.topology, { orientation: this.orientation, partitions });
    this.view.setLayout(this.layout, run.view.topology.ariaLabel);
    this.ui.stage.style.setProperty('--sim-aspect', `${this.layout.width} / ${this.layout.height}`);
    this.ui.stage.style.setProperty('--sim-aspect-inverse', String(this.layout.height / this.layout.width));
    // The legend lists only what this run can show.
    for (const item of this.root.querySelectorAll<HTMLElement>('[data-legend-item]')) {
      item.hidden = !run.view.topology.edges.some((edge) => edge.style === item.dataset.legendItem);
    }
    // Queue rows or log cells, as the run has queues or logs (a run with neither keeps the queue's).
    const hasLog = run.view.topology.nodes.some((n) => n.shape === 'log');
    for (const item of this.root.querySelectorAll<HTMLElement>('[data-legend-shape]')) {
      item.hidden = (item.dataset.legendShape === 'log') !== hasLog;
    }
    this.renderedAtMs = Number.NaN;
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
    this.ui.share?.addEventListener('click', () => void this.share());
  }

  private async share(): Promise<void> {
    // Parts of the page not started yet (a code runner further down with stored edits) contribute too.
    await mountEverything();
    const url = await shareUrl(collectShareState());
    const status = this.ui.shareStatus;
    const copied = await copyText(url);
    if (!status) return;
    if (copied) {
      status.textContent = 'Link copied: it opens this page with these knobs, this moment of the run and your code.';
    } else {
      status.replaceChildren('Copy this link: ');
      const field = document.createElement('input');
      field.type = 'text';
      field.readOnly = true;
      field.value = url;
      field.className = 'sim-share-field';
      field.setAttribute('aria-label', 'Share link');
      status.append(field);
      field.select();
    }
  }

  /** Keyboard shortcuts: space play/pause, → step, + / − speed, r restart, i inspect. Not while typing. */
  handleKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTypingTarget(event.target)) return;
    const onControl = event.target instanceof Element && event.target.closest('button, a, summary, select, [role="button"]');
    const send = this.actor.send.bind(this.actor);
    switch (event.key) {
      case ' ':
        if (onControl) return;
        send({ type: 'TOGGLE' });
        break;
      case 'ArrowRight':
        if (event.target instanceof HTMLInputElement) return;
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
      case 'i':
      case 'I':
        if (!this.config.inspector) return;
        void this.inspectNext();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  /** Selects the next message worth looking at: one on the wire now, else the next in the run's order. */
  private async inspectNext(): Promise<void> {
    if (!this.run) return;
    const onWire = this.frame?.inFlight.filter((m) => m.kind === 'message').map((m) => m.msgId) ?? [];
    const ids = onWire.length > 0 ? onWire : await this.run.view.messageIds();
    if (ids.length === 0) return;
    const at = this.selected === undefined ? -1 : ids.indexOf(this.selected);
    await this.select(ids[(at + 1) % ids.length]);
  }

  private onCanvasClick(event: MouseEvent): void {
    if (!this.frame || !this.layout) return;
    const rect = this.ui.canvas.getBoundingClientRect();
    const scale = this.layout.width / rect.width;
    const msgId = this.layer.hitTest(this.frame, this.layout, (event.clientX - rect.left) * scale,
      (event.clientY - rect.top) * scale, this.reducedMotion);
    if (msgId !== undefined) void this.select(msgId);
  }

  private async select(msgId: string | undefined): Promise<void> {
    this.selected = msgId;
    const run = this.run;
    if (msgId !== undefined && this.config.inspector) await this.ensureInspector();
    const detail = msgId === undefined || run === null ? undefined : await run.view.message(msgId);
    if (this.selected !== msgId || this.run !== run) return;
    this.inspector?.show(detail, this.actor.getSnapshot().context.atMs);
    this.renderedAtMs = Number.NaN;
    this.requestFrame();
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
    if (this.animation === 0) this.animation = requestAnimationFrame((now) => this.tick(now));
  }

  private tick(wallNowMs: number): void {
    this.animation = 0;
    const playing = this.actor.getSnapshot().value === 'playing';
    if (playing && this.lastWallMs !== null) this.actor.send({ type: 'TICK', wallMs: wallNowMs - this.lastWallMs });
    this.lastWallMs = playing ? wallNowMs : null;
    this.render(wallNowMs);
    if (this.actor.getSnapshot().value === 'playing') this.requestFrame();
  }

  private render(wallNowMs: number): void {
    if (!this.layout || !this.run) return;
    const { atMs, endedAtMs } = this.actor.getSnapshot().context;
    if (atMs === this.renderedAtMs) return;
    this.renderedAtMs = atMs;
    const frame = this.run.view.seek(atMs);
    this.frame = frame;
    this.view.update(frame);
    this.layer.draw(frame, this.layout, this.reducedMotion, this.selected);
    this.ui.clock.textContent = `t = ${(atMs / 1000).toFixed(2)} s`;
    this.ui.clock.setAttribute('aria-label', `simulated time ${(atMs / 1000).toFixed(1)} of ${(endedAtMs / 1000).toFixed(1)} seconds`);
    if (!this.scrubbing) this.ui.scrubber.value = String(Math.round(atMs));
    this.renderCounters(frame);
    if (this.ui.notice && this.ui.notice.textContent !== (frame.notice ?? '')) {
      this.ui.notice.textContent = frame.notice ?? '';
      this.ui.notice.hidden = frame.notice === undefined;
    }
    this.charts?.setTime(atMs);
    this.inspector?.setTime(atMs);
    this.knobs?.update(atMs, this.run.source === 'knobs');
    this.announce(wallNowMs);
  }

  private renderCounters(frame: ViewFrame): void {
    const values = this.config.counters.map((id) => frame.counters[id] ?? 0);
    const key = values.join(',');
    if (key === this.lastCounters) return;
    this.lastCounters = key;
    this.config.counters.forEach((id, i) => {
      const el = this.ui.counters.get(id);
      if (el) el.textContent = String(values[i]);
    });
  }

  private announce(wallNowMs: number): void {
    if (!this.run) return;
    if (this.skipAnnounce) {
      this.skipAnnounce = false;
      this.announcer.reset();
      return;
    }
    const text = this.announcer.offer(this.run.view.describeLastStep(), wallNowMs, this.forceAnnounce);
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

export { SPEEDS };
