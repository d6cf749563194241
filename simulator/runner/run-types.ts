/** The runner's public types (see `run-program.ts`). */
import type { SimulationLimits } from '../core/limits.ts';
import type { TraceEvent } from '../trace.ts';
import type { ConsoleLine } from './program-console.ts';

export type { ConsoleLine } from './program-console.ts';

/** Options of `runProgram`. */
export interface RunOptions {
  /** PRNG seed (any finite number). Default 1. Same seed + same program ⇒ identical trace. */
  seed?: number;
  /** Simulated-time limit in ms (finite, ≥ 0): the run stops there with status 'time-limit'. Default 60_000. */
  untilMs?: number;
  /** Source language. Default: from `filename`'s extension (`.ts` ⇒ 'ts'), else 'js'. */
  language?: 'js' | 'ts';
  /** File name used in error messages and printed stacks. Default `program.js` / `program.ts`. */
  filename?: string;
  /** One-way network latency in simulated ms, passed to `AmqpBroker`. Default: the broker's. */
  latencyMs?: number;
  /** Overrides of the engine's `DEFAULT_LIMITS`. */
  limits?: Partial<SimulationLimits>;
  /** Most console lines kept (and streamed); past it one notice line, then output is dropped. Default 5_000. */
  consoleLinesMax?: number;
  /** Called with each console line as it is printed. */
  onConsole?: (line: ConsoleLine) => void;
  /**
   * Called now and then (every `PROGRESS_EVERY_STEPS` engine steps) with the simulated time reached: lets a
   * watchdog tell a busy simulation (a 1 ms `setInterval`) from a program stuck in a loop that never yields.
   */
  onProgress?: (atMs: number) => void;
  /**
   * Route the host's own `console` to the run's console for the length of the run (the code runner's dedicated
   * worker sets it): code a program builds with `new Function(...)` runs in the host's global scope, and its
   * `console.log` must still appear in the program's console. Lines go to the process that ran code last.
   */
  captureHostConsole?: boolean;
  /** Options for the brokers of the run, by broker id (e.g. `{ kafka: { cluster: { brokerCount: 3 } } }`). */
  brokerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * Faults applied at simulated times (the course's "faults as verbs"): `kill-process` (target: a process name;
   * it dies as with SIGKILL: its connections drop), `restart-process` (target: a process name; a killed or ended
   * process starts again from the top, under the same name), and the brokers' own (e.g. `restart-broker`,
   * `slow-network`; see each runtime's `fault`). An unknown fault id or target is an error of the options.
   */
  faults?: readonly RunFault[];
}

/** A fault of a run: what, at which simulated time (ms), on what. */
export interface RunFault {
  id: string;
  atMs: number;
  /** A process name for process faults; a broker's own meaning otherwise (may be empty). */
  target?: string;
  /** A number some faults take (the new latency of `slow-network`, the down time of `restart-broker`), ms. */
  valueMs?: number;
}

/** One program of a run of several processes (`runPrograms`). */
export interface ProgramSpec {
  source: string;
  /** File name: shown in errors and stacks, and the process's name (`worker.mjs`, `worker.mjs#2` for copies). */
  filename?: string;
  /** Command-line arguments after the file name: `process.argv.slice(2)`. */
  args?: string[];
  /**
   * Simulated ms at which the process starts. Default: once the processes before it have settled (only waiting for
   * messages) or ended; the first one at 0.
   */
  startAtMs?: number;
  /** Source language; default from the file name. */
  language?: 'js' | 'ts';
}

/** How one process of a run fared. */
export interface ProcessResult {
  pid: number;
  name: string;
  /**
   * 'exited' (finished or `process.exit`), 'failed' (uncaught error / unhandled rejection), 'killed' (a crash
   * fault), 'running' (still running or waiting when the run ended), 'not-started'.
   */
  state: 'exited' | 'failed' | 'killed' | 'running' | 'not-started';
  exitCode?: number;
  startedAtMs?: number;
  endedAtMs?: number;
  error?: { name: string; message: string; line?: number; column?: number };
}

/** What a run produced. */
export interface RunResult {
  /**
   * 'completed': nothing was left to do and no error; 'quiescent': nothing else could happen but a process still
   * waited for messages (a consumer subscribed, a poll loop) — a real process would keep waiting, and the console
   * ends with a notice saying so; 'time-limit': events were still pending at `untilMs`; 'error': a program threw,
   * left a rejection unhandled, called `process.exit(n ≠ 0)` (or set a non-zero `process.exitCode`), had a syntax
   * error, or crossed a simulation limit.
   */
  status: 'completed' | 'quiescent' | 'time-limit' | 'error';
  /** Simulated ms when the run ended (`untilMs` for 'time-limit'). */
  endedAtMs: number;
  trace: TraceEvent[];
  console: ConsoleLine[];
  /** Every process of the run, in the order given (one for `runProgram`); absent in results from older code. */
  processes?: ProcessResult[];
  /**
   * Set when status is 'error' (the first failure). `line` / `column` (1-based) are in the learner's source, when
   * known; `process` names the process in a run of several.
   */
  error?: { name: string; message: string; line?: number; column?: number; process?: string };
}
