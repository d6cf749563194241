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
}

/** What a run produced. */
export interface RunResult {
  /**
   * 'completed': nothing was left to do (no pending engine event) and no error; 'time-limit': events were still
   * pending at `untilMs`; 'error': the program threw, left a rejection unhandled, called `process.exit(n ≠ 0)` (or
   * set a non-zero `process.exitCode`), had a
   * syntax error, or crossed a simulation limit.
   */
  status: 'completed' | 'time-limit' | 'error';
  /** Simulated ms when the run ended (`untilMs` for 'time-limit'). */
  endedAtMs: number;
  trace: TraceEvent[];
  console: ConsoleLine[];
  /** Set when status is 'error'. `line` / `column` (1-based) are in the learner's source, when known. */
  error?: { name: string; message: string; line?: number; column?: number };
}
