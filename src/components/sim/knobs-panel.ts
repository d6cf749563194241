/**
 * The knobs panel of a lesson's simulation: reads the form `Simulation.astro` rendered from the declaration (number
 * knobs as sliders, choice knobs as radio buttons, one picker + button per offered fault), runs the scenario and
 * hands each run to the island. It knows no broker: knob specs and fault specs come from the scenario.
 *
 * - A knob change re-runs the whole scenario from t = 0 with the same seed, so the same knobs always give the same
 *   run. Faults made earlier are kept (the same crash at the same moment), for targets that still exist; the
 *   panel lists them and "Clear faults" removes them.
 * - A fault button adds that fault at the current simulated time and re-runs: everything before now is identical
 *   (the run is deterministic), so the island continues from now in the forked run ("fork"). The picker then moves
 *   to a target that can still take the fault, and the button's state follows at once (also while paused).
 * - Every value is checked against its spec (`readKnob`: one wording, naming the knob and the range the slider
 *   offers) before anything runs; a value the scenario still rejects, or a run that crosses a simulation limit,
 *   shows its message in the panel and keeps the previous run.
 */
import type { Fault, KnobSpec, KnobValues, Scenario, ScenarioRun } from '../../../simulator/scenario.ts';
import { readKnob, unitFor } from '../../../simulator/scenario.ts';
import type { SimConfig } from './sim-config.ts';

/** Wall-clock quiet time after the last slider movement before re-running (ms). */
const RERUN_DEBOUNCE_MS = 120;

export interface KnobsRun {
  run: ScenarioRun;
  knobs: KnobValues;
  faults: readonly Fault[];
}

export interface KnobsPanelHooks {
  onRun(run: KnobsRun, how: 'initial' | 'restart' | 'fork'): void;
  /** The island's simulated clock (ms), where a fault is inserted. */
  currentAtMs(): number;
}

/** The state a share link carries for a simulation. */
export interface KnobsState {
  knobs: Record<string, number | string>;
  faults: Fault[];
  /** The run's seed (the PRNG's seed: same seed + knobs + faults = the same run). */
  seed: number;
}

/** Largest seed the field takes (the engine's PRNG takes any 32-bit integer; we keep to non-negative ones). */
export const SEED_MAX = 2_147_483_647;

export class KnobsPanel {
  private readonly form: HTMLFormElement;
  /** The seed field (absent in pages built before it existed: the declaration's seed is used). */
  private readonly seedInput: HTMLInputElement | null;
  private readonly config: SimConfig;
  private readonly scenario: Scenario;
  private readonly hooks: KnobsPanelHooks;
  private readonly fields: HTMLFieldSetElement;
  private readonly error: HTMLElement;
  private readonly faultList: HTMLElement;
  private readonly clearButton: HTMLButtonElement | null;
  private faults: Fault[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFaultState = '';
  private lastAtMs = 0;
  private active = true;

  constructor(form: HTMLFormElement, config: SimConfig, scenario: Scenario, hooks: KnobsPanelHooks) {
    this.form = form;
    this.config = config;
    this.scenario = scenario;
    this.hooks = hooks;
    this.fields = must(form.querySelector<HTMLFieldSetElement>('fieldset[data-knobs-fields]'));
    this.error = must(form.querySelector<HTMLElement>('[data-knobs-error]'));
    this.faultList = must(form.querySelector<HTMLElement>('[data-crash-list]'));
    this.clearButton = form.querySelector<HTMLButtonElement>('[data-action="clear-faults"]');
    this.seedInput = form.querySelector<HTMLInputElement>('[data-knob-seed]');
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('input', (event) => this.onInput(event));
    for (const button of form.querySelectorAll<HTMLButtonElement>('[data-fault-id]')) {
      button.addEventListener('click', () => this.applyFault(button.dataset.faultId ?? ''));
    }
    this.clearButton?.addEventListener('click', () => this.clearFaults());
    form.querySelector('[data-action="reset-knobs"]')?.addEventListener('click', () => this.reset());
    this.syncOutputs();
    this.syncTargets();
  }

  runInitial(): void {
    this.run('initial');
  }

  setEnabled(enabled: boolean): void {
    this.fields.disabled = !enabled;
  }

  /** The knobs and faults now (for a share link). */
  state(): KnobsState {
    return { knobs: this.values(), faults: [...this.faults], seed: this.seed() };
  }

  /**
   * Sets knobs and faults (from a share link) and re-runs. Values outside a knob's range are refused with the
   * panel's message and change nothing. Returns whether it was applied.
   */
  restore(state: { knobs?: Record<string, unknown>; faults?: unknown[]; seed?: unknown }): boolean {
    const before = { knobs: this.values(), faults: this.faults, seed: this.seed() };
    try {
      for (const spec of this.config.knobs) {
        if (state.knobs?.[spec.name] === undefined) continue;
        this.setField(spec, readKnob(spec, state.knobs[spec.name]));
      }
      if (state.seed !== undefined) this.setSeed(Number(readKnob(this.seedSpec, state.seed)));
      this.faults = (state.faults ?? []).filter(isFault).slice(0, 50);
    } catch (error) {
      this.showError(error);
      for (const spec of this.config.knobs) this.setField(spec, before.knobs[spec.name]);
      this.faults = before.faults;
      this.setSeed(before.seed);
      return false;
    }
    this.syncOutputs();
    this.syncTargets();
    this.renderFaultList();
    return this.run('restart');
  }

  /** Keeps the fault pickers in step with the run: a target that already took a fault cannot take it again. */
  update(atMs: number, active: boolean): void {
    this.lastAtMs = atMs;
    this.active = active;
    const done = this.faults.filter((f) => f.atMs <= atMs).map((f) => `${f.id}:${f.target}`).join(',');
    const state = `${active}|${done}|${[...this.form.querySelectorAll<HTMLSelectElement>('[data-fault-target]')].map((s) => `${s.value}/${s.options.length}`).join(',')}`;
    if (state === this.lastFaultState) return;
    this.lastFaultState = state;
    for (const box of this.form.querySelectorAll<HTMLElement>('[data-fault]')) {
      const id = box.dataset.fault ?? '';
      const spec = this.config.faults.find((f) => f.id === id);
      const select = box.querySelector<HTMLSelectElement>('[data-fault-target]');
      const button = box.querySelector<HTMLButtonElement>('[data-fault-id]');
      if (!spec || !select || !button) continue;
      const hit = new Set(this.faults.filter((f) => f.id === id && f.atMs <= atMs).map((f) => f.target));
      for (const option of select.options) {
        const taken = !spec.repeatable && hit.has(option.value);
        option.disabled = taken;
        const base = option.dataset.label ?? option.textContent ?? '';
        option.dataset.label = base;
        option.textContent = taken ? `${base} (${pastTense(spec.verb)})` : base;
      }
      // Keep a usable target chosen: the picker leaves a target that cannot take the fault any more.
      if (select.selectedOptions[0]?.disabled) {
        const free = [...select.options].find((o) => !o.disabled);
        if (free) select.value = free.value;
      }
      const chosen = select.selectedOptions[0];
      button.disabled = !active || chosen === undefined || chosen.disabled;
    }
  }

  /** The seed field's spec (checked with the knobs' one wording): a whole number from 0 to SEED_MAX. */
  private get seedSpec(): KnobSpec {
    return { name: 'seed', kind: 'number', label: 'Seed', unit: '', description: 'The run\'s random seed.', min: 0,
      max: SEED_MAX, step: 1, integer: true, default: this.config.seed };
  }

  /** The seed the field holds (the declaration's when the page has no field). @throws RangeError as `readKnob`. */
  private seed(): number {
    return this.seedInput === null ? this.config.seed : Number(readKnob(this.seedSpec, this.seedInput.value));
  }

  private setSeed(seed: number): void {
    if (this.seedInput) this.seedInput.value = String(seed);
  }

  /** The knobs as the form holds them, checked. @throws RangeError naming the knob and its range. */
  private values(): Record<string, number | string> {
    const data = new FormData(this.form);
    const out: Record<string, number | string> = { ...this.config.fixed };
    for (const spec of this.config.knobs) out[spec.name] = readKnob(spec, data.get(spec.name) ?? undefined);
    return out;
  }

  private run(how: 'initial' | 'restart' | 'fork'): boolean {
    try {
      const knobs = this.values();
      this.faults = this.faults.filter((f) => this.targetExists(f, knobs));
      const run = this.scenario.run(knobs, {
        seed: this.seed(), untilMs: this.config.untilMs, latencyMs: this.config.latencyMs, faults: this.faults,
      });
      this.error.hidden = true;
      this.error.textContent = '';
      this.renderFaultList();
      this.hooks.onRun({ run, knobs, faults: [...this.faults] }, how);
      this.lastFaultState = '';
      this.update(this.hooks.currentAtMs(), this.active);
      return true;
    } catch (err) {
      this.showError(err);
      return false;
    }
  }

  private showError(err: unknown): void {
    this.error.hidden = false;
    const message = (err instanceof Error ? err.message : String(err)).replace(/\.\s*$/, '');
    this.error.textContent = `${message}. The simulation keeps showing the last valid settings.`;
  }

  private targetExists(fault: Fault, knobs: KnobValues): boolean {
    const spec = this.scenario.faults.find((f) => f.id === fault.id);
    return spec !== undefined && spec.targets(knobs).some((t) => t.value === fault.target);
  }

  private onInput(event: Event): void {
    const target = event.target as HTMLInputElement | null;
    if (!target || target.matches('[data-fault-target]')) {
      this.lastFaultState = '';
      this.update(this.lastAtMs, this.active);
      return;
    }
    this.syncOutputs();
    this.syncTargets();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run('restart'), RERUN_DEBOUNCE_MS);
  }

  private applyFault(id: string): void {
    const select = this.form.querySelector<HTMLSelectElement>(`[data-fault="${CSS.escape(id)}"] [data-fault-target]`);
    const target = select?.value;
    if (target === undefined || target === '') return;
    const atMs = Math.floor(this.hooks.currentAtMs());
    const before = this.faults;
    const spec = this.config.faults.find((f) => f.id === id);
    // A later fault of the same kind on the same target is replaced by this earlier one (history forks here).
    this.faults = [...before.filter((f) => f.id !== id || f.target !== target || (spec?.repeatable && f.atMs <= atMs)),
      { id, target, atMs }];
    if (!this.run('fork')) this.faults = before;
    this.renderFaultList();
  }

  private clearFaults(): void {
    this.faults = [];
    this.renderFaultList();
    this.run('restart');
    this.fields.querySelector<HTMLButtonElement>('[data-action="reset-knobs"]')?.focus();
  }

  private reset(): void {
    for (const spec of this.config.knobs) this.setField(spec, spec.default);
    this.setSeed(this.config.seed);
    this.faults = [];
    this.syncOutputs();
    this.syncTargets();
    this.renderFaultList();
    this.run('restart');
  }

  private setField(spec: KnobSpec, value: number | string | undefined): void {
    if (value === undefined) return;
    if (spec.kind === 'number') {
      const input = this.form.elements.namedItem(spec.name);
      if (input instanceof HTMLInputElement) input.value = String(value);
    } else {
      for (const radio of this.form.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(spec.name)}"]`)) {
        radio.checked = radio.value === String(value);
      }
    }
  }

  private syncOutputs(): void {
    for (const output of this.form.querySelectorAll<HTMLOutputElement>('output[data-for]')) {
      const spec = this.config.knobs.find((k) => k.name === output.dataset.for);
      const input = this.form.elements.namedItem(output.dataset.for ?? '');
      if (!(input instanceof HTMLInputElement) || spec?.kind !== 'number') continue;
      const value = Number(input.value);
      const shown = !Number.isFinite(value) || input.value.trim() === '' ? 'invalid'
        : value === 0 && spec.zeroText !== undefined ? spec.zeroText : `${value} ${unitFor(value, spec.unit)}`.trim();
      output.textContent = shown;
      input.setAttribute('aria-valuetext', shown);
    }
  }

  /** Refreshes each fault picker's targets for the knobs in the form (e.g. the number of workers). */
  private syncTargets(): void {
    let knobs: KnobValues;
    try {
      knobs = this.values();
    } catch {
      return; // An invalid value (its message shows on the re-run): keep the pickers as they are.
    }
    for (const box of this.form.querySelectorAll<HTMLElement>('[data-fault]')) {
      const spec = this.scenario.faults.find((f) => f.id === box.dataset.fault);
      const select = box.querySelector<HTMLSelectElement>('[data-fault-target]');
      const button = box.querySelector<HTMLButtonElement>('[data-fault-id]');
      if (!spec || !select || !button) continue;
      const targets = spec.targets(knobs);
      const current = [...select.options].map((o) => o.value).join(',');
      if (current === targets.map((t) => t.value).join(',')) continue;
      const selected = select.value;
      select.replaceChildren(...targets.map((t) => {
        const option = new Option(t.label, t.value);
        option.dataset.label = t.label;
        return option;
      }));
      if (targets.some((t) => t.value === selected)) select.value = selected;
      select.disabled = targets.length === 0;
      if (targets.length === 0) button.disabled = true;
    }
    this.lastFaultState = '';
  }

  private renderFaultList(): void {
    const labelOf = (f: Fault) => {
      const spec = this.scenario.faults.find((s) => s.id === f.id);
      let knobs: KnobValues = this.config.fixed;
      try {
        knobs = this.values();
      } catch {
        // keep the fixed values
      }
      const target = spec?.targets(knobs).find((t) => t.value === f.target)?.label ?? f.target;
      return `${target} ${pastTense(spec?.verb ?? f.id)} at ${(f.atMs / 1000).toFixed(2)} s`;
    };
    const text = [...this.faults].sort((a, b) => a.atMs - b.atMs).map(labelOf).join(', ');
    this.faultList.textContent = text ? `Faults in this run (kept when you change a knob): ${text}.` : '';
    if (this.clearButton) this.clearButton.hidden = this.faults.length === 0;
  }
}

/** "Crash now" → "crashed"; "Restart now" → "restarted"; other verbs as they are. */
function pastTense(verb: string): string {
  const word = verb.replace(/\s+now$/i, '').toLowerCase();
  if (word.endsWith('e')) return `${word}d`;
  if (/[^aeiou][aeiou][bdgmnpt]$/.test(word) && word.length <= 4) return `${word}${word.slice(-1)}ed`;
  return word.endsWith('ed') ? word : `${word}ed`;
}

function isFault(value: unknown): value is Fault {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return typeof f.id === 'string' && typeof f.target === 'string' && typeof f.atMs === 'number'
    && Number.isFinite(f.atMs) && f.atMs >= 0 && f.atMs <= 86_400_000;
}

function must<T>(value: T | null): T {
  if (value === null) throw new Error('the simulation\'s knobs markup is incomplete');
  return value;
}
