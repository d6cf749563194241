/**
 * The knobs panel of the work-queue simulation: reads the form rendered by `WorkQueueSim.astro`, runs the scenario
 * (`runWorkQueue` from simulator/brokers/amqp/scenarios/work-queue.ts) and hands each run to the island.
 *
 * - A knob change re-runs the whole scenario from t = 0 with the same seed (`WORK_QUEUE_SEED`), so the same knobs
 *   always give the same run; crashes made earlier are kept (for workers that still exist).
 * - "Crash" adds a crash of the chosen worker at the current simulated time and re-runs: everything before now is
 *   identical (the run is deterministic), so the island continues from now in the forked run.
 * - A knob value the scenario rejects (RangeError) or a run that crosses a simulation limit shows its message in the
 *   panel and keeps the previous run.
 */
import type { Snapshot } from '../../../simulator/brokers/amqp/fold.ts';
import type { TraceReader } from '../../../simulator/trace.ts';
import {
  runWorkQueue, WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES, type WorkQueueCrash, type WorkQueueKnobs,
} from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';

/** Seed of every knobs run: fixed, so a knob setting always replays the same way. */
export const WORK_QUEUE_SEED = 1;
/** One-way network latency of the lesson's broker (ms); exaggerated so messages are seen travelling. */
export const WORK_QUEUE_LATENCY_MS = 100;
/** Simulated time after which a knobs run stops even with work pending (ms): one hour. */
export const WORK_QUEUE_UNTIL_MS = 3_600_000;
/** Wall-clock quiet time after the last slider movement before re-running (ms). */
const RERUN_DEBOUNCE_MS = 120;

export interface KnobsRun {
  /** The scenario's dense trace (`TraceLog`) or any other `TraceReader`. */
  trace: TraceReader;
  endedAtMs: number;
  knobs: WorkQueueKnobs;
}

export interface KnobsPanelHooks {
  onRun(run: KnobsRun, how: 'initial' | 'restart' | 'fork'): void;
  /** The island's simulated clock (ms), where a crash is inserted. */
  currentAtMs(): number;
}

export type NumericKnob = 'producerRatePerSec' | 'messageCount' | 'consumerCount' | 'prefetch' | 'processingMs';
const NUMERIC_KNOBS: NumericKnob[] = ['producerRatePerSec', 'messageCount', 'consumerCount', 'prefetch', 'processingMs'];

export class KnobsPanel {
  private readonly form: HTMLFormElement;
  private readonly hooks: KnobsPanelHooks;
  private readonly fields: HTMLFieldSetElement;
  private readonly error: HTMLElement;
  private readonly crashSelect: HTMLSelectElement;
  private readonly crashButton: HTMLButtonElement;
  private readonly crashList: HTMLElement;
  private crashes: WorkQueueCrash[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCrashState = '';

  constructor(form: HTMLFormElement, hooks: KnobsPanelHooks) {
    this.form = form;
    this.hooks = hooks;
    this.fields = must(form.querySelector<HTMLFieldSetElement>('fieldset[data-knobs-fields]'));
    this.error = must(form.querySelector<HTMLElement>('[data-knobs-error]'));
    this.crashSelect = must(form.querySelector<HTMLSelectElement>('select[name="crashWorker"]'));
    this.crashButton = must(form.querySelector<HTMLButtonElement>('[data-action="crash"]'));
    this.crashList = must(form.querySelector<HTMLElement>('[data-crash-list]'));
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('input', (event) => this.onInput(event));
    this.crashButton.addEventListener('click', () => this.crashNow());
    form.querySelector('[data-action="reset-knobs"]')?.addEventListener('click', () => this.reset());
    this.syncOutputs();
  }

  runInitial(): void {
    this.run('initial');
  }

  setEnabled(enabled: boolean): void {
    this.fields.disabled = !enabled;
  }

  /** Keeps the crash picker in step with the run: a worker that already crashed cannot crash again. */
  update(snapshot: Snapshot, active: boolean): void {
    const crashedNow = new Set(this.crashes.filter((c) => c.atMs <= snapshot.atMs).map((c) => c.consumer));
    const state = `${active}|${[...crashedNow].join(',')}|${this.crashSelect.value}|${this.crashSelect.options.length}`;
    if (state === this.lastCrashState) return;
    this.lastCrashState = state;
    for (const option of this.crashSelect.options) option.disabled = crashedNow.has(Number(option.value));
    const chosen = Number(this.crashSelect.value);
    // No worker chosen (the picker is empty with 0 workers): nothing to crash.
    this.crashButton.disabled = !active || !(Number.isInteger(chosen) && chosen >= 1) || crashedNow.has(chosen);
  }

  /**
   * The knobs as the form holds them. Each numeric field must be a finite number inside the range its slider
   * offers (`WORK_QUEUE_KNOB_RANGES[name].slider`): a value typed or scripted outside it (negative, NaN, 10^9)
   * is refused here with a message naming the knob, before any simulation runs, so an absurd value can neither
   * throw nor freeze the page with a huge run. The scenario's own validation (integers, …) still applies.
   * @throws RangeError naming the knob, its allowed range and the value given.
   */
  private knobs(): WorkQueueKnobs {
    const data = new FormData(this.form);
    const num = (name: NumericKnob) => readKnobValue(name, data.get(name));
    const knobs: WorkQueueKnobs = {
      producerRatePerSec: num('producerRatePerSec'),
      messageCount: num('messageCount'),
      consumerCount: num('consumerCount'),
      prefetch: num('prefetch'),
      processingMs: num('processingMs'),
      processingJitterMs: WORK_QUEUE_DEFAULTS.processingJitterMs,
      ackMode: data.get('ackMode') === 'auto' ? 'auto' : 'manual',
      crashes: [],
    };
    this.crashes = this.crashes.filter((c) => c.consumer <= knobs.consumerCount);
    knobs.crashes = [...this.crashes];
    return knobs;
  }

  private run(how: 'initial' | 'restart' | 'fork'): boolean {
    try {
      const knobs = this.knobs();
      const result = runWorkQueue(knobs, {
        seed: WORK_QUEUE_SEED, untilMs: WORK_QUEUE_UNTIL_MS, latencyMs: WORK_QUEUE_LATENCY_MS,
      });
      this.error.hidden = true;
      this.error.textContent = '';
      this.hooks.onRun({ trace: result.trace, endedAtMs: result.endedAtMs, knobs }, how);
      return true;
    } catch (err) {
      this.error.hidden = false;
      const message = (err instanceof Error ? err.message : String(err)).replace(/\.\s*$/, '');
      this.error.textContent = `${message}. The simulation keeps showing ` +
        'the last valid settings.';
      return false;
    }
  }

  private onInput(event: Event): void {
    const target = event.target as HTMLInputElement | null;
    if (!target || target.name === 'crashWorker') {
      this.lastCrashState = '';
      return;
    }
    this.syncOutputs();
    if (target.name === 'consumerCount') this.syncCrashOptions();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run('restart'), RERUN_DEBOUNCE_MS);
  }

  private crashNow(): void {
    const consumer = Number(this.crashSelect.value);
    if (!Number.isInteger(consumer) || consumer < 1) return;
    const atMs = Math.floor(this.hooks.currentAtMs());
    const before = this.crashes;
    this.crashes = [...before.filter((c) => c.consumer !== consumer || c.atMs > atMs), { consumer, atMs }];
    if (!this.run('fork')) this.crashes = before;
    this.renderCrashList();
    this.lastCrashState = '';
  }

  private reset(): void {
    for (const name of NUMERIC_KNOBS) {
      const input = this.form.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = String(WORK_QUEUE_DEFAULTS[name]);
    }
    const manual = this.form.querySelector<HTMLInputElement>('input[name="ackMode"][value="manual"]');
    if (manual) manual.checked = true;
    this.crashes = [];
    this.syncOutputs();
    this.syncCrashOptions();
    this.renderCrashList();
    this.run('restart');
  }

  private syncOutputs(): void {
    for (const output of this.form.querySelectorAll<HTMLOutputElement>('output[data-for]')) {
      const input = this.form.elements.namedItem(output.dataset.for ?? '');
      if (!(input instanceof HTMLInputElement)) continue;
      const value = Number(input.value);
      const unitPlural = output.dataset.unit ?? '';
      const unit = value === 1 && unitPlural.endsWith('s') && unitPlural !== 'ms' ? unitPlural.slice(0, -1) : unitPlural;
      const shown = !Number.isFinite(value) || input.value.trim() === '' ? 'invalid'
        : input.name === 'prefetch' && value === 0 ? 'unlimited' : `${value} ${unit}`.trim();
      output.textContent = shown;
      input.setAttribute('aria-valuetext', shown);
    }
  }

  private syncCrashOptions(): void {
    let count: number;
    try {
      const input = this.form.elements.namedItem('consumerCount');
      count = readKnobValue('consumerCount', input instanceof HTMLInputElement ? input.value : null);
    } catch {
      return; // An invalid worker count (its message shows on the re-run): keep the picker as it is.
    }
    const selected = Number(this.crashSelect.value);
    this.crashSelect.replaceChildren(
      ...Array.from({ length: count }, (_, i) => new Option(`worker ${i + 1}`, String(i + 1))),
    );
    // Keep the chosen worker if it still exists, else choose the first (an empty picker had no choice to keep).
    if (count > 0) this.crashSelect.value = String(Number.isInteger(selected) && selected >= 1 && selected <= count ? selected : 1);
    this.crashSelect.disabled = count === 0;
    if (count === 0) this.crashButton.disabled = true;
    this.lastCrashState = '';
  }

  private renderCrashList(): void {
    const text = this.crashes
      .slice()
      .sort((a, b) => a.atMs - b.atMs)
      .map((c) => `worker ${c.consumer} at ${(c.atMs / 1000).toFixed(2)} s`)
      .join(', ');
    this.crashList.textContent = text ? `Crashes in this run: ${text}.` : '';
  }
}

/** Longest piece of a rejected value quoted back in a message (characters). */
const QUOTED_VALUE_CHARS_MAX = 40;

/**
 * Parses one numeric knob from the form (`raw` is a FormData value; null means the field is absent: its default).
 * @throws RangeError if it is empty, not a finite number or outside the slider's range, e.g.
 *   `Messages must be a number from 1 to 200 messages, got 1000000000`.
 */
export function readKnobValue(name: NumericKnob, raw: FormDataEntryValue | null): number {
  if (raw === null) return WORK_QUEUE_DEFAULTS[name];
  const range = WORK_QUEUE_KNOB_RANGES[name];
  const { min, max } = range.slider;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    const shown = text === '' ? 'nothing' : JSON.stringify(text.length > QUOTED_VALUE_CHARS_MAX
      ? `${text.slice(0, QUOTED_VALUE_CHARS_MAX)}…` : text);
    throw new RangeError(`${range.label} must be a number from ${min} to ${max} ${range.unit}, got ${shown}`);
  }
  return value;
}

function must<T>(value: T | null): T {
  if (value === null) throw new Error('WorkQueueSim knobs markup is incomplete');
  return value;
}
