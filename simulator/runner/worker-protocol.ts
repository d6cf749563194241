/**
 * Messages between the page (code runner) and the runner worker (`worker-host.ts`, started from a broker's
 * `simulator/brokers/<id>/worker.ts`). One worker runs one request once: the page creates a fresh worker per run
 * and terminates it afterwards, so a program can never leak state into the next run.
 *
 * page → worker: `RunRequest` (exactly one).
 * worker → page, in this order: `started` (just before the program starts: the wall-clock watchdog counts from
 * here, so the time to download the worker script is not held against the program), any number of `console`
 * (streamed as the simulation prints: `lines` is a batch, flushed every `CONSOLE_BATCH_MS` of real time or
 * `CONSOLE_BATCH_LINES` lines; a single `line` is accepted too), then exactly one of `done` (the run's result) or `failed` (the runner itself
 * threw: a bug, not a program error; program errors arrive inside `done` as `result.status === 'error'`).
 */
import type { ProgramSpec, RunFault, RunResult } from './run-types.ts';
import type { SimulationLimits } from '../core/limits.ts';

export type { ProgramSpec, RunResult };

/** Languages the runner accepts. */
export type RunLanguage = 'js' | 'ts';

/** One console line of a run: `t` is simulated ms. */
export type ConsoleLine = RunResult['console'][number];

/** Options the page may set for a run (a subset of the runner's `RunOptions`, all serializable). */
export interface WorkerRunOptions {
  /** PRNG seed of the simulation; same seed + same program ⇒ same trace. */
  seed?: number;
  /** Simulated ms after which the run stops with status `time-limit`. */
  untilMs?: number;
  language?: RunLanguage;
  /** File name shown in error messages, e.g. `work-queue.js`. */
  filename?: string;
  /** Most console lines the runner keeps (and streams). */
  consoleLinesMax?: number;
  /** Overrides of the simulation's limits (crossing one ends the run with a `SimulationLimitError`). */
  limits?: Partial<SimulationLimits>;
  /** Faults applied at simulated times (a broker restart during an exercise's run): see `RunOptions.faults`. */
  faults?: RunFault[];
}

/** Real ms the worker holds console lines before posting them as one `console` message. */
export const CONSOLE_BATCH_MS = 16;
/** Most console lines in one `console` message. */
export const CONSOLE_BATCH_LINES = 200;

/**
 * The run to do: `programs` (each a process, see `ProgramSpec`), or the older form, one program as `source` (with
 * `options.filename` / `options.language`).
 */
export interface RunRequest {
  type: 'run';
  source?: string;
  programs?: ProgramSpec[];
  options: WorkerRunOptions;
}

/**
 * Worker → page. `ready`: the sandboxed worker is loaded and connected (sent once, before any run request; the
 * page then counts the run's wall-clock limit from the Run click). `started`: the run request arrived.
 */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'console'; lines: ConsoleLine[] }
  /** The simulated time the run has reached (sent now and then): the program is running, not stuck in a loop. */
  | { type: 'progress'; atMs: number }
  | { type: 'console'; line: ConsoleLine }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; error: { name: string; message: string } };
