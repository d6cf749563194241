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
import { clearCode, loadCode, loadFiles, saveCode, saveFiles } from './code-store.ts';
import {
  prewarmRunner, RUN_WALL_LIMIT_MS, runInWorker, secondsText, type RunHandle, type RunOutcome,
} from './run-in-worker.ts';
import { onEditIntent, swapKeepingFocus } from './editor-entry.ts';
import type { MountedEditor } from './monaco-editor.ts';
import { runnerKey } from './runner-script.ts';
import { brokersNamedIn } from '../../../simulator/brokers/catalog.ts';
import type { ProgramSpec, RunLanguage, WorkerRunOptions } from '../../workers/protocol.ts';
import { TRACE_EVENT, type TraceEventDetail } from '../../lib/trace-event.ts';
import { parseRunLine } from './run-line.ts';
import { pageHasShare, registerShareContributor, sharedStateOfPage } from '../../lib/share.ts';

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
  /** The lesson's original code (of the first file, for a runner with several). */
  readonly initialCode: string;
  /** Every file with its code now (one for a single-program runner, named by its title). */
  getFiles(): Array<{ name: string; code: string }>;
  /** Replaces the code of the named files (others stay); saved as the learner's edit. */
  setFiles(files: ReadonlyArray<{ name: string; code: string }>): void;
  /** The lesson's files. */
  readonly initialFiles: ReadonlyArray<{ name: string; code: string }>;
  /**
   * Runs the current code; resolves when the run is over (never rejects). `runLine`: start the files this way
   * instead of as the runner's own run line says (an exercise's Check).
   */
  run(options?: { runLine?: string }): Promise<RunOutcome>;
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
  for (const root of scope.querySelectorAll<HTMLElement>('[data-code-runner]')) initCodeRunner(root);
}

/** Starts the code runner whose markup is `root` (once; later calls return the same controller). */
export function initCodeRunner(root: HTMLElement): CodeRunnerController {
  let controller = controllers.get(root);
  if (!controller) controllers.set(root, controller = createRunner(root));
  return controller;
}

function createRunner(root: HTMLElement): CodeRunnerController {
  const id = root.dataset.runnerId ?? 'runner';
  const language: RunLanguage = root.dataset.language === 'ts' ? 'ts' : 'js';
  const label = root.dataset.label || 'your program';
  const runOptions = readRunOptions(root, label, language);
  const pres = [...root.querySelectorAll<HTMLPreElement>('[data-code-pre]')];
  if (pres.length === 0) throw new Error('CodeRunner markup is missing [data-code-pre]');
  /** Several files (tabs) or one program. */
  const multi = pres.some((p) => p.dataset.fileName !== undefined);
  const editorHost = query<HTMLElement>(root, '[data-editor-host]');
  const runButton = query<HTMLButtonElement>(root, '[data-action="run"]');
  const resetButton = query<HTMLButtonElement>(root, '[data-action="reset"]');
  const undoResetButton = query<HTMLButtonElement>(root, '[data-action="undo-reset"]');
  const status = query<HTMLElement>(root, '[data-run-status]');
  const editedNote = query<HTMLElement>(root, '[data-edited-note]');
  const runLine = root.querySelector<HTMLInputElement>('[data-run-line]');
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('[data-file-tab]')];
  const panel = new ConsolePanel(query<HTMLElement>(root, '[data-console]'));

  /** The files: name, the lesson's code, the code now. */
  const files = pres.map((pre) => {
    const codeEl = pre.querySelector<HTMLElement>('[data-code-text]')!;
    const initial = codeEl.textContent ?? '';
    return { name: pre.dataset.fileName ?? label, initial, code: initial, pre, codeEl };
  });
  const defaultRun = runLine?.dataset.defaultRun ?? '';
  if (multi) {
    const stored = loadFiles(id, files.map((f) => f.name));
    for (const file of files) file.code = stored?.files[file.name] ?? file.initial;
    if (runLine && stored?.run !== undefined) runLine.value = stored.run;
  } else {
    files[0].code = loadCode(id) ?? files[0].initial;
  }
  let active = 0;
  const initialCode = files[0].initial;
  let editor: MountedEditor | undefined;
  let textarea: HTMLTextAreaElement | undefined;
  let editorLoad: Promise<void> | undefined;
  let current: RunHandle | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: IntersectionObserver | undefined;
  let busy = false;
  /** The learner's files and run line before the last Reset (until they edit again). */
  let beforeReset: { codes: string[]; run: string } | undefined;
  /** Shown from a share link and not edited since: not saved, so the learner's own stored edits stay. */
  let fromShare = false;

  const pre = () => files[active].pre;
  const sources = () => files.map((f) => f.code).concat(runLine?.value ?? '');
  const showCodeInPres = () => {
    for (const file of files) file.codeEl.textContent = file.code;
  };
  const isEdited = () => files.some((f) => f.code !== f.initial) || (runLine !== null && runLine.value !== defaultRun);
  const updateEdited = () => {
    editedNote.hidden = !isEdited();
    editedNote.textContent = fromShare ? 'from a shared link · not saved until you edit' : 'edited · saved in this browser';
  };

  const persistNow = () => {
    if (fromShare) return;
    if (!multi) {
      if (files[0].code === files[0].initial) clearCode(id);
      else saveCode(id, files[0].code);
      return;
    }
    if (!isEdited()) clearCode(id);
    else saveFiles(id, { files: Object.fromEntries(files.map((f) => [f.name, f.code])), run: runLine?.value ?? '' });
  };
  const persistSoon = () => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      persistNow();
    }, SAVE_DELAY_MS);
  };

  const hideUndo = () => {
    beforeReset = undefined;
    if (undoResetButton.hidden) return;
    // Never hide the focused button: focus would fall to <body>.
    if (document.activeElement === undoResetButton) resetButton.focus();
    undoResetButton.hidden = true;
  };

  const onEdit = (value: string) => {
    const file = files[active];
    if (value === file.code) return;
    hideUndo();
    fromShare = false;
    file.code = value;
    updateEdited();
    persistSoon();
  };

  /** Shows file `index` (a tab): its code block, and its model in the editor. */
  const showFile = (index: number) => {
    if (index === active || index < 0 || index >= files.length) return;
    const wasFocused = pre().contains(document.activeElement);
    active = index;
    tabs.forEach((tab, i) => {
      tab.setAttribute('aria-selected', i === index ? 'true' : 'false');
      tab.tabIndex = i === index ? 0 : -1;
    });
    root.querySelector('[role="tabpanel"]')?.setAttribute('aria-labelledby', tabs[index]?.id ?? '');
    if (editor) editor.showFile(files[index].name, files[index].code);
    else if (textarea) textarea.value = files[index].code;
    else files.forEach((f, i) => { f.pre.hidden = i !== index; });
    if (wasFocused) pre().focus();
  };

  const loadEditor = (focusAfter: boolean): Promise<void> => {
    observer?.disconnect();
    prewarmRunner(runnerKey(sources()));
    if (!editorLoad) {
      root.dataset.editor = 'loading';
      editorLoad = import('./monaco-editor.ts')
        .then(({ mountEditor, addBrokerTypings }) => {
          // The typings of the brokers this runner's code uses (loaded once per page and broker).
          void addBrokerTypings(brokersNamedIn(sources()).map((b) => b.id));
          editorHost.hidden = false;
          editor = mountEditor(editorHost, {
            id,
            language,
            value: files[active].code,
            ...(multi ? { file: files[active].name } : {}),
            ariaLabel: `Code editor (${language === 'ts' ? 'TypeScript' : 'JavaScript'}). Ctrl+Enter runs the code; `
              + 'Escape leaves the editor; Ctrl+M (Mac: Ctrl+Shift+M) switches Tab between indenting and moving focus.',
            onChange: onEdit,
            onRun: () => runFromUi(),
            onEscape: () => editorHost.focus(),
          });
          // A keyboard user on the code block stays on the block (now the editor's host), not in the editor.
          const shown = pre();
          swapKeepingFocus(shown, () => editorHost, () => { for (const f of files) f.pre.hidden = true; });
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
    area.value = files[active].code;
    area.spellcheck = false;
    area.rows = Math.min(32, Math.max(6, files[active].code.split('\n').length + 1));
    area.setAttribute('aria-label', 'Code (plain text editor). Ctrl+Enter runs the code.');
    area.addEventListener('input', () => onEdit(area.value));
    const shown = pre();
    swapKeepingFocus(shown, () => area, () => {
      shown.replaceWith(area);
      for (const f of files) f.pre.hidden = true;
    });
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
        if (result.status === 'error' && result.error?.name === 'ProcessExit') {
          // process.exit(n ≠ 0) is how a program reports failure, not a crash of the simulator: say so plainly.
          const code = /process\.exit(?:Code = |\()(-?\d+)/.exec(result.error.message)?.[1] ?? '?';
          const who = result.error.process === undefined ? 'The program' : result.error.process;
          panel.note('warn', `${who} exited with code ${code} (${result.error.message}) at ${formatMs(result.endedAtMs)} `
            + 'of simulated time. A non-zero exit code means the program reports a failure.');
          status.textContent = `${who} exited with code ${code}.`;
        } else if (result.status === 'error' && result.error) {
          const { name, message, line, column } = result.error;
          const fileIndex = result.error.process === undefined ? active
            : Math.max(0, files.findIndex((f) => f.name === result.error!.process!.replace(/#\d+$/, '')));
          const inFile = multi ? `${files[fileIndex].name}, ` : '';
          const where = line !== undefined ? `${multi ? inFile.replace(/, $/, ' ') : ''}line ${line}${column !== undefined ? `, column ${column}` : ''}: ` : '';
          const text = `${where.charAt(0).toUpperCase()}${where.slice(1)}${name}: ${message}`;
          if (line !== undefined) {
            panel.note('error', `${text} (go to line ${line})`, () => {
              showFile(fileIndex);
              controller.goToLine(line, column);
            });
            if (fileIndex === active) editor?.markError(`${name}: ${message}`, line, column);
          } else {
            panel.note('error', text);
          }
          status.textContent = `Error${line !== undefined ? ` on line ${line}` : ''}: ${message}`;
        } else if (result.status === 'quiescent') {
          panel.note('success', `Ran until ${formatMs(result.endedAtMs)} of simulated time: after that the program only `
            + `waits for messages (${outcome.wallMs} ms of real time).`);
          status.textContent = `Waiting for messages after ${formatMs(result.endedAtMs)} of simulated time.`;
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
        // A run that kept advancing simulated time was busy (a timer firing very often), not stuck in a loop.
        const text = outcome.simulatedMs !== undefined && outcome.simulatedMs > 0
          ? `Stopped: your program kept the simulator busy for more than ${secondsText(outcome.limitMs)} of real time `
            + `(it had reached ${formatMs(outcome.simulatedMs)} of simulated time). A timer that fires very often does `
            + 'that: setInterval(f, 1) runs 60,000 times a simulated minute. Use a longer interval, or stop the timer '
            + 'when the work is done.'
          : `Stopped: your program ran for more than ${secondsText(outcome.limitMs)} of real time — is `
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

  /** Puts `code` in file `index`, in whatever shows it now (editor model, text area or code block). */
  const putCode = (index: number, code: string) => {
    files[index].code = code;
    if (index === active) {
      if (editor) editor.setValue(code);
      else if (textarea) textarea.value = code;
    } else if (editor) {
      editor.showFile(files[index].name, code);
      editor.setValue(code);
      editor.showFile(files[active].name, files[active].code);
    }
    files[index].codeEl.textContent = code;
  };

  /**
   * The processes Run starts: from the run line (several files; read as `npm run sim`'s command line, `--at`
   * included: see `run-line.ts`), else the one program.
   * @throws RangeError naming a word that is not a file, a bad `--at`, or an empty or too long line.
   */
  const programs = (line = runLine?.value ?? defaultRun): ProgramSpec[] | string =>
    (multi ? parseRunLine(line, files, language) : files[0].code);

  const controller: CodeRunnerController = {
    id,
    root,
    initialCode,
    initialFiles: files.map((f) => ({ name: f.name, code: f.initial })),
    getCode: () => files[active].code,
    setCode(next: string) {
      fromShare = false;
      putCode(active, next);
      updateEdited();
      persistSoon();
    },
    getFiles: () => files.map((f) => ({ name: f.name, code: f.code })),
    setFiles(next) {
      fromShare = false;
      for (const { name, code } of next) {
        const index = files.findIndex((f) => f.name === name);
        if (index >= 0) putCode(index, code);
      }
      if (!multi && next.length === 1 && files.every((f) => f.name !== next[0].name)) putCode(0, next[0].code);
      updateEdited();
      persistSoon();
    },
    async run(options) {
      let toRun: ProgramSpec[] | string;
      try {
        toRun = programs(options?.runLine);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        panel.clear();
        panel.note('error', message);
        status.textContent = message;
        const outcome: RunOutcome = { kind: 'failed', message };
        root.dispatchEvent(new CustomEvent<RunFinishedDetail>(RUN_FINISHED_EVENT, { bubbles: true, detail: { runnerId: id, outcome } }));
        return outcome;
      }
      current?.cancel();
      setBusy(true);
      panel.clear();
      editor?.clearMarks();
      status.textContent = 'Running…';
      const handle = runInWorker(toRun, runOptions, {
        onConsole: (line) => panel.append(line),
        wallLimitMs: RUN_WALL_LIMIT_MS,
      });
      current = handle;
      const outcome = await handle.outcome;
      // The next run starts in a fresh sandbox, ready before Run is pressed again (see PREWARM_DELAY_MS).
      setTimeout(() => whenIdle(() => prewarmRunner(runnerKey(sources())), PREWARM_IDLE_WAIT_MS), PREWARM_DELAY_MS);
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
      const before = { codes: files.map((f) => f.code), run: runLine?.value ?? '' };
      const wasEdited = isEdited();
      files.forEach((f, i) => putCode(i, f.initial));
      if (runLine) runLine.value = defaultRun;
      fromShare = false;
      updateEdited();
      if (saveTimer !== undefined) clearTimeout(saveTimer);
      saveTimer = undefined;
      clearCode(id);
      editor?.clearMarks();
      if (!wasEdited) {
        status.textContent = 'The code is already the lesson\'s version.';
        return;
      }
      beforeReset = before;
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
  showCodeInPres();
  updateEdited();
  runButton.addEventListener('click', runFromUi);
  resetButton.addEventListener('click', () => controller.reset());
  undoResetButton.addEventListener('click', () => {
    const saved = beforeReset;
    hideUndo();
    if (saved === undefined) return;
    saved.codes.forEach((code, i) => putCode(i, code));
    if (runLine) runLine.value = saved.run;
    updateEdited();
    persistSoon();
    status.textContent = 'Your edits are back.';
  });
  runLine?.addEventListener('input', () => {
    hideUndo();
    fromShare = false;
    updateEdited();
    persistSoon();
  });
  // Tabs: click, or arrow keys between tabs (WAI-ARIA tabs pattern).
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => showFile(i));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      const to = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : (i + step + tabs.length) % tabs.length;
      if (step === 0 && event.key !== 'Home' && event.key !== 'End') return;
      event.preventDefault();
      showFile(to);
      tabs[to].focus();
    });
  });
  // Focus only loads the editor; a click, Enter or typing also moves the focus into it (editor-entry.ts).
  for (const file of files) {
    file.pre.addEventListener('focus', () => void loadEditor(false));
    file.pre.addEventListener('pointerdown', () => void loadEditor(true));
    onEditIntent(file.pre, () => void loadEditor(true));
  }
  onEditIntent(editorHost, () => void loadEditor(true));
  // Share links: this runner's files go into the link; a link's files are shown (not saved until edited).
  registerShareContributor((state) => {
    if (!isEdited()) return;
    state.code ??= {};
    state.code[id] = { files: files.map((f) => ({ name: f.name, code: f.code })) };
  });
  if (pageHasShare()) {
    void sharedStateOfPage().then(({ state }) => {
      const shared = state?.code?.[id];
      if (shared === undefined) return;
      for (const { name, code } of shared.files) {
        const index = multi ? files.findIndex((f) => f.name === name) : 0;
        if (index >= 0) putCode(index, code);
      }
      fromShare = true;
      updateEdited();
    });
  }
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
    observer.observe(pre());
  }
  root.dataset.ready = 'true';
  return controller;
}

/**
 * The run's options; `title` (the runner's heading, e.g. "photo-workers.mjs") names the program in error messages
 * and stack traces, as the learner knows it.
 */
function readRunOptions(root: HTMLElement, title: string, language: RunLanguage): WorkerRunOptions {
  const filename = /^[\w.-]+$/.test(title) ? title : `program.${language}`;
  const options: WorkerRunOptions = { language, filename, limits: { ...CODE_RUN_LIMITS } };
  const seed = Number(root.dataset.seed);
  if (root.dataset.seed !== undefined && Number.isFinite(seed)) options.seed = seed;
  const untilMs = Number(root.dataset.untilMs);
  if (root.dataset.untilMs !== undefined && Number.isFinite(untilMs) && untilMs > 0) options.untilMs = untilMs;
  if (root.dataset.faults !== undefined) {
    try {
      const faults = JSON.parse(root.dataset.faults) as unknown;
      if (Array.isArray(faults)) options.faults = faults as NonNullable<WorkerRunOptions['faults']>;
    } catch {
      // A malformed attribute (the page was tampered with): run without faults.
    }
  }
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
