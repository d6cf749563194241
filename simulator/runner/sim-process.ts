/**
 * `SimProcess`: one simulated Node process of a run — a program with its own `process` (argv, exit, exitCode), its
 * own console (lines stamped with the process name when the run has several), its own virtual timers, its own
 * deterministic `Date` / `Math.random` stream and its own instances of the modules it requires. Processes of one
 * run share the engine and the brokers, as programs on one machine share RabbitMQ.
 *
 * Life: `pending` until the runner starts it (`start()`: the program's first synchronous part runs at the current
 * simulated time), `running`, then `ended` with `how`: 'exited' (`process.exit(code)`, or nothing left to do),
 * 'failed' (an uncaught exception or unhandled rejection: Node prints it and exits with code 1), or 'killed'
 * (stopped from outside: a crash fault). An ended process runs nothing more: its timers are cancelled and the
 * runner's activity wrapper drops its library callbacks.
 *
 * Source: Node.js process lifecycle (https://nodejs.org/api/process.html#event-exit,
 * https://nodejs.org/api/cli.html#--unhandled-rejectionsmode: `throw` is the default since Node 15).
 */
import * as bufferModule from 'buffer';
import type { Engine } from '../core/engine.ts';
import type { Prng } from '../core/prng.ts';
import type { ProcessInfo } from '../brokers/plugin.ts';
import type { ClientActivity } from './client-activity.ts';
import { createDeterministicGlobals } from './deterministic-globals.ts';
import { learnerStack, locateInProgram, type ProgramFrames } from './error-location.ts';
import { format, formatWithOptions, inspect } from './format.ts';
import { ecmascriptGlobalNames, hostGlobalsToShadow } from './host-globals.ts';
import { ProgramConsole, type ConsoleLine } from './program-console.ts';
import { createRequire } from './program-modules.ts';
import { createProgramProcess, ProcessExit } from './program-process.ts';
import {
  compileProgram, languageFromFilename, PROGRAM_SOURCE_URL, ProgramSyntaxError, transformSource, wrapperLineOffset,
  type ProgramFunction,
} from './transform.ts';
import { VirtualTimers } from './virtual-timers.ts';

/** How a process ended. */
export type ProcessEnd = 'exited' | 'failed' | 'killed';

/** An error of a run as the result reports it: `line` / `column` (1-based) in the learner's source. */
export interface ProgramErrorInfo {
  name: string;
  message: string;
  line?: number;
  column?: number;
}

/** What a process needs from its run. */
export interface SimProcessHost {
  engine: Engine;
  activity: ClientActivity;
  /** Most console lines this process keeps. */
  linesMax: number;
  /** Where console lines go (shared by the run's processes, in print order). */
  lines: ConsoleLine[];
  onConsole?: (line: ConsoleLine) => void;
  /** True when the run has several processes (console lines and errors then name the process). */
  named: boolean;
  /**
   * `require(name)` of a broker module for this process: the module's exports, or undefined when no loaded broker
   * provides `name` (the process's require then throws Node's error, or the registry's "not simulated yet").
   */
  brokerModule(name: string, proc: ProcessInfo): unknown;
  /** The error `require(name)` throws for a module of a broker that is not simulated (see program-modules.ts). */
  missingModule(name: string): Error | undefined;
  /** Broker module names a program can require in this run. */
  brokerModuleNames(): readonly string[];
  /** Called when the process ends (the runner drops its connections and records the end). */
  onEnd(proc: SimProcess): void;
}

/** A failure that ended a process: the thrown value, and whether it came from an unhandled rejection. */
interface Failure {
  error: unknown;
  rejection: boolean;
}

export class SimProcess implements ProcessInfo {
  readonly pid: number;
  readonly name: string;
  readonly filename: string;
  readonly args: readonly string[];
  state: 'pending' | 'running' | 'ended' = 'pending';
  how: ProcessEnd | undefined;
  exitCode: number | undefined;
  startedAtMs: number | undefined;
  endedAtMs: number | undefined;
  /** The error that ended it ('failed'), in the result's shape. */
  error: ProgramErrorInfo | undefined;

  private readonly host: SimProcessHost;
  private readonly source: string;
  private readonly frames: ProgramFrames;
  readonly console: ProgramConsole;
  readonly timers: VirtualTimers;
  private processObject: Record<string, unknown> = {};
  private program: ProgramFunction | undefined;
  private params: string[] = [];
  private values: unknown[] = [];
  private failure: Failure | undefined;
  private readonly language: 'js' | 'ts';

  constructor(host: SimProcessHost, spec: { pid: number; name: string; filename: string; source: string;
    args: readonly string[]; language?: 'js' | 'ts' }) {
    this.host = host;
    this.pid = spec.pid;
    this.name = spec.name;
    this.filename = spec.filename;
    this.args = spec.args;
    this.source = spec.source;
    this.frames = {
      lineOffset: wrapperLineOffset(),
      lineCount: spec.source.split('\n').length,
      sourceUrl: host.named ? `program-${spec.pid}.js` : PROGRAM_SOURCE_URL,
    };
    this.console = new ProgramConsole({
      engine: host.engine,
      linesMax: host.linesMax,
      onLine: host.onConsole,
      lines: host.lines,
      inspectOptions: { errorStack: (error: Error) => learnerStack(error, this.frames, this.filename) },
      onFatal: (error) => this.fail(error),
      ...(host.named ? { process: spec.name } : {}),
    });
    this.timers = new VirtualTimers(host.engine, (error) => this.fail(error), () => host.activity.mark(this.pid));
    this.language = spec.language ?? languageFromFilename(spec.filename);
  }

  /**
   * Compiles the program (throws nothing: a syntax error is kept and ends the process when it starts). Must be
   * called before `start`. `rng` is this process's PRNG stream (for Math.random, crypto).
   */
  prepare(rng: Prng): void {
    let code: string;
    try {
      code = transformSource(this.source, this.language);
    } catch (error) {
      this.failure = { error, rejection: false };
      return;
    }
    this.frames.line1Shift = line1Shift(this.source, code);
    const { provided, names } = this.globals(rng);
    try {
      this.program = compileProgram(code, names, this.frames.sourceUrl);
    } catch (error) {
      this.failure = { error, rejection: false };
      return;
    }
    this.params = names;
    this.values = names.map((name) => provided[name]);
  }

  /** A syntax error found by `prepare` (the process fails as soon as it starts). */
  get compileFailed(): boolean {
    return this.failure !== undefined && this.state === 'pending';
  }

  /** Starts the program at the current simulated time: its first synchronous part runs now. */
  start(): void {
    if (this.state !== 'pending') return;
    this.state = 'running';
    this.startedAtMs = this.host.engine.nowMs;
    if (this.failure !== undefined || this.program === undefined) {
      this.end('failed');
      return;
    }
    this.host.activity.mark(this.pid);
    try {
      this.program(...this.values).catch((error: unknown) => this.fail(error));
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Records a failure of this process (an uncaught error, an unhandled rejection, `process.exit`). The process ends
   * at once; only the first failure counts.
   */
  fail(error: unknown, rejection = false): void {
    if (this.state === 'ended') return;
    if (error instanceof ProcessExit) {
      this.exitCode ??= error.code;
      this.end('exited');
      return;
    }
    if (this.failure === undefined) this.failure = { error, rejection };
    this.end('failed');
  }

  /** Ends the process from outside (a crash fault). */
  kill(): void {
    if (this.state !== 'running') return;
    this.exitCode = 137;
    this.end('killed');
  }

  /** Ends the process because nothing is left for it to do (the exit code is `process.exitCode`, default 0). */
  finish(): void {
    if (this.state !== 'running') return;
    this.exitCode ??= Number(this.processObject.exitCode ?? 0) || 0;
    this.end('exited');
  }

  /** `process.exitCode` as the program set it (Node exits with it once nothing is left to do). */
  get exitCodeSetByProgram(): unknown {
    return this.processObject.exitCode;
  }

  /** Whether the process still has timers pending (an open connection is the brokers' to say). */
  get hasTimers(): boolean {
    return this.timers.pendingCount > 0;
  }

  private end(how: ProcessEnd): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.how = how;
    this.endedAtMs = this.host.engine.nowMs;
    if (how === 'failed') {
      this.exitCode = 1;
      this.error = this.describeFailure(this.failure!);
    } else if (how === 'exited' && this.exitCode !== undefined && this.exitCode !== 0) {
      this.error = { name: 'ProcessExit', message: `process.exit(${this.exitCode}) was called` };
    }
    this.timers.clearAll();
    // Node's process dies here: promise reactions already queued may still run in this realm, but nothing they
    // print is output any more.
    this.console.close();
    this.host.onEnd(this);
  }

  /** Flushes console text still waiting for a newline (the end of a run). */
  flushConsole(): void {
    this.console.flush();
  }

  private describeFailure({ error, rejection }: Failure): ProgramErrorInfo {
    if (error instanceof ProgramSyntaxError) {
      return {
        name: 'SyntaxError',
        message: error.message,
        ...(error.line !== undefined ? { line: error.line } : {}),
        ...(error.column !== undefined ? { column: error.column } : {}),
      };
    }
    if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
      const e = error as Error;
      const location = locateInProgram(e, this.frames);
      return { name: String(e.name ?? 'Error'), message: String(e.message), ...location };
    }
    if (rejection) {
      return {
        name: 'UnhandledPromiseRejection',
        message: 'A promise was rejected and nothing handled it (no await or .catch()); '
          + `it was rejected with ${inspect(error)}`,
      };
    }
    return { name: 'Error', message: `Uncaught ${inspect(error)}` };
  }

  /** The program's globals (parameters of the compiled function) and their names, host-only names shadowed. */
  private globals(rng: Prng): { provided: Record<string, unknown>; names: string[] } {
    const { engine } = this.host;
    const timers = this.timers;
    const hostQueueMicrotask = globalThis.queueMicrotask.bind(globalThis);
    const queueMicrotask = (callback: unknown): void => {
      if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
      hostQueueMicrotask(() => {
        if (this.state === 'ended') return;
        try {
          (callback as () => void)();
        } catch (error) {
          this.fail(error);
        }
      });
    };
    this.processObject = createProgramProcess({
      engine,
      console: this.console,
      filename: this.filename,
      args: this.args,
      onExit: (code) => {
        this.exitCode ??= code;
        this.end('exited');
      },
      queueMicrotask,
    });
    const deterministic = createDeterministicGlobals(engine, rng);
    const timerFunctions = {
      setTimeout: timers.setTimeout,
      setInterval: timers.setInterval,
      setImmediate: timers.setImmediate,
      clearTimeout: timers.clearTimeout,
      clearInterval: timers.clearInterval,
      clearImmediate: timers.clearImmediate,
    };
    const builtins: Record<string, unknown> = {
      buffer: bufferModule,
      timers: timerFunctions,
      'timers/promises': { setTimeout: timers.sleep, setImmediate: timers.immediate },
      util: { format, formatWithOptions, inspect, promisify },
      process: this.processObject,
    };
    const moduleObject = { exports: {} as Record<string, unknown> };
    const programGlobal: Record<string, unknown> = {};
    const provided: Record<string, unknown> = {
      require: createRequire(builtins, {
        broker: (name) => this.host.brokerModule(name, this),
        missing: (name) => this.host.missingModule(name),
        names: () => this.host.brokerModuleNames(),
      }),
      module: moduleObject,
      exports: moduleObject.exports,
      __filename: `/${this.filename}`,
      __dirname: '/',
      console: this.console.console,
      process: this.processObject,
      Buffer: bufferModule.Buffer,
      ...timerFunctions,
      queueMicrotask,
      structuredClone: globalThis.structuredClone,
      TextEncoder: globalThis.TextEncoder,
      TextDecoder: globalThis.TextDecoder,
      URL: globalThis.URL,
      URLSearchParams: globalThis.URLSearchParams,
      ...deterministic,
      globalThis: programGlobal,
      global: programGlobal,
    };
    for (const name of ecmascriptGlobalNames()) programGlobal[name] = (globalThis as Record<string, unknown>)[name];
    Object.assign(programGlobal, provided);
    delete programGlobal.require;
    delete programGlobal.module;
    delete programGlobal.exports;
    delete programGlobal.__filename;
    delete programGlobal.__dirname;
    const providedNames = Object.keys(provided);
    const shadowed = hostGlobalsToShadow(new Set(providedNames));
    for (const name of shadowed) provided[name] = undefined;
    return { provided, names: [...providedNames, ...shadowed] };
  }
}

/** Node's `util.promisify` for callback-last functions. */
function promisify(fn: unknown): (...args: unknown[]) => Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError('The "original" argument must be of type function');
  return (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      (fn as (...a: unknown[]) => void)(...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value)));
    });
}

/**
 * Characters the transform put in front of the learner's first line (sucrase's `"use strict";` prefix), so that
 * a column on line 1 can be moved back into the learner's line; 0 when line 1 was left as written.
 */
function line1Shift(source: string, code: string): number {
  const firstSource = source.split('\n', 1)[0];
  const firstCode = code.split('\n', 1)[0];
  if (firstCode === firstSource || !firstCode.endsWith(firstSource)) return 0;
  return firstCode.length - firstSource.length;
}
