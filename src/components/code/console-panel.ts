/**
 * The console panel under a code runner: program output (coloured by level, stamped with simulated time) and the
 * runner's own notes (finished, stopped, error at line N). It is a `role="log"` region in the markup.
 *
 * Lines are appended in batches on the next animation frame, so a program printing thousands of lines costs one
 * layout per frame. A run shows its first `CONSOLE_LINES_SHOWN_MAX` program lines and its last
 * `CONSOLE_TAIL_LINES_SHOWN_MAX` (the end of the output is often the result); one line between them counts the
 * lines left out.
 */
import type { ConsoleLine } from '../../workers/protocol.ts';

/** Program console lines shown from the start of a run's output. */
export const CONSOLE_LINES_SHOWN_MAX = 300;
/** Program console lines shown from the end of a run's output, once it is longer than the first part. */
export const CONSOLE_TAIL_LINES_SHOWN_MAX = 100;

export type NoteKind = 'info' | 'success' | 'warn' | 'error';

export class ConsolePanel {
  private readonly root: HTMLElement;
  private readonly maxLines: number;
  private pending: HTMLElement[] = [];
  private frame = 0;
  private readonly tailMax: number;
  private shown = 0;
  /** Lines received after the first `maxLines` and dropped from the tail (the count shown between the parts). */
  private omitted = 0;
  /** The last lines received after the first `maxLines` (at most `tailMax`). */
  private tail: ConsoleLine[] = [];
  private tailDirty = false;
  private overflowEl: HTMLElement | undefined;
  private tailEl: HTMLElement | undefined;

  /** @param root the `role="log"` element; its children are replaced by `clear()`. */
  constructor(root: HTMLElement, maxLines = CONSOLE_LINES_SHOWN_MAX, tailMax = CONSOLE_TAIL_LINES_SHOWN_MAX) {
    this.root = root;
    this.maxLines = maxLines;
    this.tailMax = tailMax;
  }

  /** Removes every line (call at the start of a run). */
  clear(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.shown = 0;
    this.omitted = 0;
    this.tail = [];
    this.tailDirty = false;
    this.overflowEl = undefined;
    this.tailEl = undefined;
    this.root.replaceChildren();
  }

  /** Number of program lines received since `clear()` (shown + not shown). */
  get lineCount(): number {
    return this.shown + this.omitted + this.tail.length;
  }

  /** Appends one program line (`t` simulated ms, level, text). */
  append(line: ConsoleLine): void {
    if (this.shown < this.maxLines) {
      this.shown++;
      this.queue(lineRow(line));
      return;
    }
    this.tail.push(line);
    if (this.tail.length > this.tailMax) {
      this.tail.shift();
      this.omitted++;
    }
    if (!this.overflowEl || !this.tailEl) {
      this.overflowEl = element('div', 'console-line console-line--note console-line--warn');
      this.overflowEl.style.display = 'none';
      this.tailEl = element('div', 'console-tail');
      this.queue(this.overflowEl);
      this.queue(this.tailEl);
    }
    this.tailDirty = true;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
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
    if (this.pending.length === 0 && !this.tailDirty) return;
    const atBottom = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 24;
    if (this.tailDirty && this.overflowEl && this.tailEl) {
      this.tailDirty = false;
      // Not the `hidden` attribute: the line's `display: flex` rule would override it.
      this.overflowEl.style.display = this.omitted === 0 ? 'none' : '';
      this.overflowEl.textContent = `… ${this.omitted} line${this.omitted === 1 ? '' : 's'} not shown here `
        + `(the panel shows the first ${this.maxLines} and the last ${this.tailMax}).`;
      this.tailEl.replaceChildren(...this.tail.map(lineRow));
    }
    this.root.append(...this.pending);
    this.pending = [];
    if (atBottom) this.root.scrollTop = this.root.scrollHeight;
  }
}

function lineRow(line: ConsoleLine): HTMLElement {
  const row = element('div', `console-line console-line--${safeLevel(line.level)}`);
  const time = element('span', 'console-time');
  time.textContent = formatMs(line.t);
  const text = element('span', 'console-text');
  text.textContent = line.text;
  if (typeof line.process === 'string') {
    // In a run of several processes every line says whose it is, as `npm run sim` prefixes them.
    const who = element('span', 'console-process');
    who.textContent = line.process;
    who.dataset.process = line.process;
    row.append(time, who, text);
  } else {
    row.append(time, text);
  }
  return row;
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
