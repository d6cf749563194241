/**
 * Argument parsing of the simulator CLI (`simulator/cli.ts`):
 * `npm run sim -- <program> [<program> …] [--seed N] [--until 60s] [--latency 10ms] [--trace out.json]`, where
 * each program argument is one process: a file, optionally followed by its arguments in the same (quoted) string,
 * and `--at TIME` before a program gives its simulated start time.
 * Pure (no I/O) so it is unit-tested; `CliUsageError` carries the message the CLI prints before exiting with 2.
 */

export const CLI_USAGE = `Usage: npm run sim -- <program> [<program> ...] [options]

Runs programs (JavaScript or TypeScript, using amqplib or kafkajs) on the MQ Lab simulator and prints their
console output.
Each <program> argument is one process: a file, optionally followed by its arguments in the same quoted string.
Several programs share one simulated broker, like programs started one after another in a terminal: each starts
once the ones before it have settled (only waiting for messages) or ended, unless --at gives it a start time.
With several programs every output line starts with the process name (a file started twice: worker.mjs#1, #2).

  npm run sim -- worker.mjs worker.mjs "new_task.mjs Hello there"
  npm run sim -- receive.mjs --at 5s send.mjs

Options:
  --at TIME         simulated start time of the next program (500ms, 5s, 1m or a plain number of ms)
  --seed N          PRNG seed (integer, default 1); same seed + same programs => same trace
  --until DURATION  simulated-time limit: 500ms, 60s, 2m or a plain number of ms (default 60s)
  --latency DURATION  one-way network latency of the simulated broker (default: the broker's)
  --trace FILE      write the run's trace (JSON array of events) to FILE
  --help            show this help

A run whose programs only wait for messages (a consumer that never stops) ends there with a notice, as a real
process would wait until you stop it.
Exit codes: 0 the programs completed (or waited, or reached --until), 1 a program failed, 2 bad arguments.`;

/** Bad command-line input: print `message` and the usage, exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** One process of the command line: a program file, its arguments, and an optional start time. */
export interface CliProgram {
  file: string;
  args: string[];
  /** Simulated start time in ms (`--at`), when given. */
  startAtMs?: number;
}

export interface CliArgs {
  /** The first program's file (kept for callers that run one program). */
  file: string;
  /** Every program, in order (each a process). */
  programs: CliProgram[];
  seed?: number;
  untilMs?: number;
  latencyMs?: number;
  tracePath?: string;
  help: boolean;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a duration into whole ms: `500ms`, `1.5s`, `2m`, or a plain number of ms. Throws `CliUsageError` for
 * anything else (negative, empty, unknown unit) naming `flag`.
 */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) {
    throw new CliUsageError(`${flag} expects a duration like 500ms, 60s, 2m or a number of ms; got '${text}'`);
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
  if (!Number.isFinite(ms)) throw new CliUsageError(`${flag} is too large: '${text}'`);
  return Math.round(ms);
}

/** Parses `argv` (the arguments after the script). Throws `CliUsageError` on bad input. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const programs: CliProgram[] = [];
  let nextAtMs: number | undefined;
  const result: Omit<CliArgs, 'file' | 'programs'> = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq !== -1 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        result.help = true;
        break;
      case '--seed': {
        const text = value();
        const seed = Number(text);
        if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(seed)) {
          throw new CliUsageError(`--seed expects an integer; got '${text}'`);
        }
        result.seed = seed;
        break;
      }
      case '--until':
        result.untilMs = parseDurationMs(value(), '--until');
        break;
      case '--at':
        if (nextAtMs !== undefined) throw new CliUsageError('--at must be followed by a program');
        nextAtMs = parseDurationMs(value(), '--at');
        break;
      case '--latency':
        result.latencyMs = parseDurationMs(value(), '--latency');
        break;
      case '--trace': {
        const path = value();
        if (path === '') throw new CliUsageError('--trace needs a file name');
        result.tracePath = path;
        break;
      }
      default: {
        if (arg.startsWith('-') && arg !== '-') throw new CliUsageError(`unknown option '${arg}'`);
        const [file, ...args] = splitProgram(arg);
        if (file === undefined) throw new CliUsageError('an empty program argument: give a file name');
        programs.push(nextAtMs === undefined ? { file, args } : { file, args, startAtMs: nextAtMs });
        nextAtMs = undefined;
      }
    }
  }
  if (nextAtMs !== undefined) throw new CliUsageError('--at must be followed by a program');
  if (result.help) return { ...result, file: programs[0]?.file ?? '', programs };
  if (programs.length === 0) throw new CliUsageError('missing the program file to run');
  if (programs.length > PROGRAMS_MAX) {
    throw new CliUsageError(`at most ${PROGRAMS_MAX} programs can run together, got ${programs.length}`);
  }
  return { ...result, file: programs[0].file, programs };
}

/** Most programs one command line may run (the runner's PROCESSES_MAX). */
export const PROGRAMS_MAX = 16;

/**
 * Splits a program argument into the file and its arguments at whitespace, as a shell would split an unquoted
 * command line; single or double quotes inside group words ("new_task.mjs 'a b' c" ⇒ file, "a b", "c").
 */
export function splitProgram(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}
