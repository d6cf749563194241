/**
 * The console panel under a code runner: program output (coloured by level, stamped with simulated time) and the
 * runner's own notes (finished, stopped, error at line N). It is a `role="log"` region in the markup.
 *
 * Lines are appended in batches on the next animation frame, so a program printing thousands of lines costs one
 * layout per frame, and at most `CONSOLE_LINES_SHOWN_MAX` program lines are shown per run (the rest are counted).
 */
import type { ConsoleLine } from '../../workers/protocol.ts';

/** Most program console lines shown for one run; further lines are counted in a final "… not shown" line. */
export const CONSOLE_LINES_SHOWN_MAX = 300;

export type NoteKind = 'info' | 'success' | 'warn' | 'error';

export class ConsolePanel {
  private readonly root: HTMLElement;
  private readonly maxLines: number;
  private pending: HTMLElement[] = [];
  private frame = 0;
  private shown = 0;
  private hidden = 0;
  private overflowEl: HTMLElement | undefined;

  /** @param root the `role="log"` element; its children are replaced by `clear()`. */
  constructor(root: HTMLElement, maxLines = CONSOLE_LINES_SHOWN_MAX) {
    this.root = root;
    this.maxLines = maxLines;
  }

  /** Removes every line (call at the start of a run). */
  clear(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.shown = 0;
    this.hidden = 0;
    this.overflowEl = undefined;
    this.root.replaceChildren();
  }

  /** Number of program lines received since `clear()` (shown + not shown). */
  get lineCount(): number {
    return this.shown + this.hidden;
  }

  /** Appends one program line (`t` simulated ms, level, text). */
  append(line: ConsoleLine): void {
    if (this.shown >= this.maxLines) {
      this.hidden++;
      if (!this.overflowEl) {
        this.overflowEl = element('div', 'console-line console-line--note console-line--warn');
        this.queue(this.overflowEl);
      }
      this.overflowEl.textContent = `… ${this.hidden} more line${this.hidden === 1 ? '' : 's'} not shown `
        + `(the panel shows the first ${this.maxLines}).`;
      return;
    }
    this.shown++;
    const row = element('div', `console-line console-line--${safeLevel(line.level)}`);
    const time = element('span', 'console-time');
    time.textContent = formatMs(line.t);
    const text = element('span', 'console-text');
    text.textContent = line.text;
    row.append(time, text);
    this.queue(row);
  }

  /**
   * Appends a runner note (not program output). `onActivate`, if given, makes the note a button (e.g. "go to
   * line 12" in the editor).
   */
  note(kind: NoteKind, text: string, onActivate?: () => void): void {
    const row = element('div', `console-line console-line--note console-line--${kind}`);
    if (onActivate) {
      const button = element('button', 'console-note-button') as HTMLButtonElement;
      button.type = 'button';
      button.textContent = text;
      button.addEventListener('click', onActivate);
      row.append(button);
    } else {
      row.textContent = text;
    }
    this.queue(row);
    this.flush();
  }

  private queue(row: HTMLElement): void {
    if (!this.pending.includes(row)) this.pending.push(row);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Writes queued lines now (also called by the next animation frame). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.pending.length === 0) return;
    const atBottom = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 24;
    this.root.append(...this.pending);
    this.pending = [];
    if (atBottom) this.root.scrollTop = this.root.scrollHeight;
  }
}

function element(tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  return el;
}

function safeLevel(level: string): string {
  return ['log', 'info', 'warn', 'error', 'debug'].includes(level) ? level : 'log';
}

/** `1234` → `"1.234 s"`, `56` → `"56 ms"`: simulated time stamp of a console line. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
