/**
 * `executePrograms(specs, options, makeLibraries)`: the runner's engine loop over one or more programs, each its own
 * simulated process (`sim-process.ts`), sharing one engine and the brokers `makeLibraries` builds
 * (`run-program.ts` builds them from the broker registry; tests pass small fakes).
 *
 * The loop, until the run ends:
 * 1. yield one host macrotask (`yield.ts`), so every microtask the last step queued has run: the learners'
 *    `await`s resumed and whatever they called (publish, setTimeout, console.log) is in the engine. Only after
 *    steps that ran client-side code (`client-activity.ts`); the brokers' internal steps run back to back. It
 *    yields `hostTurnsToHearRejections()` macrotasks, so a rejection the step left unhandled is reported before
 *    the next step in Node and in a browser alike (`unhandled-rejections.ts`);
 * 2. failures end their process at once (an uncaught error, an unhandled rejection, `process.exit`); with one
 *    process that ends the run, with several the others go on (their broker sees the dead one's connections drop);
 * 3. when the run is quiescent (no engine event pending but idle polls, faults still to come and broker-internal
 *    timers), the next process waiting for its turn starts (each starts once the ones before it have settled or
 *    ended, as a person starting them one after another in a terminal would; one with `startAtMs` starts at that
 *    simulated time); with none left to start and no fault to come, the run ends: 'completed', or 'quiescent' when
 *    a process still waits for messages (a consumer subscribed, a poll loop): a real process would keep waiting,
 *    and a notice says so;
 *    but while a process still waits and a broker reports a background event that may hand it something
 *    (`nextWakeAtMs`: a message expiring into a dead-letter exchange), the run plays on up to that event;
 * 4. when the next event is past `untilMs`, the run ends with status 'time-limit' (clock set to `untilMs`);
 * 5. otherwise exactly one engine event is processed (`engine.step()`).
 * A process's first synchronous part runs when it starts (the first at simulated 0 ms).
 *
 * A program whose main promise can never settle (awaiting something that will never happen) also ends once
 * nothing is pending; when a client library's promise is still unsettled then (a broker reply that never came), a
 * 'warn' line says so (`pending-replies.ts`).
 *
 * Wall time: a step that ran client code costs one host macrotask (~1–20 µs); a `while (true) {}` in learner code
 * never yields, so only the caller (the Web Worker's watchdog, the CLI's worker thread) can stop it.
 */
import { Engine } from '../core/engine.ts';
import type { ProcessInfo, RuntimeContext } from '../brokers/plugin.ts';
import { ClientActivity } from './client-activity.ts';
import { CONSOLE_LINES_MAX_DEFAULT, type ConsoleLine } from './program-console.ts';
import { PendingReplies } from './pending-replies.ts';
import type { ProcessResult, ProgramSpec, RunFault, RunOptions, RunResult } from './run-types.ts';
import { SimProcess } from './sim-process.ts';
import { hostTurnsToHearRejections, onUnhandledRejection } from './unhandled-rejections.ts';
import { createHostYield } from './yield.ts';
import { processNames } from './process-names.ts';

/** Default of `RunOptions.untilMs`: one simulated minute. */
export const UNTIL_MS_DEFAULT = 60_000;

/** Engine steps between two `onProgress` calls. */
export const PROGRESS_EVERY_STEPS = 4096;

/** Most processes one run may hold. */
export const PROCESSES_MAX = 16;

/** What the brokers of a run give the runner (see `simulator/brokers/plugin.ts` for the hooks' meaning). */
export interface RunLibraries {
  /** The exports of client module `name` for process `proc`, or undefined when no broker of the run has it. */
  module(name: string, proc: ProcessInfo): unknown;
  /** The error `require(name)` throws for a module of a broker that is not simulated, or undefined. */
  missing(name: string): Error | undefined;
  /** Client module names programs can require in this run. */
  names(): readonly string[];
  endProcess(proc: ProcessInfo): void;
  holdsProcessOpen(proc: ProcessInfo): boolean;
  waitingFor(proc: ProcessInfo): string | undefined;
  /** Simulated ms of the next background event that may hand a waiting process something (see plugin.ts). */
  nextWakeAtMs?(): number | undefined;
  /** Fault ids the brokers accept (besides the runner's own process faults). */
  faultIds?(): readonly string[];
  /** Applies a broker fault now; false when no broker knows it. */
  fault?(fault: RunFault): boolean;
}

/** Faults the runner itself applies to processes (see `RunOptions.faults`). */
export const PROCESS_FAULTS = ['kill-process', 'restart-process'] as const;

/** Builds a run's libraries on its engine (called once per run, before any program starts). */
export type LibrariesFactory = (context: RuntimeContext, options: RunOptions) => RunLibraries;

/**
 * Runs `specs` (one or more programs, each a process) on a fresh engine; see the module docstring.
 * Throws (rejects) only for invalid options (TypeError / RangeError); program failures are results.
 */
export async function executePrograms(
  specs: readonly ProgramSpec[],
  options: RunOptions,
  makeLibraries: LibrariesFactory,
): Promise<RunResult> {
  const { untilMs, linesMax } = validate(specs, options);
  const engine = new Engine({ seed: options.seed ?? 1, limits: options.limits });
  const named = specs.length > 1;
  const lines: ConsoleLine[] = [];
  const processes: SimProcess[] = [];
  const activity = new ClientActivity((pid) => processes[pid - 1]?.state === 'ended');
  const replies = new PendingReplies();
  const libraries = makeLibraries({
    engine,
    processCount: specs.length,
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    observe: (api, proc) => activity.observe(api, proc),
    replies,
    programConsole: (proc) => {
      const c = processes[proc.pid - 1]?.console.console;
      const line = (method: 'info' | 'warn' | 'error' | 'log') => (text: string) => c?.[method]?.(text);
      return { info: line('info'), warn: line('warn'), error: line('error'), log: line('log') };
    },
  }, options);

  /** True once the run must stop at once (the only process ended: nothing else runs). */
  let stopNow = false;
  const onEnd = (proc: SimProcess): void => {
    if (named) {
      try {
        engine.record({
          kind: 'process-exited', process: proc.name, pid: proc.pid, code: proc.exitCode ?? 0, how: proc.how!,
        });
      } catch {
        // The trace is full: the run ends with that limit's error anyway.
      }
    }
    const restartLater = (options.faults ?? []).some((f) => f.id === 'restart-process' && f.target === proc.name
      && f.atMs > engine.nowMs);
    const others = restartLater || processes.some((p) => p !== proc && p.state !== 'ended');
    // Nobody is left to see the dead process's connections drop: the run stops here, as Node's process does.
    if (!others) {
      stopNow = true;
      return;
    }
    libraries.endProcess(proc);
  };
  const names = processNames(specs.map((spec) => spec.filename ?? defaultFilename(spec)));
  const makeProcess = (spec: ProgramSpec, name: string): SimProcess => new SimProcess({
    engine, activity, linesMax, lines, onConsole: options.onConsole, named,
    brokerModule: (module, proc) => libraries.module(module, proc),
    missingModule: (module) => libraries.missing(module),
    brokerModuleNames: () => libraries.names(),
    onEnd,
  }, {
    pid: processes.length + 1, name, filename: spec.filename ?? defaultFilename(spec), source: spec.source,
    args: spec.args ?? [], ...(spec.language === undefined ? {} : { language: spec.language }),
  });
  specs.forEach((spec, i) => processes.push(makeProcess(spec, names[i])));
  for (const proc of processes) proc.prepare(engine.rng.fork());
  checkFaults(options.faults ?? [], names, libraries);

  const start = (proc: SimProcess): void => {
    if (named) engine.record({ kind: 'process-started', process: proc.name, pid: proc.pid, args: [...proc.args] });
    proc.start();
  };
  // Processes with a start time start then (a foreground event: the run is not over before it).
  processes.forEach((proc, i) => {
    const atMs = specs[i].startAtMs;
    if (atMs !== undefined && (i > 0 || atMs > 0)) engine.schedule(atMs, () => {
      activity.mark(proc.pid);
      start(proc);
    });
  });
  // Faults, each an idle event at its time: the run is not over before it (see the loop), but a pending fault does
  // not keep a process waiting for its turn from starting once the ones before it have settled.
  let faultsPending = options.faults?.length ?? 0;
  for (const fault of options.faults ?? []) {
    engine.scheduleIdle(fault.atMs, () => {
      faultsPending--;
      if (fault.id === 'kill-process') {
        [...processes].reverse().find((p) => p.name === fault.target && p.state === 'running')?.kill();
      } else if (fault.id === 'restart-process') {
        const last = [...processes].reverse().find((p) => p.name === fault.target);
        if (last === undefined || last.state !== 'ended') return;
        const spec = specs[names.indexOf(fault.target!)];
        const fresh = makeProcess(spec, fault.target!);
        processes.push(fresh);
        fresh.prepare(engine.rng.fork());
        activity.mark(fresh.pid);
        start(fresh);
      } else {
        libraries.fault?.(fault);
      }
    });
  }
  /** The next process to start when the run settles: the first not started, once all before it have started. */
  const nextInTurn = (): SimProcess | undefined => {
    for (let i = 0; i < processes.length; i++) {
      const proc = processes[i];
      if (proc.state !== 'pending') continue;
      const timed = specs[i].startAtMs !== undefined && (i > 0 || specs[i].startAtMs! > 0);
      return timed ? undefined : proc;
    }
    return undefined;
  };

  const restoreConsole = options.captureHostConsole
    ? captureHostConsole(() => processes[(activity.lastProcess || 1) - 1]?.console.console) : () => {};
  const stopListening = onUnhandledRejection((reason) => {
    processes[(activity.lastProcess || 1) - 1]?.fail(reason, true);
  });
  const hostYield = createHostYield(hostTurnsToHearRejections());
  let status: RunResult['status'] = 'completed';
  let notice: string | undefined;
  try {
    const first = nextInTurn();
    if (first !== undefined) start(first);
    let mustYield = true;
    let steps = 0;
    for (let idleChecks = 0; ;) {
      if (mustYield) await hostYield();
      mustYield = false;
      if (stopNow) break;
      if (named) finishIdleProcesses(processes, libraries);
      if (engine.isQuiescent) {
        // One more yield before concluding when the last step ran no learner code (its microtasks have run, but
        // the host's rejection report may still be due).
        if (++idleChecks <= 1) {
          mustYield = true;
          continue;
        }
        const next = nextInTurn();
        if (next !== undefined) {
          idleChecks = 0;
          start(next);
          mustYield = true;
          continue;
        }
        // A process still waits and a broker timer may yet hand it something (a message expiring into a
        // dead-letter exchange: a delayed retry): play on to it, as the real process would wait for it.
        const waits = processes.some((p) => p.state === 'running' && libraries.waitingFor(p) !== undefined);
        const wakeAtMs = waits ? libraries.nextWakeAtMs?.() : undefined;
        const wakeNextAtMs = engine.nextEventAtMs();
        if (wakeAtMs !== undefined && wakeNextAtMs !== undefined && wakeNextAtMs <= wakeAtMs && wakeAtMs <= untilMs) {
          idleChecks = 0;
          engine.step();
          mustYield = activity.take();
          continue;
        }
        // Nothing left to start: the run is over, unless a fault is still to come.
        if (faultsPending === 0) break;
      }
      idleChecks = 0;
      const nextAtMs = engine.nextEventAtMs();
      if (nextAtMs === undefined || nextAtMs > untilMs) {
        engine.runUntil(untilMs);
        status = 'time-limit';
        break;
      }
      if (++steps % PROGRESS_EVERY_STEPS === 0) options.onProgress?.(engine.nowMs);
      try {
        engine.step();
      } catch (error) {
        // A step that throws (an 'error' event nobody listens to, a simulation limit) ends its process at once,
        // without yielding to the host again: in Node the process dies during that callback.
        const pid = activity.takeThrower() || activity.lastProcess || 1;
        processes[pid - 1].fail(error);
        if (stopNow) break;
      }
      mustYield = activity.take();
    }
    if (status === 'completed' && processes.some((p) => p.state === 'running')
      && !processes.some((p) => p.how === 'failed' || (p.exitCode ?? 0) !== 0)) {
      notice = await replies.describePending(hostYield, (pid) => processes[pid - 1]?.state !== 'ended');
      const waiting = waitingNotice(processes, libraries, named);
      if (waiting !== undefined) {
        status = 'quiescent';
        notice = notice === undefined ? waiting : `${notice}\n${waiting}`;
      }
    }
  } finally {
    stopListening();
    hostYield.close();
    restoreConsole();
  }
  return finish(engine, processes, lines, status, notice, named);
}

/**
 * Checks the faults of a run: known ids (the runner's process faults and the brokers'), existing process names,
 * times in range. @throws RangeError naming the fault.
 */
function checkFaults(faults: readonly RunFault[], names: readonly string[], libraries: RunLibraries): void {
  const brokerIds = libraries.faultIds?.() ?? [];
  faults.forEach((fault, i) => {
    if (!Number.isFinite(fault.atMs) || fault.atMs < 0) {
      throw new RangeError(`faults[${i}].atMs must be a finite number of ms ≥ 0, got ${String(fault.atMs)}`);
    }
    if ((PROCESS_FAULTS as readonly string[]).includes(fault.id)) {
      if (fault.target === undefined || !names.includes(fault.target)) {
        throw new RangeError(`faults[${i}] (${fault.id}) names no process of the run: ${String(fault.target)} `
          + `(processes: ${names.join(', ')})`);
      }
    } else if (!brokerIds.includes(fault.id)) {
      throw new RangeError(`faults[${i}].id '${fault.id}' is not a fault of this run (known: `
        + `${[...PROCESS_FAULTS, ...brokerIds].join(', ')})`);
    }
  });
}

/**
 * Points the host's `console` methods at `target()`'s (see `RunOptions.captureHostConsole`); returns the function
 * that puts the host's own back.
 */
function captureHostConsole(target: () => Record<string, (...args: unknown[]) => void> | undefined): () => void {
  const host = globalThis.console as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of ['log', 'info', 'debug', 'warn', 'error', 'dir', 'table', 'trace', 'group', 'groupEnd', 'time', 'timeEnd', 'count']) {
    saved.set(name, host[name]);
    host[name] = (...args: unknown[]) => target()?.[name]?.(...args);
  }
  return () => {
    for (const [name, value] of saved) host[name] = value;
  };
}

/** Checks the options; returns the limits with their defaults. Throws TypeError / RangeError. */
function validate(specs: readonly ProgramSpec[], options: RunOptions): { untilMs: number; linesMax: number } {
  if (!Array.isArray(specs) || specs.length === 0) throw new TypeError('runPrograms: give at least one program');
  if (specs.length > PROCESSES_MAX) {
    throw new RangeError(`a run holds at most ${PROCESSES_MAX} processes, got ${specs.length}`);
  }
  for (const spec of specs) {
    if (typeof spec?.source !== 'string') throw new TypeError('runProgram: source must be a string');
    const atMs = spec.startAtMs;
    if (atMs !== undefined && (!Number.isFinite(atMs) || atMs < 0)) {
      throw new RangeError(`startAtMs must be a finite number ≥ 0, got ${String(atMs)}`);
    }
  }
  const untilMs = options.untilMs ?? UNTIL_MS_DEFAULT;
  if (!Number.isFinite(untilMs) || untilMs < 0) {
    throw new RangeError(`untilMs must be a finite number ≥ 0, got ${String(untilMs)}`);
  }
  const linesMax = options.consoleLinesMax ?? CONSOLE_LINES_MAX_DEFAULT;
  if (!Number.isInteger(linesMax) || linesMax < 0) {
    throw new RangeError(`consoleLinesMax must be an integer ≥ 0, got ${String(linesMax)}`);
  }
  return { untilMs, linesMax };
}

function defaultFilename(spec: ProgramSpec): string {
  return spec.language === 'ts' ? 'program.ts' : 'program.js';
}

/**
 * In a run of several processes: a running process with no timer left and nothing of a broker holding it open
 * (no open connection) has nothing left to do, and exits as Node's would (code `process.exitCode`, default 0).
 */
function finishIdleProcesses(processes: readonly SimProcess[], libraries: RunLibraries): void {
  for (const proc of processes) {
    if (proc.state === 'running' && !proc.hasTimers && !libraries.holdsProcessOpen(proc)) proc.finish();
  }
}

/**
 * The notice of a run that ended with processes still waiting: what they wait for, and that a real process would
 * keep waiting. Undefined when nothing waits.
 */
function waitingNotice(processes: readonly SimProcess[], libraries: RunLibraries, named: boolean): string | undefined {
  const waiting: Array<{ proc: SimProcess; what: string }> = [];
  for (const proc of processes) {
    if (proc.state !== 'running') continue;
    const what = libraries.waitingFor(proc);
    if (what !== undefined) waiting.push({ proc, what });
  }
  if (waiting.length === 0) return undefined;
  if (!named) {
    return `The program is still waiting (${waiting[0].what}): a real process would keep waiting for more messages `
      + 'until you stop it (Ctrl+C). The simulation stops here because nothing else can happen.';
  }
  const who = waiting.map((w) => `${w.proc.name} (${w.what})`);
  const list = who.length === 1 ? who[0] : `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}`;
  return `Still waiting: ${list}. Real processes would keep waiting for more messages until you stop them `
    + '(Ctrl+C). The simulation stops here because nothing else can happen.';
}

/** The run's result (copies taken now: promise reactions a crash queued must not add to it). */
function finish(engine: Engine, processes: readonly SimProcess[], lines: ConsoleLine[], runStatus: RunResult['status'],
  notice: string | undefined, named: boolean): RunResult {
  for (const proc of processes) proc.flushConsole();
  if (notice !== undefined) {
    // The notice belongs to the run, printed by the first process still able to print (or the first).
    const printer = processes.find((p) => p.state !== 'ended') ?? processes[0];
    for (const text of notice.split('\n')) printer.console.notice(text, true);
  }
  let status = runStatus;
  let error: RunResult['error'];
  for (const proc of processes) {
    let procError = proc.error;
    if (procError === undefined && proc.state !== 'ended' && status === 'completed' && !named) {
      // Node exits with process.exitCode once nothing is left to do.
      const code = Number(proc.exitCodeSetByProgram ?? 0);
      if (code !== 0) procError = { name: 'ProcessExit', message: `the program set process.exitCode = ${String(proc.exitCodeSetByProgram)}` };
    }
    if (procError === undefined) continue;
    try {
      engine.record({
        kind: 'program-error',
        message: `${procError.name}: ${procError.message}`,
        ...(procError.line !== undefined ? { line: procError.line } : {}),
        ...(procError.column !== undefined ? { column: procError.column } : {}),
        ...(named ? { process: proc.name } : {}),
      });
    } catch {
      // The trace is full (traceEntriesMax): the error is still returned in `error`.
    }
    error ??= named ? { ...procError, process: proc.name } : procError;
  }
  if (error !== undefined) status = 'error';
  const results: ProcessResult[] = processes.map((proc) => ({
    pid: proc.pid,
    name: proc.name,
    state: proc.state === 'ended' ? proc.how! : proc.state === 'running' ? 'running' : 'not-started',
    ...(proc.exitCode !== undefined ? { exitCode: proc.exitCode } : {}),
    ...(proc.startedAtMs !== undefined ? { startedAtMs: proc.startedAtMs } : {}),
    ...(proc.endedAtMs !== undefined ? { endedAtMs: proc.endedAtMs } : {}),
    ...(proc.error !== undefined ? { error: proc.error } : {}),
  }));
  return {
    status,
    endedAtMs: engine.nowMs,
    trace: engine.trace.slice(),
    console: lines.slice(),
    processes: results,
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * One program on its own (the form most callers and tests use): `executePrograms` with one process whose client
 * modules come from `makeModules` (module name → exports, built once on the run's engine). `observe` wraps the
 * broker API a module calls (see client-activity.ts).
 */
export function executeProgram(
  source: string,
  options: RunOptions,
  makeModules: (engine: Engine, options: RunOptions, observe: <T extends object>(api: T) => T,
    replies: PendingReplies) => Record<string, unknown>,
): Promise<RunResult> {
  return executePrograms([{ source, ...(options.filename === undefined ? {} : { filename: options.filename }),
    ...(options.language === undefined ? {} : { language: options.language }) }], options, (context, opts) => {
    let modules: Record<string, unknown> | undefined;
    const get = (proc: ProcessInfo) => (modules ??= makeModules(context.engine, opts,
      (api) => context.observe(api, proc), context.replies));
    return {
      module: (name, proc) => (Object.prototype.hasOwnProperty.call(get(proc), name) ? get(proc)[name] : undefined),
      missing: () => undefined,
      names: () => Object.keys(modules ?? {}),
      endProcess: () => {},
      holdsProcessOpen: () => false,
      waitingFor: () => undefined,
    };
  });
}
