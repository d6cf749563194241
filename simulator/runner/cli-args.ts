/**
 * Argument parsing of the simulator CLI (`simulator/cli.ts`):
 * `npm run sim -- <file> [--seed N] [--until 60s] [--latency 10ms] [--trace out.json]`.
 * Pure (no I/O) so it is unit-tested; `CliUsageError` carries the message the CLI prints before exiting with 2.
 */

export const CLI_USAGE = `Usage: npm run sim -- <program.js|program.ts> [options]

Runs an amqplib program on the MQ Lab simulator and prints its console output.

Options:
  --seed N          PRNG seed (integer, default 1); same seed + same program => same trace
  --until DURATION  simulated-time limit: 500ms, 60s, 2m or a plain number of ms (default 60s)
  --latency DURATION  one-way network latency of the simulated broker (default: the broker's)
  --trace FILE      write the run's trace (JSON array of events) to FILE
  --help            show this help

Exit codes: 0 the program completed (or reached --until), 1 the program failed, 2 bad arguments.`;

/** Bad command-line input: print `message` and the usage, exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export interface CliArgs {
  file: string;
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
  const files: string[] = [];
  const result: Omit<CliArgs, 'file'> = { help: false };
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
      case '--latency':
        result.latencyMs = parseDurationMs(value(), '--latency');
        break;
      case '--trace': {
        const path = value();
        if (path === '') throw new CliUsageError('--trace needs a file name');
        result.tracePath = path;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new CliUsageError(`unknown option '${arg}'`);
        files.push(arg);
    }
  }
  if (result.help) return { ...result, file: files[0] ?? '' };
  if (files.length === 0) throw new CliUsageError('missing the program file to run');
  if (files.length > 1) throw new CliUsageError(`expected one program file, got ${files.length}: ${files.join(' ')}`);
  return { ...result, file: files[0] };
}
