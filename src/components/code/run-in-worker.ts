/**
 * Runs programs in a fresh Web Worker (`simulator/runner/worker-host.ts`, see runner-script.ts) with a wall-clock watchdog. The worker runs
 * inside a fresh sandboxed iframe (`sandboxed-worker.ts`: opaque origin, no network), so learner code cannot reach
 * the page; terminating it removes the frame. Every message from it is checked (`parseWorkerMessage`) before use.
 *
 * The simulator runs a program in simulated time, so a healthy run of minutes of simulated traffic takes
 * milliseconds of real time. A program that never yields (`while (true) {}`) blocks the worker's thread forever;
 * the watchdog on the page's thread then terminates the worker, which is the only way to stop it. The page never
 * blocks: all program code runs in the worker.
 *
 * Limits (named, explicit):
 * - `RUN_WALL_LIMIT_MS` (1500): real time a program may run. Counted from the run request (the Run click) when the
 *   worker was already loaded (`ready`: the pre-warmed sandbox); counted from the worker's `started` message when it
 *   still had to load (its start-up is not held against the program). 1.5 s, not 2 s, so that a warm
 *   `while (true) {}` is stopped AND shown as stopped within 2 s of the click: the timer, terminating the worker
 *   and removing its frame took 20–150 ms on a busy 2-core machine (at 1.8 s runs were shown stopped 1,821–1,914 ms after the click: too close to 2 s).
 *   A lesson's programs run in simulated time and end in well under a second of real time (`CODE_RUN_LIMITS`
 *   bound even a runaway one).
 * - `WORKER_START_LIMIT_MS` (20000): real time the worker may take to download and start before it is given up.
 */
import type { ConsoleLine, ProgramSpec, RunResult, WorkerRunOptions } from '../../workers/protocol.ts';
import { runnerKey } from './runner-script.ts';
import { parseWorkerMessage } from '../../workers/sandbox-protocol.ts';
import { DevModuleWorker, SandboxedWorker } from './sandboxed-worker.ts';

export const RUN_WALL_LIMIT_MS = 1500;
export const WORKER_START_LIMIT_MS = 20000;

/** A limit in ms as learners read it: 1500 → "1.5 seconds", 1000 → "1 second". */
export function secondsText(limitMs: number): string {
  const seconds = limitMs / 1000;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** How a run in the worker ended. */
export type RunOutcome =
  /** The runner returned a result (which may itself be a program error or a simulated time limit). */
  | { kind: 'finished'; result: RunResult; wallMs: number }
  /**
   * The watchdog stopped the program after `limitMs` of real time; `simulatedMs`: the simulated time it had reached
   * (from the worker's progress reports), when it was still advancing — a busy simulation, not a stuck loop.
   */
  | { kind: 'timeout'; limitMs: number; simulatedMs?: number }
  /** The worker could not start or the runner itself crashed (not the learner's fault). */
  | { kind: 'failed'; message: string }
  /** `cancel()` was called (e.g. a new run replaced this one). */
  | { kind: 'cancelled' };

export interface RunInWorkerOptions {
  /** Called for each console line as the program prints it. */
  onConsole?: (line: ConsoleLine) => void;
  /** Wall-clock limit in ms for the program (default `RUN_WALL_LIMIT_MS`). */
  wallLimitMs?: number;
  /** Wall-clock limit in ms for the worker to start (default `WORKER_START_LIMIT_MS`). */
  startLimitMs?: number;
  /**
   * Worker factory (tests); defaults to the runner worker the programs need (runner-script.ts) in a sandboxed
   * iframe (`SandboxedWorker`). A worker whose `ready` property is `true` is warm: the wall-clock limit counts from
   * the run request.
   */
  createWorker?: () => Worker;
}

/** One program of a run in the worker (several run as processes on the same brokers). */
export type WorkerProgram = ProgramSpec;

export interface RunHandle {
  /** Settles exactly once; never rejects. */
  readonly outcome: Promise<RunOutcome>;
  /** Terminates the worker; the outcome becomes `cancelled` unless it had already settled. */
  cancel(): void;
}

/** A sandbox started ahead of the next run (`prewarmRunner`), so Run does not wait for a frame and a worker. */
let warm: SandboxedWorker | undefined;

/**
 * Starts a sandbox (frame + runner worker for `key`, see runner-script.ts) for the next run, if none is waiting.
 * Call it when a run becomes likely (the code runner does when its editor loads). Does nothing under `astro dev`
 * or without a DOM.
 */
export function prewarmRunner(key?: string): void {
  if (import.meta.env.DEV || typeof document === 'undefined') return;
  if (warm !== undefined && warm.failure === undefined && (key === undefined || warm.key === key)) return;
  warm?.terminate();
  warm = new SandboxedWorker(key ?? 'all');
}

/** The worker for `key` (undefined: any will do, the warm one first). */
function defaultWorker(key: string | undefined): Worker {
  if (import.meta.env.DEV) return new DevModuleWorker(key ?? 'all') as unknown as Worker;
  if (warm !== undefined && (warm.failure !== undefined || (key !== undefined && warm.key !== key))) {
    warm.terminate();
    warm = undefined;
  }
  const worker = warm ?? new SandboxedWorker(key ?? 'all');
  warm = undefined;
  return worker as unknown as Worker;
}

/**
 * Starts `source` (one program) or `programs` (several, each a process) in a new worker. See `RunOutcome` for how
 * it ends; the worker is always terminated at the end.
 */
export function runInWorker(source: string | readonly WorkerProgram[], runOptions: WorkerRunOptions,
  options: RunInWorkerOptions = {}): RunHandle {
  const programs = typeof source === 'string' ? undefined : [...source];
  const key = runnerKey(programs === undefined ? [source as string] : programs.map((p) => p.source));
  const wallLimitMs = options.wallLimitMs ?? RUN_WALL_LIMIT_MS;
  const startLimitMs = options.startLimitMs ?? WORKER_START_LIMIT_MS;
  let settle!: (outcome: RunOutcome) => void;
  const outcome = new Promise<RunOutcome>((resolve) => { settle = resolve; });
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let startedAt = 0;
  let worker: Worker | undefined;

  const finish = (result: RunOutcome) => {
    if (settled) return;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    worker?.terminate();
    settle(result);
  };

  try {
    worker = options.createWorker ? options.createWorker() : defaultWorker(key);
  } catch (error) {
    finish({ kind: 'failed', message: `The code runner could not start: ${describe(error)}` });
    return { outcome, cancel: () => {} };
  }

  const requestedAt = performance.now();
  const warmAtRequest = (worker as unknown as { ready?: unknown }).ready === true;
  let simulatedMs: number | undefined;
  const timeOut = () => finish(simulatedMs === undefined ? { kind: 'timeout', limitMs: wallLimitMs }
    : { kind: 'timeout', limitMs: wallLimitMs, simulatedMs });
  timer = warmAtRequest ? setTimeout(timeOut, wallLimitMs) : setTimeout(() => finish({
    kind: 'failed',
    message: `The code runner did not start within ${Math.round(startLimitMs / 1000)} s. Reload the page and try again.`,
  }), startLimitMs);

  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (settled) return;
    const message = parseWorkerMessage(event.data);
    if (message === undefined) {
      finish({ kind: 'failed', message: 'The code runner sent a message the page could not read.' });
      return;
    }
    switch (message.type) {
      case 'ready':
        break;
      case 'started':
        startedAt = warmAtRequest ? requestedAt : performance.now();
        if (!warmAtRequest) {
          clearTimeout(timer);
          timer = setTimeout(timeOut, wallLimitMs);
        }
        break;
      case 'console':
        for (const line of 'lines' in message ? message.lines : [message.line]) options.onConsole?.(line);
        break;
      case 'progress':
        simulatedMs = message.atMs;
        break;
      case 'done':
        finish({ kind: 'finished', result: message.result, wallMs: Math.round(performance.now() - startedAt) });
        break;
      case 'failed':
        finish({ kind: 'failed', message: `The code runner failed: ${message.error.name}: ${message.error.message}` });
        break;
    }
  });
  worker.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    finish({ kind: 'failed', message: `The code runner failed: ${event.message || 'the worker script could not load'}` });
  });
  worker.addEventListener('messageerror', () => {
    finish({ kind: 'failed', message: 'The code runner sent a result the page could not read.' });
  });

  worker.postMessage(programs === undefined
    ? { type: 'run', source: source as string, options: runOptions }
    : { type: 'run', programs, options: runOptions });
  return { outcome, cancel: () => finish({ kind: 'cancelled' }) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
