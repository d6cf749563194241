/**
 * The `console` (and `process.stdout` / `process.stderr`) a learner program gets: every line is formatted exactly as
 * Node's `console.log` would print it (`format.ts`), stamped with the simulated time, kept in `lines`, streamed to
 * `onLine`, and recorded as a `console` trace event.
 *
 * - `log`, `info`, `debug`, `dir`, `table`, `time*`, `count` write to stdout; `warn`, `error`, `trace`, `assert`
 *   write to stderr (as in Node). `ConsoleLine.level` says which method printed the line.
 * - `table()` draws Node's box table (`console-table.ts`).
 * - `group()` / `groupEnd()` indent by 2 spaces per level, like Node.
 * - `process.stdout.write(text)` text without a newline is held until a newline or the end of the run; a console
 *   call on the same stream continues that line (Node writes both to one stream).
 * - `time()` / `timeEnd()` measure simulated time.
 * - Past `consoleLinesMax` lines, output is held back: only the last `CONSOLE_TAIL_LINES_KEPT` lines are kept
 *   (the end of the output is often the result). When the output ends (`flush()` at the end of the run, or
 *   `close()`), one notice line (level 'warn': how many lines were left out) and those last lines are emitted. The
 *   held-back lines are not traced. A program that prints in a loop cannot exhaust memory.
 * - A line longer than `CONSOLE_LINE_CHARS_MAX` characters is cut there and ends with a notice
 *   (`… [N more characters not shown]`); `process.stdout.write` text without a newline is emitted as a line once it
 *   reaches that length, so neither a huge value nor an endless `write` can flood the page.
 *
 * Source: Node.js console (https://nodejs.org/api/console.html).
 */
import type { Engine } from '../core/engine.ts';
import type { ConsoleLevel } from '../trace.ts';
import { formatTable } from './console-table.ts';
import { formatWithOptions, inspect, type InspectOptions } from './format.ts';

/** One printed line (or multi-line entry) of a run: `t` = simulated ms when it was printed. */
export interface ConsoleLine {
  t: number;
  level: ConsoleLevel;
  text: string;
  /** The process that printed it, in a run of several processes (`worker.mjs#2`); absent in a one-program run. */
  process?: string;
}

/** Default of `RunOptions.consoleLinesMax`. */
export const CONSOLE_LINES_MAX_DEFAULT = 5_000;

/** Lines kept from the end of an output longer than `consoleLinesMax` (emitted after the notice). */
export const CONSOLE_TAIL_LINES_KEPT = 50;

/** Longest console line kept (UTF-16 code units); the rest is replaced by a notice. */
export const CONSOLE_LINE_CHARS_MAX = 10_000;

/** `text` cut to `CONSOLE_LINE_CHARS_MAX` characters with a notice of how many were left out. */
export function capLine(text: string): string {
  if (text.length <= CONSOLE_LINE_CHARS_MAX) return text;
  return `${text.slice(0, CONSOLE_LINE_CHARS_MAX)}… [${text.length - CONSOLE_LINE_CHARS_MAX} more characters not shown]`;
}

/** Levels Node writes to stdout (the others go to stderr). */
export function isStdoutLevel(level: ConsoleLevel): boolean {
  return level === 'log' || level === 'info' || level === 'debug';
}

export interface ProgramConsoleOptions {
  engine: Engine;
  linesMax: number;
  onLine?: (line: ConsoleLine) => void;
  /** Inspect options for printed values (the runner's learner-frame `errorStack`). */
  inspectOptions: InspectOptions;
  /** Called with an error the console cannot swallow (a `SimulationLimitError` from recording the trace). */
  onFatal: (error: unknown) => void;
  /** Name of the process printing, in a run of several processes: stamped on every line and trace entry. */
  process?: string;
  /** Where lines are kept: a run of several processes shares one array, in print order. Default: its own. */
  lines?: ConsoleLine[];
}

type Stream = 'stdout' | 'stderr';

/** Node's console duration text: `1.5ms`, `2.000s`, `1:05.000 (m:ss.mmm)`. */
export function formatDuration(totalMs: number): string {
  let ms = totalMs;
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60_000) {
      if (ms >= 3_600_000) {
        hours = Math.floor(ms / 3_600_000);
        ms %= 3_600_000;
      }
      minutes = Math.floor(ms / 60_000);
      ms %= 60_000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    const [secs, millis] = seconds.toFixed(3).split('.');
    const head = hours !== 0 ? `${hours}:${String(minutes).padStart(2, '0')}` : `${minutes}`;
    return `${head}:${secs.padStart(2, '0')}.${millis} (${hours !== 0 ? 'h:m' : ''}m:ss.mmm)`;
  }
  if (seconds !== 0) return `${seconds.toFixed(3)}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

/** Captures a program's console output; `console` is the object handed to the program. */
export class ProgramConsole {
  readonly lines: ConsoleLine[];
  readonly console: Record<string, (...args: unknown[]) => void>;
  private readonly options: ProgramConsoleOptions;
  private readonly partial: Record<Stream, { text: string; level: ConsoleLevel }> = {
    stdout: { text: '', level: 'log' },
    stderr: { text: '', level: 'error' },
  };
  private groupIndent = '';
  private closed = false;
  /** Lines past `linesMax`, newest last (at most `CONSOLE_TAIL_LINES_KEPT`). */
  private tail: ConsoleLine[] = [];
  /** Lines past `linesMax` that fell out of `tail`. */
  private dropped = 0;
  private readonly timers = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  constructor(options: ProgramConsoleOptions) {
    this.options = options;
    this.lines = options.lines ?? [];
    const fmt = (args: unknown[]) => formatWithOptions(options.inspectOptions, ...args);
    const print = (level: ConsoleLevel) => (...args: unknown[]) => this.print(level, fmt(args));
    const label = (value: unknown) => (value === undefined ? 'default' : `${value as string}`);
    this.console = {
      log: print('log'),
      info: print('info'),
      debug: print('debug'),
      warn: print('warn'),
      error: print('error'),
      dir: (value: unknown, opts?: unknown) =>
        this.print('log', inspect(value, { ...options.inspectOptions, customInspect: false, ...(opts as InspectOptions) })),
      table: (data: unknown, properties?: unknown) => {
        const table = formatTable(data, properties, options.inspectOptions);
        this.print('log', table ?? fmt([data]));
      },
      trace: (...args: unknown[]) => {
        const where = new Error();
        where.name = 'Trace';
        where.message = fmt(args);
        const stack = options.inspectOptions.errorStack?.(where) ?? `Trace: ${where.message}`;
        this.print('error', stack.startsWith('Trace') ? stack : `Trace: ${where.message}`);
      },
      assert: (condition: unknown, ...args: unknown[]) => {
        if (condition) return;
        if (args.length > 0 && typeof args[0] === 'string') {
          this.print('error', fmt([`Assertion failed: ${args[0]}`, ...args.slice(1)]));
        } else {
          this.print('error', fmt(['Assertion failed', ...args]));
        }
      },
      group: (...args: unknown[]) => {
        if (args.length > 0) this.print('log', fmt(args));
        this.groupIndent += '  ';
      },
      groupCollapsed: (...args: unknown[]) => this.console.group(...args),
      groupEnd: () => {
        this.groupIndent = this.groupIndent.slice(0, -2);
      },
      time: (name?: unknown) => {
        const key = label(name);
        if (this.timers.has(key)) {
          this.print('warn', `(node) Warning: Label '${key}' already exists for console.time()`);
          return;
        }
        this.timers.set(key, options.engine.nowMs);
      },
      timeLog: (name?: unknown, ...data: unknown[]) => this.timeEnd(label(name), false, data),
      timeEnd: (name?: unknown) => this.timeEnd(label(name), true, []),
      count: (name?: unknown) => {
        const key = label(name);
        const n = (this.counts.get(key) ?? 0) + 1;
        this.counts.set(key, n);
        this.print('log', `${key}: ${n}`);
      },
      countReset: (name?: unknown) => {
        this.counts.delete(label(name));
      },
    };
  }

  /**
   * Prints a runner notice after the program's output (level 'warn', stderr; not indented by `group()`, not
   * subject to `linesMax`). Nothing is printed once the console is closed. `fromRunner`: a notice about the whole
   * run, not stamped with this console's process name.
   */
  notice(text: string, fromRunner = false): void {
    if (this.closed) return;
    this.flush();
    this.push('warn', capLine(text), fromRunner);
  }

  /** `process.stdout.write` / `process.stderr.write`: text with newlines completes lines; the rest waits. */
  write(stream: Stream, chunk: unknown): boolean {
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    const pending = this.partial[stream];
    pending.text += text;
    const lastNewline = pending.text.lastIndexOf('\n');
    if (lastNewline !== -1) {
      const complete = pending.text.slice(0, lastNewline);
      pending.text = pending.text.slice(lastNewline + 1);
      this.emit(stream === 'stdout' ? 'log' : 'error', complete);
    }
    if (pending.text.length > CONSOLE_LINE_CHARS_MAX) {
      const long = pending.text;
      pending.text = '';
      this.emit(stream === 'stdout' ? 'log' : 'error', long);
    }
    return true;
  }

  /**
   * Ends the output: text waiting for a newline is emitted, and later console calls print nothing (the program
   * died: an uncaught exception or unhandled rejection ends a Node process before anything else prints).
   */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /**
   * Emits text still waiting for a newline and, when the output went past `linesMax`, the notice and the last
   * lines held back (call once at the end of the run).
   */
  flush(): void {
    if (this.closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const pending = this.partial[stream];
      if (pending.text !== '') {
        const text = pending.text;
        pending.text = '';
        this.emit(stream === 'stdout' ? 'log' : 'error', text);
      }
    }
    if (this.tail.length === 0) return;
    const held = this.tail;
    this.tail = [];
    const left = this.dropped;
    this.dropped = 0;
    if (left > 0) this.deliver({
      ...this.line('warn', `[console output too long: ${left} line${left === 1 ? '' : 's'} left out here (a run `
        + `keeps the first ${this.options.linesMax} lines and the last ${CONSOLE_TAIL_LINES_KEPT})]`),
      t: held[0].t,
    });
    for (const line of held) this.deliver(line);
  }

  private timeEnd(key: string, end: boolean, data: unknown[]): void {
    const start = this.timers.get(key);
    if (start === undefined) {
      this.print('warn', `(node) Warning: No such label '${key}' for console.time${end ? 'End' : 'Log'}()`);
      return;
    }
    if (end) this.timers.delete(key);
    const extra = data.length > 0 ? ` ${formatWithOptions(this.options.inspectOptions, ...data)}` : '';
    this.print('log', `${key}: ${formatDuration(this.options.engine.nowMs - start)}${extra}`);
  }

  private print(level: ConsoleLevel, text: string): void {
    const indented = this.groupIndent === '' ? text : this.groupIndent + text.replaceAll('\n', `\n${this.groupIndent}`);
    const pending = this.partial[isStdoutLevel(level) ? 'stdout' : 'stderr'];
    const full = pending.text + indented;
    pending.text = '';
    this.emit(level, full);
  }

  private emit(level: ConsoleLevel, text: string): void {
    if (this.closed) return;
    if (this.lines.length >= this.options.linesMax) {
      this.tail.push(this.line(level, capLine(text)));
      if (this.tail.length > CONSOLE_TAIL_LINES_KEPT) {
        this.tail.shift();
        this.dropped++;
      }
      return;
    }
    this.push(level, capLine(text));
  }

  /** Keeps and streams a held-back line (not traced: its time is past). */
  private deliver(line: ConsoleLine): void {
    this.lines.push(line);
    this.options.onLine?.(line);
  }

  /** A line printed now (stamped with the process in a run of several, unless `anonymous`). */
  private line(level: ConsoleLevel, text: string, anonymous = false): ConsoleLine {
    const process = anonymous ? undefined : this.options.process;
    return process === undefined ? { t: this.options.engine.nowMs, level, text }
      : { t: this.options.engine.nowMs, level, text, process };
  }

  private push(level: ConsoleLevel, text: string, anonymous = false): void {
    const line = this.line(level, text, anonymous);
    this.lines.push(line);
    const process = line.process;
    try {
      this.options.engine.record(process === undefined ? { kind: 'console', level, text }
        : { kind: 'console', level, text, process });
    } catch (error) {
      this.options.onFatal(error);
    }
    this.options.onLine?.(line);
  }
}
