/**
 * The `process` object a learner program gets: what programs that talk to a broker use, nothing of the host.
 * - `env`: an empty object (`process.env.AMQP_URL ?? 'amqp://localhost'` takes the default);
 * - `exit(code)`: ends the run right away (throws `ProcessExit` to unwind the caller, like Node never returning);
 * - `on/once/off(...)` (e.g. `process.on('SIGINT', …)`): accepted and never fired (no signals in a simulation);
 * - `stdout.write` / `stderr.write`: into the program's console;
 * - `nextTick`, `hrtime`, `hrtime.bigint`, `uptime`, `cwd`, `argv`, `platform`, `version`: on simulated time where
 *   time is involved.
 *
 * Source: https://nodejs.org/api/process.html
 */
import type { Engine } from '../core/engine.ts';
import type { ProgramConsole } from './program-console.ts';

/** Thrown by `process.exit(code)`; the runner ends the run when it sees it. Not an Error: it is not a failure. */
export class ProcessExit {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

export interface ProgramProcessOptions {
  engine: Engine;
  console: ProgramConsole;
  filename: string;
  /** Command-line arguments after the file name (`process.argv.slice(2)`); default none. */
  args?: readonly string[];
  /** Called by `process.exit(code)` before it throws. */
  onExit: (code: number) => void;
  /** Runs `callback` as a microtask, reporting what it throws. */
  queueMicrotask: (callback: () => void) => void;
}

export function createProgramProcess(options: ProgramProcessOptions): Record<string, unknown> {
  const { engine } = options;
  const process: Record<string, unknown> = {};
  const chain = () => process;
  const hrtime = (previous?: [number, number]): [number, number] => {
    const totalNs = engine.nowMs * 1e6;
    let seconds = Math.floor(totalNs / 1e9);
    let nanos = totalNs % 1e9;
    if (previous !== undefined) {
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds -= 1;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  hrtime.bigint = () => BigInt(engine.nowMs) * 1_000_000n;
  Object.assign(process, {
    env: {},
    argv: ['/usr/local/bin/node', `/${options.filename}`, ...(options.args ?? [])],
    argv0: 'node',
    execArgv: [],
    platform: 'linux',
    arch: 'x64',
    pid: 1,
    version: 'v22.0.0',
    versions: { node: '22.0.0' },
    exitCode: undefined,
    title: 'node',
    cwd: () => '/',
    exit(code?: unknown): never {
      const exitCode = code === undefined ? Number(process.exitCode ?? 0) : Number(code);
      options.onExit(exitCode);
      throw new ProcessExit(exitCode);
    },
    nextTick(callback: unknown, ...args: unknown[]): void {
      if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
      options.queueMicrotask(() => (callback as (...a: unknown[]) => void)(...args));
    },
    hrtime,
    uptime: () => engine.nowMs / 1000,
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    on: chain,
    once: chain,
    off: chain,
    addListener: chain,
    removeListener: chain,
    removeAllListeners: chain,
    prependListener: chain,
    emit: () => false,
    listenerCount: () => 0,
    stdout: { write: (chunk: unknown) => options.console.write('stdout', chunk), isTTY: false },
    stderr: { write: (chunk: unknown) => options.console.write('stderr', chunk), isTTY: false },
  });
  return process;
}
