/**
 * The simulator CLI: runs a learner program (JavaScript or TypeScript) on the simulator from a terminal.
 *
 *   npm run sim -- <file> [--seed N] [--until 60s] [--latency 10ms] [--trace out.json]
 *
 * - stdout carries the program's console output and nothing else (`console.log`/`info`/`debug`); the program's
 *   `console.warn`/`error` and the CLI's own diagnostics (errors, the time-limit notice) go to stderr, as with
 *   `node program.js`.
 * - Relative paths (the program, `--trace`) resolve against the directory the user ran `npm run` from:
 *   `npm run` changes the working directory to the package root but passes the user's one in `INIT_CWD`.
 * - Exit code: 0 the program completed (or ran until `--until`), 1 it failed (error, unhandled rejection,
 *   `process.exit(n ≠ 0)`, simulation limit), 2 bad arguments or an unreadable file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI_USAGE, CliUsageError, parseCliArgs, type CliArgs } from './runner/cli-args.ts';
import { isStdoutLevel } from './runner/program-console.ts';
import { runProgram, type RunResult } from './runner/run-program.ts';

function usageError(message: string): number {
  process.stderr.write(`sim: ${message}\n\n${CLI_USAGE}\n`);
  return 2;
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
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) return usageError(error.message);
    throw error;
  }
  if (args.help) {
    process.stdout.write(`${CLI_USAGE}\n`);
    return 0;
  }
  const baseDir = process.env.INIT_CWD ?? process.cwd();
  const file = resolve(baseDir, args.file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return usageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  const result = await runProgram(source, {
    seed: args.seed,
    untilMs: args.untilMs,
    latencyMs: args.latencyMs,
    filename: args.file.split(/[\\/]/).pop(),
    onConsole: (line) => {
      (isStdoutLevel(line.level) ? process.stdout : process.stderr).write(`${line.text}\n`);
    },
  });

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
  if (result.status === 'error' && result.error !== undefined) {
    process.stderr.write(describeError(result.error, file, source));
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
