/**
 * `executeProgram(source, options, libraries)`: the runner's engine loop, independent of which client libraries a
 * program can `require` (`run-program.ts` passes amqplib on the AMQP broker model; tests pass small fakes).
 *
 * The loop, until the run ends:
 * 1. yield one host macrotask (`yield.ts`), so every microtask the last step queued has run: the learner's
 *    `await`s resumed and whatever they called (publish, setTimeout, console.log) is in the engine. Only after
 *    steps that ran client-side code (`client-activity.ts`); the broker's internal steps run back to back;
 *    It yields `hostTurnsToHearRejections()` macrotasks, so a rejection the step left unhandled is reported before
 *    the next step in Node and in a browser alike (`unhandled-rejections.ts`);
 * 2. stop on a failure (uncaught error, unhandled rejection, `process.exit`, simulation limit); a step that throws
 *    stops the loop at once, with no further yield;
 * 3. stop when no engine event is pending (status 'completed'), or when the next one is past `untilMs` (status
 *    'time-limit', clock set to `untilMs`);
 * 4. process exactly one engine event (`engine.step()`).
 * The program's first synchronous part runs at simulated 0 ms before the loop starts.
 *
 * A program that never closes its connection but has nothing left to do (no timer, no message on the way, no
 * reply awaited) ends as 'completed', like an idle Node process the user stops with Ctrl-C. A program whose main
 * promise can never settle (awaiting something that will never happen) also ends as 'completed' once nothing is
 * pending; when a client library's promise is still unsettled then (a broker reply that never came), a 'warn'
 * line says so (`pending-replies.ts`).
 *
 * Wall time: a step that ran client code costs one host macrotask (~1–20 µs); a `while (true) {}` in learner code never yields, so
 * only the caller (the Web Worker's watchdog) can stop it.
 */
import * as bufferModule from 'buffer';
import { Engine } from '../core/engine.ts';
import { ClientActivity } from './client-activity.ts';
import { learnerStack, locateInProgram } from './error-location.ts';
import { format, formatWithOptions, inspect } from './format.ts';
import { createDeterministicGlobals } from './deterministic-globals.ts';
import { ecmascriptGlobalNames, hostGlobalsToShadow } from './host-globals.ts';
import { CONSOLE_LINES_MAX_DEFAULT, ProgramConsole } from './program-console.ts';
import { createRequire } from './program-modules.ts';
import { PendingReplies } from './pending-replies.ts';
import { createProgramProcess, ProcessExit } from './program-process.ts';
import type { RunOptions, RunResult } from './run-types.ts';
import {
  compileProgram,
  languageFromFilename,
  ProgramSyntaxError,
  transformSource,
  wrapperLineOffset,
  type ProgramFunction,
} from './transform.ts';
import { hostTurnsToHearRejections, onUnhandledRejection } from './unhandled-rejections.ts';
import { VirtualTimers } from './virtual-timers.ts';
import { createHostYield } from './yield.ts';

/** Default of `RunOptions.untilMs`: one simulated minute. */
export const UNTIL_MS_DEFAULT = 60_000;

/**
 * Builds the client libraries a program may `require` (module name → exports), on the run's engine. Called once
 * per run, after the source compiled. A library must reach its broker through `observe(broker)` (see
 * `client-activity.ts`): the runner yields to the learner's promise continuations only after steps that called
 * back into it.
 */
export type LibraryFactory = (
  engine: Engine,
  options: RunOptions,
  observe: <T extends object>(api: T) => T,
  replies: PendingReplies,
) => Record<string, unknown>;

type RunError = NonNullable<RunResult['error']>;

interface Failure {
  error: unknown;
  /** True when it came from an unhandled rejection (changes the message for non-Error reasons). */
  rejection: boolean;
}

function promisify(fn: unknown): (...args: unknown[]) => Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError('The "original" argument must be of type function');
  return (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      (fn as (...a: unknown[]) => void)(...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value)));
    });
}

/** Runs `source` on a fresh engine; see the module docstring. Throws RangeError on invalid options. */
export async function executeProgram(
  source: string,
  options: RunOptions,
  libraries: LibraryFactory,
): Promise<RunResult> {
  if (typeof source !== 'string') throw new TypeError('runProgram: source must be a string');
  const seed = options.seed ?? 1;
  const untilMs = options.untilMs ?? UNTIL_MS_DEFAULT;
  if (!Number.isFinite(untilMs) || untilMs < 0) {
    throw new RangeError(`untilMs must be a finite number ≥ 0, got ${String(untilMs)}`);
  }
  const linesMax = options.consoleLinesMax ?? CONSOLE_LINES_MAX_DEFAULT;
  if (!Number.isInteger(linesMax) || linesMax < 0) {
    throw new RangeError(`consoleLinesMax must be an integer ≥ 0, got ${String(linesMax)}`);
  }
  const language = options.language ?? languageFromFilename(options.filename);
  const filename = options.filename ?? (language === 'ts' ? 'program.ts' : 'program.js');
  const engine = new Engine({ seed, limits: options.limits });
  const lineOffset = wrapperLineOffset();

  let failure: Failure | undefined;
  let exitCode: number | undefined;
  /** The program's `process` object (set once created; `finish` reads its `exitCode`). */
  let process: Record<string, unknown> = {};
  const fail = (error: unknown, rejection = false): void => {
    if (error instanceof ProcessExit) {
      exitCode ??= error.code;
      return;
    }
    if (failure === undefined && exitCode === undefined) {
      failure = { error, rejection };
      // Node's process dies here: promise reactions already queued (the learner's `catch` of a call the crash
      // rejected) may still run in this realm, but nothing they print is output any more.
      programConsole.close();
    }
  };

  const lineCount = source.split('\n').length;
  const errorStack = (error: Error) => learnerStack(error, lineOffset, filename, lineCount);
  const programConsole = new ProgramConsole({
    engine,
    linesMax,
    onLine: options.onConsole,
    inspectOptions: { errorStack },
    onFatal: (error) => fail(error),
  });

  const toRunError = ({ error, rejection }: Failure): RunError => {
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
      const location = locateInProgram(e, lineOffset, lineCount);
      return { name: String(e.name ?? 'Error'), message: String(e.message), ...location };
    }
    if (rejection) {
      return {
        name: 'UnhandledPromiseRejection',
        message:
          'A promise was rejected and nothing handled it (no await or .catch()); ' +
          `it was rejected with ${inspect(error)}`,
      };
    }
    return { name: 'Error', message: `Uncaught ${inspect(error)}` };
  };

  const finish = (status: RunResult['status'], runFailure?: Failure): RunResult => {
    programConsole.flush();
    let error: RunError | undefined;
    if (runFailure !== undefined) error = toRunError(runFailure);
    else if (exitCode !== undefined && exitCode !== 0) {
      error = { name: 'ProcessExit', message: `process.exit(${exitCode}) was called` };
    } else if (exitCode === undefined && status === 'completed' && Number(process.exitCode ?? 0) !== 0) {
      // Node exits with process.exitCode once nothing is left to do.
      error = { name: 'ProcessExit', message: `the program set process.exitCode = ${String(process.exitCode)}` };
    }
    if (error !== undefined) {
      try {
        engine.record({
          kind: 'program-error',
          message: `${error.name}: ${error.message}`,
          ...(error.line !== undefined ? { line: error.line } : {}),
          ...(error.column !== undefined ? { column: error.column } : {}),
        });
      } catch {
        // The trace is full (traceEntriesMax): the error is still returned in `error`.
      }
    }
    // Copies taken now: after a crash, promise reactions the crashing step queued (a learner's `catch`) still run
    // in this realm, and must not add to the run's result.
    return {
      status: error !== undefined ? 'error' : status,
      endedAtMs: engine.nowMs,
      trace: engine.trace.slice(),
      console: programConsole.lines.slice(),
      ...(error !== undefined ? { error } : {}),
    };
  };

  let code: string;
  try {
    code = transformSource(source, language);
  } catch (error) {
    return finish('error', { error, rejection: false });
  }

  const activity = new ClientActivity();
  const replies = new PendingReplies();
  const libs = libraries(engine, options, (api) => activity.observe(api), replies);
  const rng = engine.rng.fork();
  const timers = new VirtualTimers(engine, (error) => fail(error), () => activity.mark());
  const hostQueueMicrotask = globalThis.queueMicrotask.bind(globalThis);
  const queueMicrotask = (callback: unknown): void => {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
    hostQueueMicrotask(() => {
      try {
        (callback as () => void)();
      } catch (error) {
        fail(error);
      }
    });
  };
  process = createProgramProcess({
    engine,
    console: programConsole,
    filename,
    onExit: (code) => {
      exitCode ??= code;
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
  const modules: Record<string, unknown> = {
    buffer: bufferModule,
    timers: timerFunctions,
    'timers/promises': { setTimeout: timers.sleep, setImmediate: timers.immediate },
    util: { format, formatWithOptions, inspect, promisify },
    process,
    ...libs,
  };
  const moduleObject = { exports: {} as Record<string, unknown> };
  const programGlobal: Record<string, unknown> = {};
  const provided: Record<string, unknown> = {
    require: createRequire(modules),
    module: moduleObject,
    exports: moduleObject.exports,
    __filename: `/${filename}`,
    __dirname: '/',
    console: programConsole.console,
    process,
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
  let program: ProgramFunction;
  try {
    program = compileProgram(code, [...providedNames, ...shadowed]);
  } catch (error) {
    return finish('error', { error, rejection: false });
  }

  const stopListening = onUnhandledRejection((reason) => fail(reason, true));
  const hostYield = createHostYield(hostTurnsToHearRejections());
  let status: RunResult['status'] = 'completed';
  try {
    program(...providedNames.map((name) => provided[name])).catch((error: unknown) => fail(error));
    let mustYield = true;
    for (let idleChecks = 0; ; ) {
      if (mustYield) await hostYield();
      mustYield = false;
      if (failure !== undefined || exitCode !== undefined) break;
      // Broker-internal timers (message expiry) do not keep a program alive, like unref'd timers in Node.
      const nextAtMs = engine.hasForegroundPending ? engine.nextEventAtMs() : undefined;
      if (nextAtMs === undefined) {
        // One more yield before concluding when the last step ran no learner code (its microtasks have run, but
        // the host's rejection report may still be due).
        if (++idleChecks <= 1) {
          mustYield = true;
          continue;
        }
        break;
      }
      idleChecks = 0;
      if (nextAtMs > untilMs) {
        engine.runUntil(untilMs);
        status = 'time-limit';
        break;
      }
      try {
        engine.step();
      } catch (error) {
        // A step that throws (an 'error' event nobody listens to, a simulation limit) ends the program at once,
        // without yielding to the host again: in Node the process dies during that callback.
        fail(error);
        break;
      }
      mustYield = activity.take();
    }
    if (status === 'completed' && failure === undefined && exitCode === undefined) {
      const notice = await replies.describePending(hostYield);
      if (notice !== undefined) programConsole.notice(notice);
    }
  } finally {
    stopListening();
    hostYield.close();
  }
  return finish(status, failure);
}
