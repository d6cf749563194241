/**
 * Client side of `CodeRunner.astro`: turns each `[data-code-runner]` element into a working runner.
 *
 * - Until Monaco is needed the code is a plain `<pre>` (readable without JavaScript). Monaco is imported with a
 *   dynamic `import()` on the first focus/click of the code, or when the code scrolls into view
 *   (IntersectionObserver). If Monaco cannot load, a plain `<textarea>` takes its place so editing still works.
 *   The editor takes the focus only on a click, or Enter / typing on the code block; Escape gives it back
 *   (`editor-entry.ts`).
 * - Run (button or Ctrl/Cmd+Enter) runs the current code in a fresh Web Worker inside a sandboxed iframe (opaque
 *   origin, CSP without network: `sandboxed-worker.ts`) with a 1.5 s wall-clock watchdog (`run-in-worker.ts`: a
 *   loop is stopped and shown within 2 s of the click), under `CODE_RUN_LIMITS`, streams the console into the log panel, reports errors with their line (marked in Monaco
 *   when loaded) and then hands the trace to the lesson's view as a `document` CustomEvent
 *   `mqlab:trace` with detail `{ trace, endedAtMs, source: 'code', label, runnerId }` (API of
 *   src/components/sim/sim-island.ts; `label` is the runner's title, e.g. "shop.mjs").
 * - Edits persist in localStorage (`code-store.ts`); Reset restores the lesson's code and forgets the edit, and an
 *   "Undo reset" button (announced in the status region) brings the edit back until the code is edited again.
 * - While a run is going the Run button is `aria-disabled` (not `disabled`, which would drop keyboard focus to
 *   <body>) and a second click or Ctrl+Enter is ignored.
 *
 * Other scripts (the exercise) get a runner's controller with `getCodeRunner(element)` or listen for the
 * `mqlab:run-finished` event (bubbles from the runner element, detail `{ runnerId, outcome }`).
 */
import { ConsolePanel, formatMs } from './console-panel.ts';
import { clearCode, loadCode, saveCode } from './code-store.ts';
import {
  prewarmRunner, RUN_WALL_LIMIT_MS, runInWorker, secondsText, type RunHandle, type RunOutcome,
} from './run-in-worker.ts';
import { onEditIntent, swapKeepingFocus } from './editor-entry.ts';
import type { MountedEditor } from './monaco-editor.ts';
import { runnerKey } from './runner-script.ts';
import type { RunLanguage, WorkerRunOptions } from '../../workers/protocol.ts';

/** Event name of the trace hand-off to the lesson's view (see src/components/sim/). */
export const TRACE_EVENT = 'mqlab:trace';
/** Event fired on the runner element after every run. */
export const RUN_FINISHED_EVENT = 'mqlab:run-finished';
/**
 * Simulation limits of a code run in the page (tighter than the simulator's defaults, which the CLI keeps).
 * The whole trace crosses to the page's main thread when the run ends (copied, checked, then played by the view),
 * and that work grows with its length: these bounds keep the hand-off of even a runaway program (one that
 * publishes without end) well under 100 ms of main-thread time, and a lesson's programs stay far below them.
 * Crossing one ends the run with a clear `SimulationLimitError` ("Simulation limit reached: messagesInFlightMax …").
 */
export const CODE_RUN_LIMITS = {
  /** Messages in the broker at once (ready + unacked + on the wire). */
  messagesInFlightMax: 2_000,
  /** Trace entries one run may record. */
  traceEntriesMax: 20_000,
} as const;
/**
 * Delay (ms) after a run before the next run's sandbox is started, then at the browser's next idle moment (at most
 * `PREWARM_IDLE_WAIT_MS` later). Starting a sandbox creates a frame and a worker that parses the runner bundle: on
 * 2 cores that competes with the view's first frames of the run just handed over (seen: a 40 ms-CPU frame took
 * 131 ms of wall-clock time while the new sandbox loaded), so it waits until the hand-off is drawn. A Run pressed
 * before that starts its own sandbox, as the first run does.
 */
const PREWARM_DELAY_MS = 1_000;
const PREWARM_IDLE_WAIT_MS = 2_000;
/** Delay (ms) after the last keystroke before an edit is saved. */
const SAVE_DELAY_MS = 400;

/** Detail of `mqlab:trace`. */
export interface TraceEventDetail {
  trace: unknown[];
  endedAtMs: number;
  source: 'code';
  /** Shown by the view ("Showing <label>'s run"): the runner's title. */
  label: string;
  runnerId: string;
}

/** Detail of `mqlab:run-finished`. */
export interface RunFinishedDetail {
  runnerId: string;
  outcome: RunOutcome;
}

/** What other scripts can do with a runner. */
export interface CodeRunnerController {
  readonly id: string;
  readonly root: HTMLElement;
  /** The code that Run would run now. */
  getCode(): string;
  /** Replaces the code (and saves it as the learner's edit unless it equals the lesson's code). */
  setCode(code: string): void;
  /** The lesson's original code. */
  readonly initialCode: string;
  /** Runs the current code; resolves when the run is over (never rejects). */
  run(): Promise<RunOutcome>;
  /** Restores the lesson's code. */
  reset(): void;
  /** Loads Monaco (if not yet) and focuses it at `line`. */
  goToLine(line: number, column?: number): void;
}

const controllers = new WeakMap<HTMLElement, CodeRunnerController>();

/** The controller of the runner element `root` (the `[data-code-runner]` element), once initialised. */
export function getCodeRunner(root: Element | null): CodeRunnerController | undefined {
  return root instanceof HTMLElement ? controllers.get(root) : undefined;
}

/** Initialises every runner under `scope` not initialised yet. Idempotent. */
export function initCodeRunners(scope: ParentNode = document): void {
  for (const root of scope.querySelectorAll<HTMLElement>('[data-code-runner]')) {
    if (!controllers.has(root)) controllers.set(root, createRunner(root));
  }
}

function createRunner(root: HTMLElement): CodeRunnerController {
  const id = root.dataset.runnerId ?? 'runner';
  const language: RunLanguage = root.dataset.language === 'ts' ? 'ts' : 'js';
  const label = root.dataset.label || 'your program';
  const runOptions = readRunOptions(root, id, language);
  const pre = query<HTMLPreElement>(root, '[data-code-pre]');
  const codeEl = query<HTMLElement>(root, '[data-code-text]');
  const editorHost = query<HTMLElement>(root, '[data-editor-host]');
  const runButton = query<HTMLButtonElement>(root, '[data-action="run"]');
  const resetButton = query<HTMLButtonElement>(root, '[data-action="reset"]');
  const undoResetButton = query<HTMLButtonElement>(root, '[data-action="undo-reset"]');
  const status = query<HTMLElement>(root, '[data-run-status]');
  const editedNote = query<HTMLElement>(root, '[data-edited-note]');
  const panel = new ConsolePanel(query<HTMLElement>(root, '[data-console]'));

  const initialCode = codeEl.textContent ?? '';
  let code = loadCode(id) ?? initialCode;
  let editor: MountedEditor | undefined;
  let textarea: HTMLTextAreaElement | undefined;
  let editorLoad: Promise<void> | undefined;
  let current: RunHandle | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: IntersectionObserver | undefined;
  let busy = false;
  /** The learner's code before the last Reset (until they edit again). */
  let codeBeforeReset: string | undefined;

  const showCodeInPre = () => { codeEl.textContent = code; };
  const updateEdited = () => { editedNote.hidden = code === initialCode; };

  const persistSoon = () => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (code === initialCode) clearCode(id);
      else saveCode(id, code);
    }, SAVE_DELAY_MS);
  };

  const hideUndo = () => {
    codeBeforeReset = undefined;
    if (undoResetButton.hidden) return;
    // Never hide the focused button: focus would fall to <body>.
    if (document.activeElement === undoResetButton) resetButton.focus();
    undoResetButton.hidden = true;
  };

  const onEdit = (value: string) => {
    if (value !== initialCode) hideUndo();
    code = value;
    updateEdited();
    persistSoon();
  };

  const loadEditor = (focusAfter: boolean): Promise<void> => {
    observer?.disconnect();
    prewarmRunner(runnerKey([code]));
    if (!editorLoad) {
      root.dataset.editor = 'loading';
      editorLoad = import('./monaco-editor.ts')
        .then(({ mountEditor }) => {
          editorHost.hidden = false;
          editor = mountEditor(editorHost, {
            id,
            language,
            value: code,
            ariaLabel: `Code editor (${language === 'ts' ? 'TypeScript' : 'JavaScript'}). Ctrl+Enter runs the code; `
              + 'Escape leaves the editor; Ctrl+M (Mac: Ctrl+Shift+M) switches Tab between indenting and moving focus.',
            onChange: onEdit,
            onRun: () => runFromUi(),
            onEscape: () => editorHost.focus(),
          });
          // A keyboard user on the code block stays on the block (now the editor's host), not in the editor.
          swapKeepingFocus(pre, () => editorHost, () => { pre.hidden = true; });
          root.querySelector<HTMLElement>('[data-editor-keys]')?.removeAttribute('hidden');
          root.dataset.editor = 'monaco';
        })
        .catch((error: unknown) => {
          console.warn('MQ Lab: the code editor could not load; using a plain text area.', error);
          textarea = mountTextarea();
          root.dataset.editor = 'textarea';
        });
    }
    return editorLoad.then(() => {
      if (focusAfter) (editor ?? textarea)?.focus();
    });
  };

  const mountTextarea = (): HTMLTextAreaElement => {
    const area = document.createElement('textarea');
    area.className = 'code-runner__textarea';
    area.value = code;
    area.spellcheck = false;
    area.rows = Math.min(32, Math.max(6, code.split('\n').length + 1));
    area.setAttribute('aria-label', 'Code (plain text editor). Ctrl+Enter runs the code.');
    area.addEventListener('input', () => onEdit(area.value));
    swapKeepingFocus(pre, () => area, () => pre.replaceWith(area));
    return area;
  };

  const setBusy = (value: boolean) => {
    busy = value;
    // aria-disabled, not `disabled`: a disabled button drops the keyboard focus to <body>.
    if (value) runButton.setAttribute('aria-disabled', 'true');
    else runButton.removeAttribute('aria-disabled');
    root.toggleAttribute('aria-busy', value);
    root.dataset.running = value ? 'true' : 'false';
  };

  /** Run from the button, Ctrl+Enter or Monaco's command: ignored while a run is going. */
  const runFromUi = () => {
    if (!busy) void controller.run();
  };

  const reportOutcome = (outcome: RunOutcome) => {
    switch (outcome.kind) {
      case 'finished': {
        const { result } = outcome;
        if (panel.lineCount === 0) for (const line of result.console) panel.append(line);
        if (result.status === 'error' && result.error) {
          const { name, message, line, column } = result.error;
          const where = line !== undefined ? `Line ${line}${column !== undefined ? `, column ${column}` : ''}: ` : '';
          const text = `${where}${name}: ${message}`;
          if (line !== undefined) {
            panel.note('error', `${text} (go to line ${line})`, () => controller.goToLine(line, column));
            editor?.markError(`${name}: ${message}`, line, column);
          } else {
            panel.note('error', text);
          }
          status.textContent = `Error${line !== undefined ? ` on line ${line}` : ''}: ${message}`;
        } else if (result.status === 'time-limit') {
          panel.note('warn', `Stopped at ${formatMs(result.endedAtMs)} of simulated time (the run's time limit). `
            + 'Close your connections when the work is done so the program can end.');
          status.textContent = `Stopped at the simulated time limit (${formatMs(result.endedAtMs)}).`;
        } else {
          panel.note('success', `Finished at ${formatMs(result.endedAtMs)} of simulated time `
            + `(${outcome.wallMs} ms of real time).`);
          status.textContent = `Finished at ${formatMs(result.endedAtMs)} of simulated time.`;
        }
        const detail: TraceEventDetail = {
          trace: result.trace, endedAtMs: result.endedAtMs, source: 'code', label, runnerId: id,
        };
        // A task of its own: the view's work on a long trace does not add to this task's (console, editor marks).
        setTimeout(() => document.dispatchEvent(new CustomEvent(TRACE_EVENT, { detail })), 0);
        break;
      }
      case 'timeout': {
        const text = `Stopped: your program ran for more than ${secondsText(outcome.limitMs)} of real time — is `
          + 'there an infinite loop?';
        panel.note('error', text);
        status.textContent = text;
        break;
      }
      case 'failed':
        panel.note('error', outcome.message);
        status.textContent = outcome.message;
        break;
      case 'cancelled':
        status.textContent = 'Run cancelled.';
        break;
    }
  };

  const controller: CodeRunnerController = {
    id,
    root,
    initialCode,
    getCode: () => code,
    setCode(next: string) {
      code = next;
      if (editor) editor.setValue(next);
      else if (textarea) textarea.value = next;
      else showCodeInPre();
      updateEdited();
      persistSoon();
    },
    async run() {
      current?.cancel();
      setBusy(true);
      panel.clear();
      editor?.clearMarks();
      status.textContent = 'Running…';
      const handle = runInWorker(code, runOptions, {
        onConsole: (line) => panel.append(line),
        wallLimitMs: RUN_WALL_LIMIT_MS,
      });
      current = handle;
      const outcome = await handle.outcome;
      // The next run starts in a fresh sandbox, ready before Run is pressed again (see PREWARM_DELAY_MS).
      setTimeout(() => whenIdle(() => prewarmRunner(runnerKey([code])), PREWARM_IDLE_WAIT_MS), PREWARM_DELAY_MS);
      if (current === handle) {
        current = undefined;
        panel.flush();
        reportOutcome(outcome);
        setBusy(false);
      }
      root.dispatchEvent(new CustomEvent<RunFinishedDetail>(RUN_FINISHED_EVENT, {
        bubbles: true,
        detail: { runnerId: id, outcome },
      }));
      return outcome;
    },
    reset() {
      const before = code;
      controller.setCode(initialCode);
      if (saveTimer !== undefined) clearTimeout(saveTimer);
      saveTimer = undefined;
      clearCode(id);
      editor?.clearMarks();
      if (before === initialCode) {
        status.textContent = 'The code is already the lesson\'s version.';
        return;
      }
      codeBeforeReset = before;
      undoResetButton.hidden = false;
      status.textContent = 'Code reset to the lesson\'s version. Press "Undo reset" to get your edits back.';
    },
    goToLine(line: number, column?: number) {
      void loadEditor(true).then(() => {
        if (editor) editor.goToLine(line, column);
        else textarea?.focus();
      });
    },
  };

  // Wire up.
  showCodeInPre();
  updateEdited();
  runButton.addEventListener('click', runFromUi);
  resetButton.addEventListener('click', () => controller.reset());
  undoResetButton.addEventListener('click', () => {
    const saved = codeBeforeReset;
    hideUndo();
    if (saved === undefined) return;
    controller.setCode(saved);
    status.textContent = 'Your edits are back.';
  });
  // Focus only loads the editor; a click, Enter or typing also moves the focus into it (editor-entry.ts).
  pre.addEventListener('focus', () => void loadEditor(false));
  pre.addEventListener('pointerdown', () => void loadEditor(true));
  onEditIntent(pre, () => void loadEditor(true));
  onEditIntent(editorHost, () => void loadEditor(true));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      if ((event.target as Element | null)?.closest('.monaco-editor')) return; // Monaco's own command runs it
      event.preventDefault();
      runFromUi();
    }
  });
  if (typeof IntersectionObserver === 'function') {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadEditor(false);
    }, { rootMargin: '0px 0px 100px 0px' });
    observer.observe(pre);
  }
  root.dataset.ready = 'true';
  return controller;
}

function readRunOptions(root: HTMLElement, id: string, language: RunLanguage): WorkerRunOptions {
  const options: WorkerRunOptions = { language, filename: `${id}.${language}`, limits: { ...CODE_RUN_LIMITS } };
  const seed = Number(root.dataset.seed);
  if (root.dataset.seed !== undefined && Number.isFinite(seed)) options.seed = seed;
  const untilMs = Number(root.dataset.untilMs);
  if (root.dataset.untilMs !== undefined && Number.isFinite(untilMs) && untilMs > 0) options.untilMs = untilMs;
  return options;
}

function query<T extends HTMLElement>(root: HTMLElement, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`CodeRunner markup is missing ${selector}`);
  return el;
}

/** Calls `fn` when the browser is idle, or after `timeoutMs` (ms) at the latest; at once where idle callbacks are missing. */
function whenIdle(fn: () => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: timeoutMs });
  else fn();
}
