/**
 * The simulator CLI: runs a learner program (JavaScript or TypeScript) on the simulator from a terminal.
 *
 *   npm run sim -- <program> [<program> …] [--at 5s] [--seed N] [--until 60s] [--latency 10ms] [--trace out.json]
 *                  [--timeout 10s]
 *
 * - Each <program> argument is one process: a file, optionally followed by its arguments in the same quoted string
 *   (`"new_task.mjs Hello there"`). Several processes share the simulated broker; each starts once the ones before
 *   it have settled or ended, or at the simulated time `--at` gives it (see `simulator/runner/execute-program.ts`).
 *   With several processes, each output line starts with the process name, padded: `worker.mjs#1 | text`.
 * - stdout carries the program's console output and nothing else (`console.log`/`info`/`debug`); the program's
 *   `console.warn`/`error` and the CLI's own diagnostics (errors, the time-limit notice) go to stderr, as with
 *   `node program.js`.
 * - Relative paths (the program, `--trace`) resolve against the directory the user ran `npm run` from:
 *   `npm run` changes the working directory to the package root but passes the user's one in `INIT_CWD`.
 * - Exit code: 0 the program completed (or ran until `--until`), 1 it failed (error, unhandled rejection,
 *   `process.exit(n ≠ 0)`, simulation limit, or the wall-clock watchdog fired), 2 bad arguments or an unreadable
 *   file.
 * - Watchdog: the program runs in a worker thread; if the run takes longer than `--timeout` of real (wall-clock)
 *   time (default `TIMEOUT_MS_DEFAULT`, 10 s) — typically a `while (true) {}` that never yields to the simulator —
 *   the worker is terminated, a notice goes to stderr and the CLI exits with 1. Console lines printed before that
 *   are kept. Simulated time (`--until`) and wall-clock time (`--timeout`) are separate limits.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CLI_USAGE, CliUsageError, parseCliArgs, parseDurationMs, type CliArgs } from './runner/cli-args.ts';
import type { ProgramSpec, RunOptions, RunResult } from './runner/run-program.ts';
import { processNames } from './runner/process-names.ts';

/** Default wall-clock limit of one CLI run (real ms). */
export const TIMEOUT_MS_DEFAULT = 10_000;
/** Largest `--timeout` accepted (real ms): one hour. */
export const TIMEOUT_MS_MAX = 3_600_000;

const USAGE = CLI_USAGE.includes('  --help')
  ? CLI_USAGE.replace('  --help', '  --timeout DURATION  wall-clock limit of the run (default 10s); stops an endless loop\n  --help')
  : `${CLI_USAGE}\n  --timeout DURATION  wall-clock limit of the run (default 10s)`;

function usageError(message: string): number {
  process.stderr.write(`sim: ${message}\n\n${USAGE}\n`);
  return 2;
}

/**
 * Takes `--timeout DURATION` / `--timeout=DURATION` out of `argv` (the other flags belong to `parseCliArgs`).
 * Returns the limit in real ms. Throws CliUsageError for a missing, malformed, zero or too large value.
 */
export function extractTimeout(argv: readonly string[]): { timeoutMs: number; rest: string[] } {
  const rest: string[] = [];
  let timeoutMs = TIMEOUT_MS_DEFAULT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let text: string | undefined;
    if (arg === '--timeout') {
      text = argv[i + 1];
      if (text === undefined || text.startsWith('--')) throw new CliUsageError('--timeout needs a value');
      i++;
    } else if (arg.startsWith('--timeout=')) {
      text = arg.slice('--timeout='.length);
    } else {
      rest.push(arg);
      continue;
    }
    timeoutMs = parseDurationMs(text, '--timeout');
    if (timeoutMs <= 0 || timeoutMs > TIMEOUT_MS_MAX) {
      throw new CliUsageError(`--timeout must be more than 0 and at most 1 hour; got '${text}'`);
    }
  }
  return { timeoutMs, rest };
}

/** Messages from the worker that runs the program. */
type WorkerMessage =
  | { kind: 'started' }
  | { kind: 'console'; stream: 'stdout' | 'stderr'; text: string; process?: string }
  | { kind: 'done'; result: RunResult };

/** Wall-clock limit (real ms) for the worker to load the simulator before the program starts (not `--timeout`). */
const WORKER_START_MS_MAX = 60_000;

interface WorkerInput {
  tag: typeof WORKER_TAG;
  programs: ProgramSpec[];
  options: Omit<RunOptions, 'onConsole'>;
}

/**
 * Worker side: loads the simulator (only here, so the main thread starts fast), runs the program and streams its
 * console lines (stdout for log/info/debug, stderr for warn/error), then the result.
 */
async function workerMain(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  const [{ runPrograms, loadRuntimePlugins }, { isStdoutLevel }] = await Promise.all([
    import('./runner/run-program.ts'), import('./runner/program-console.ts'),
  ]);
  // The brokers' code loads before the clock starts, like the simulator itself.
  const plugins = await loadRuntimePlugins(input.programs.map((p) => p.source));
  port.postMessage({ kind: 'started' } satisfies WorkerMessage);
  const result = await runPrograms(input.programs, {
    ...input.options,
    // The CLI prints ALL console output (README): no line cap, unlike the browser panel.
    consoleLinesMax: input.options.consoleLinesMax ?? Number.MAX_SAFE_INTEGER,
    onConsole: (line) => port.postMessage({
      kind: 'console', stream: isStdoutLevel(line.level) ? 'stdout' : 'stderr', text: line.text,
      ...(line.process === undefined ? {} : { process: line.process }),
    } satisfies WorkerMessage),
  }, plugins);
  port.postMessage({ kind: 'done', result } satisfies WorkerMessage);
}

/**
 * Runs the program in a worker thread; resolves with its result, or with undefined when `timeoutMs` of wall-clock
 * time passed first (the worker is then terminated). The clock starts when the program starts (loading the
 * simulator in the worker has its own limit, WORKER_START_MS_MAX), so a busy machine does not eat the budget.
 */
function runWithWatchdog(input: WorkerInput, timeoutMs: number,
  onConsole: (stream: 'stdout' | 'stderr', text: string, process?: string) => void): Promise<RunResult | undefined> {
  return new Promise((resolveRun, rejectRun) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: input });
    let settled = false;
    const finish = (result: RunResult | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveRun(result);
    };
    const expire = () => {
      void worker.terminate();
      finish(undefined);
    };
    let timer = setTimeout(expire, WORKER_START_MS_MAX);
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.kind === 'started') {
        clearTimeout(timer);
        timer = setTimeout(expire, timeoutMs);
      } else if (message.kind === 'console') onConsole(message.stream, message.text, message.process);
      else {
        finish(message.result);
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rejectRun(error);
    });
    worker.on('exit', () => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        rejectRun(new Error('the program worker exited without a result'));
      }
    });
  });
}

/** Puts `head` in front of every line of `text` (which ends with a newline). */
function prefixLines(text: string, head: string): string {
  if (head === '') return text;
  return text.replace(/\n$/, '').split('\n').map((line) => head + line).join('\n') + '\n';
}

/** Node-style error report: `file:line:col`, the source line with a caret, then `Name: message`. */
function describeError(error: NonNullable<RunResult['error']>, file: string, source: string): string {
  const lines: string[] = [];
  if (error.line !== undefined) {
    lines.push(`${file}:${error.line}${error.column !== undefined ? `:${error.column}` : ''}`);
    const sourceLine = source.split(/\r?\n/)[error.line - 1];
    if (sourceLine !== undefined) {
      lines.push(sourceLine);
      if (error.column !== undefined) lines.push(`${' '.repeat(Math.max(0, error.column - 1))}^`);
    }
    lines.push('');
  }
  lines.push(`${error.name}: ${error.message}`);
  return `${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: CliArgs;
  let timeoutMs: number;
  try {
    const extracted = extractTimeout(argv);
    timeoutMs = extracted.timeoutMs;
    args = parseCliArgs(extracted.rest);
  } catch (error) {
    if (error instanceof CliUsageError) return usageError(error.message);
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const baseDir = process.env.INIT_CWD ?? process.cwd();
  const programs: ProgramSpec[] = [];
  const sources = new Map<string, { path: string; source: string }>();
  for (const program of args.programs) {
    const file = resolve(baseDir, program.file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      return usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const filename = program.file.split(/[\\/]/).pop() ?? program.file;
    sources.set(filename, { path: file, source });
    programs.push({
      source, filename, args: program.args, ...(program.startAtMs === undefined ? {} : { startAtMs: program.startAtMs }),
    });
  }

  const options: WorkerInput['options'] = {};
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.untilMs !== undefined) options.untilMs = args.untilMs;
  if (args.latencyMs !== undefined) options.latencyMs = args.latencyMs;
  const names = processNames(programs.map((p) => p.filename!));
  const width = Math.max(...names.map((name) => name.length));
  const prefix = (name: string | undefined) => (programs.length > 1 && name !== undefined ? `${name.padEnd(width)} | ` : '');
  const result = await runWithWatchdog({ tag: WORKER_TAG, programs, options }, timeoutMs, (stream, text, name) => {
    const head = prefix(name);
    process[stream].write(`${head === '' ? text : text.split('\n').map((line) => head + line).join('\n')}\n`);
  });
  if (result === undefined) {
    process.stderr.write(
      `sim: stopped after ${timeoutMs / 1000} s of real time: the program never gave control back to the ` +
        'simulator (an endless loop such as while (true) {} that never awaits?). Use --timeout 30s to allow longer.\n',
    );
    return 1;
  }

  if (args.tracePath !== undefined) {
    const tracePath = resolve(baseDir, args.tracePath);
    const json = result.trace.length === 0 ? '[]' : `[\n${result.trace.map((e) => JSON.stringify(e)).join(',\n')}\n]`;
    writeFileSync(tracePath, `${json}\n`);
  }
  if (result.status === 'time-limit') {
    process.stderr.write(
      `sim: stopped at the time limit (${result.endedAtMs} ms simulated) with work still pending; ` +
        'use --until to run longer\n',
    );
  }
  if (result.status === 'error') {
    // Every process that failed, named when there are several (result.error is the first of them).
    const failed = (result.processes ?? []).filter((p) => p.error !== undefined);
    if (failed.length === 0 && result.error !== undefined) failed.push({ pid: 1, name: names[0], state: 'failed', error: result.error });
    for (const proc of failed) {
      const file = programs[proc.pid - 1]?.filename ?? names[0];
      const { path, source } = sources.get(file) ?? { path: file, source: '' };
      process.stderr.write(prefixLines(describeError(proc.error!, path, source), prefix(programs.length > 1 ? proc.name : undefined)));
    }
    return 1;
  }
  return 0;
}

const WORKER_TAG = 'mqlab-sim-cli-worker';

if (!isMainThread && parentPort !== null && (workerData as { tag?: unknown } | null)?.tag === WORKER_TAG) {
  void workerMain(parentPort, workerData as WorkerInput);
} else if (isMainThread && process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli();
}

function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
