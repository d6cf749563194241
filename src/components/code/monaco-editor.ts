/**
 * Monaco, loaded on demand. `code-runner.ts` imports this module with a dynamic `import()` only when a code area
 * is focused, clicked or scrolled into view, so none of Monaco is in a lesson page's initial JavaScript.
 *
 * Only what the runner needs is imported (Monaco 0.57's tree-shakeable ESM entry points): the editor core
 * (`monaco-editor/editor`), the editor features, the JavaScript and TypeScript language definitions and the
 * TypeScript language service (completion, hover, diagnostics), with its two workers bundled by Vite from this
 * origin (`?worker`), never a CDN. The ~80 other language definitions and the CSS/HTML/JSON services are left out.
 * Each broker's client typings (the `.d.ts` files under `simulator/brokers/<id>/`, e.g. `declare module 'amqplib'`, found by a
 * glob) are added to both the JS and the TS defaults when a runner's code names that broker's modules
 * (`addBrokerTypings`), so `import amqp from 'amqplib'` / `require('kafkajs')` complete; a page loads only the
 * typings of the brokers its code uses.
 * The editor follows the site's theme (`monacoTheme`): 'vs' / vs-dark (`DARK_THEME`) from `<html data-theme>`, updated on the
 * `mqlab:theme` event (detail `{ theme }`) and on changes of `data-theme` or of the OS colour scheme.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import {
  javascriptDefaults,
  typescriptDefaults,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
} from 'monaco-editor/languages/features/typescript/register';
// Every editor contribution must be registered before the first editor is created: the TypeScript language
// service (loaded lazily by Monaco) imports all of them, and contributions or services registered after an editor
// exists fail ("depends on UNKNOWN service"). Importing them here costs nothing extra (they share its chunk).
import 'monaco-editor/features/register.all';
// Imported by the TS service's worker glue (internal/common/workers.js) but not by `features/register.all` in 0.57:
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/editor/common/standaloneStrings';
import 'monaco-editor/editor/contrib/caretOperations/browser/caretOperations';
import 'monaco-editor/editor/contrib/dropOrPasteInto/browser/copyPasteContribution';
import 'monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus';
import 'monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands';
import 'monaco-editor/editor/contrib/semanticTokens/browser/documentSemanticTokens';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import type { RunLanguage } from '../../workers/protocol.ts';

/** Height limits of an editor, in lines of code. */
export const EDITOR_LINES_MIN = 6;
export const EDITOR_LINES_MAX = 32;
/** Pixel metrics shared with the `<pre>` placeholder (CodeRunner.astro) so swapping them does not shift the page. */
export const EDITOR_FONT_SIZE_PX = 14;
export const EDITOR_LINE_HEIGHT_PX = 20;
const EDITOR_PADDING_PX = 10;

/** Globals the runner provides besides the DOM lib (console, timers): Node's Buffer and `require`. */
const RUNTIME_GLOBALS = `
declare module 'buffer' { export const Buffer: typeof globalThis.Buffer; }
interface Buffer extends Uint8Array { toString(encoding?: string): string; }
declare var Buffer: {
  from(data: string | ArrayLike<number> | ArrayBuffer, encoding?: string): Buffer;
  alloc(size: number): Buffer;
  isBuffer(value: unknown): value is Buffer;
  byteLength(value: string): number;
  concat(list: readonly Uint8Array[]): Buffer;
};
declare function require(id: 'amqplib'): typeof import('amqplib');
declare function require(id: 'buffer'): typeof import('buffer');
declare function require(id: string): any;
`;

/** Event the site's theme switch fires on `document` (detail `{ theme: 'light' | 'dark' }`). */
export const THEME_EVENT = 'mqlab:theme';

/**
 * The dark editor theme: Monaco's 'vs-dark' with the two token colours that miss WCAG AA contrast (4.5:1) on its
 * #1e1e1e background raised: comments #608B4E (4.2:1) → #6A9955 (5.0:1), regular expressions #B46695 (4.2:1) →
 * #C586C0 (6.0:1). Everything else is vs-dark's. The light theme is Monaco's 'vs' as is (its tokens pass).
 */
export const DARK_THEME = 'mqlab-dark';
export const LIGHT_THEME = 'vs';

/**
 * Monaco's theme for the site's current theme: `<html data-theme="dark">` ⇒ `DARK_THEME` (vs-dark based),
 * `"light"` ⇒ 'vs'; without the attribute, the reader's `prefers-color-scheme`.
 */
export function monacoTheme(root: HTMLElement = document.documentElement): string {
  const theme = root.dataset.theme;
  if (theme === 'dark') return DARK_THEME;
  if (theme === 'light') return LIGHT_THEME;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? DARK_THEME : LIGHT_THEME;
}

/** Keeps every editor's theme in step with the site's (theme event, `data-theme` changes, OS preference). */
function followSiteTheme(): void {
  monaco.editor.defineTheme(DARK_THEME, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'comment', foreground: '6A9955' },
      { token: 'regexp', foreground: 'C586C0' },
    ],
    colors: {},
  });
  const apply = () => monaco.editor.setTheme(monacoTheme());
  document.addEventListener(THEME_EVENT, (event) => {
    const theme = (event as CustomEvent<{ theme?: unknown }>).detail?.theme;
    if (theme === 'dark' || theme === 'light') monaco.editor.setTheme(theme === 'dark' ? DARK_THEME : LIGHT_THEME);
    else apply();
  });
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  if (typeof matchMedia === 'function') matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
}

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  (globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment = {
    getWorker(_workerId: string, label: string): Worker {
      return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
    },
  };
  const compilerOptions = {
    target: ScriptTarget.ESNext,
    module: ModuleKind.ESNext,
    moduleResolution: ModuleResolutionKind.NodeJs,
    allowJs: true,
    allowNonTsExtensions: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    strict: true,
    noEmit: true,
  };
  for (const defaults of [javascriptDefaults, typescriptDefaults]) {
    defaults.setCompilerOptions(compilerOptions);
    defaults.addExtraLib(RUNTIME_GLOBALS, 'file:///types/runtime-globals.d.ts');
  }
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  followSiteTheme();
}

/** Each broker's typings, by file (loaded on demand). */
const BROKER_TYPINGS = import.meta.glob<string>('../../../simulator/brokers/*/**/*.d.ts', { query: '?raw', import: 'default' });
const typingsAdded = new Set<string>();

/**
 * Adds the client typings of brokers `ids` (registry ids) to the editor's language service, once each; resolves
 * when they are in.
 */
export async function addBrokerTypings(ids: readonly string[]): Promise<void> {
  configure();
  await Promise.all(Object.entries(BROKER_TYPINGS).map(async ([path, load]) => {
    const broker = /\/brokers\/([^/]+)\//.exec(path)?.[1];
    if (broker === undefined || !ids.includes(broker) || typingsAdded.has(path)) return;
    typingsAdded.add(path);
    const text = await load();
    const name = path.split('/').pop();
    for (const defaults of [javascriptDefaults, typescriptDefaults]) defaults.addExtraLib(text, `file:///types/${broker}/${name}`);
  }));
}

/** What `code-runner.ts` needs from a mounted editor. */
export interface MountedEditor {
  getValue(): string;
  setValue(code: string): void;
  focus(): void;
  /** Marks a run error at `line` (1-based) and `column` (1-based, optional) and reveals it. */
  markError(message: string, line: number, column?: number): void;
  /** Removes run error marks. */
  clearMarks(): void;
  /** Moves the cursor to `line` and focuses the editor. */
  goToLine(line: number, column?: number): void;
  /**
   * Shows another file of the runner (each file has its own model: its own undo history and error marks);
   * `value` is its code, used when the file is shown for the first time.
   */
  showFile(name: string, value: string): void;
  dispose(): void;
}

export interface MountOptions {
  /** Runner id: the model's URI is `file:///runner/<id>.js` (or `.ts`), or `file:///runner/<id>/<file>` per file. */
  id: string;
  /** The file shown first, for a runner with several files (its model is `file:///runner/<id>/<file>`). */
  file?: string;
  language: RunLanguage;
  value: string;
  /** Accessible name of the editor's text area. */
  ariaLabel: string;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  /** Escape that the editor itself did not use (no suggestion list, search box or the like was open). */
  onEscape?(): void;
}

const MARKER_OWNER = 'mqlab-run';

/** Creates an editor in `host` (an empty element); the host's height follows the code (clamped). */
export function mountEditor(host: HTMLElement, options: MountOptions): MountedEditor {
  configure();
  const languageId = options.language === 'ts' ? 'typescript' : 'javascript';
  const uriOf = (file: string | undefined) => monaco.Uri.parse(file === undefined
    ? `file:///runner/${encodeURIComponent(options.id)}.${options.language}`
    : `file:///runner/${encodeURIComponent(options.id)}/${encodeURIComponent(file)}`);
  const modelOf = (file: string | undefined, value: string) => {
    const uri = uriOf(file);
    const found = monaco.editor.getModel(uri);
    if (found !== null) return found;
    return monaco.editor.createModel(value, languageId, uri);
  };
  let model = modelOf(options.file, options.value);
  if (model.getValue() !== options.value) model.setValue(options.value);

  const editor = monaco.editor.create(host, {
    model,
    theme: monacoTheme(),
    ariaLabel: options.ariaLabel,
    fontSize: EDITOR_FONT_SIZE_PX,
    lineHeight: EDITOR_LINE_HEIGHT_PX,
    fontFamily: getComputedStyle(host).getPropertyValue('--font-mono').trim() || undefined,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    automaticLayout: true,
    fixedOverflowWidgets: true,
    tabSize: 2,
    padding: { top: EDITOR_PADDING_PX, bottom: EDITOR_PADDING_PX },
    renderLineHighlight: 'line',
    scrollbar: { alwaysConsumeMouseWheel: false },
    accessibilitySupport: 'auto',
    lineNumbersMinChars: 3,
    // Not a Tab stop of its own: the runner's code block is, and Enter or typing there moves the focus in
    // (`editor-entry.ts`), so Tabbing through a page never lands in the editor, where Tab indents.
    tabIndex: -1,
  });

  const fitHeight = () => {
    const minPx = EDITOR_LINES_MIN * EDITOR_LINE_HEIGHT_PX + 2 * EDITOR_PADDING_PX;
    const maxPx = EDITOR_LINES_MAX * EDITOR_LINE_HEIGHT_PX + 2 * EDITOR_PADDING_PX;
    const px = Math.min(maxPx, Math.max(minPx, editor.getContentHeight()));
    host.style.height = `${px}px`;
  };
  fitHeight();
  const sizeListener = editor.onDidContentSizeChange(fitHeight);
  let changeListener = model.onDidChangeContent(() => {
    monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
    options.onChange(model.getValue());
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun());
  // Monaco's own Escape commands (close the suggestions, the search box, extra cursors…) mark the event handled;
  // an Escape that reaches the host unhandled means "leave the editor".
  const onHostKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented && editor.hasTextFocus()) options.onEscape?.();
  };
  host.addEventListener('keydown', onHostKeyDown);

  const goToLine = (line: number, column = 1) => {
    const lineNumber = Math.min(Math.max(1, Math.floor(line)), model.getLineCount());
    editor.setPosition({ lineNumber, column: Math.max(1, Math.floor(column)) });
    editor.revealLineInCenterIfOutsideViewport(lineNumber);
    editor.focus();
  };

  return {
    getValue: () => model.getValue(),
    setValue: (code) => {
      if (model.getValue() !== code) model.setValue(code);
    },
    focus: () => editor.focus(),
    markError(message, line, column) {
      const lineNumber = Math.min(Math.max(1, Math.floor(line)), model.getLineCount());
      const startColumn = column !== undefined && column >= 1 ? Math.floor(column) : model.getLineFirstNonWhitespaceColumn(lineNumber) || 1;
      monaco.editor.setModelMarkers(model, MARKER_OWNER, [{
        severity: monaco.MarkerSeverity.Error,
        message,
        startLineNumber: lineNumber,
        startColumn,
        endLineNumber: lineNumber,
        endColumn: model.getLineMaxColumn(lineNumber),
      }]);
      editor.revealLineInCenterIfOutsideViewport(lineNumber);
    },
    clearMarks: () => monaco.editor.setModelMarkers(model, MARKER_OWNER, []),
    goToLine,
    showFile(name, value) {
      const next = modelOf(name, value);
      if (next === model) return;
      changeListener.dispose();
      model = next;
      editor.setModel(model);
      changeListener = model.onDidChangeContent(() => {
        monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
        options.onChange(model.getValue());
      });
    },
    dispose() {
      host.removeEventListener('keydown', onHostKeyDown);
      sizeListener.dispose();
      changeListener.dispose();
      editor.dispose();
    },
  };
}
