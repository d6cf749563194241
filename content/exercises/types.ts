/**
 * Shape of an exercise (pure data + a pure check; no DOM), shared by `content/exercises/*.ts`, the exercise UI
 * (`src/components/exercise/`) and the tests.
 */
import type { TraceEvent } from '../../simulator/trace.ts';

/**
 * The part of the runner's `RunResult` (simulator/runner/run-program.ts) a check reads. Checks must treat it as
 * untrusted: a run may have failed, been cut short, or (in tests) be garbage.
 */
export interface CheckableRun {
  status: 'completed' | 'quiescent' | 'time-limit' | 'error';
  endedAtMs: number;
  trace: readonly TraceEvent[];
  console: readonly { t: number; level: string; text: string }[];
  error?: { name: string; message: string; line?: number; column?: number };
}

/** Verdict of a check: `messages[0]` is the headline, the rest explain (plain sentences, `code` in backticks). */
export interface CheckResult {
  passed: boolean;
  messages: string[];
}

export interface ExerciseDefinition {
  /** Unique id; also names the code runner (`mqlab:code:v1:exercise-<id>`). */
  id: string;
  /** Collection id of the lesson the exercise belongs to (progress key in `mqlab:progress:v1`). */
  lessonSlug: string;
  title: string;
  /** Paragraphs; `code` in backticks. */
  instructions: string[];
  language: 'js' | 'ts';
  /** The program's code at the start (one file; for several, `files` has them and this is the first one's). */
  starterCode: string;
  solutionCode: string;
  /** The program's file name in the code runner (error messages name it): default `program.mjs`. */
  fileName?: string;
  /**
   * Several programs, one tab each, run as processes: name, starter and solution code (instead of one program;
   * `starterCode` / `solutionCode` then repeat the first file's). The check judges the run of all of them.
   */
  files?: ReadonlyArray<{ name: string; starter: string; solution: string }>;
  /**
   * How Check (and Run) start the files, one entry per process as on `npm run sim`'s command line:
   * `worker.mjs worker.mjs "new_task.mjs 6"`. Default: each file once, in order. Check always uses this line,
   * whatever the learner typed in the runner's own run line.
   */
  runLine?: string;
  /** Revealed one at a time, gentlest first. */
  hints: string[];
  /**
   * Options of the run the check judges: seed, simulated time limit, and faults applied during it (e.g. a broker
   * restart: `[{ id: 'restart-broker', atMs: 3000, valueMs: 2000 }]`; see the runner's `RunOptions.faults`).
   */
  run: { seed: number; untilMs: number; faults?: Array<{ id: string; atMs: number; target?: string; valueMs?: number }> };
  /** Judges a run. Never throws; any input that is not a usable run fails with a message saying why. */
  check(run: unknown): CheckResult;
}
