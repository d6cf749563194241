/**
 * `runProgram(source, options)` and `runPrograms(specs, options)`: run learners' JavaScript or TypeScript programs
 * on the simulator and return the trace, the console output and how each process fared. Called by the code
 * runner's Web Worker, by the CLI (`simulator/cli.ts`) and by tests.
 *
 * What a program gets:
 * - modules: the client libraries of the simulated brokers (`amqplib`, …: `simulator/brokers/registry.ts`), each
 *   process its own instance, all on the run's brokers; `buffer` / `node:buffer`, `timers`, `timers/promises`,
 *   `util` (format, inspect, promisify), `process`; via `require(...)`, `import x from`, `import * as x from`,
 *   `import { x } from`, or `await import(...)`. A client library of a broker that is not simulated yet throws
 *   "kafkajs (Apache Kafka) is not simulated yet; simulated: …"; any other module throws `Cannot find module 'x'`
 *   at the learner's line;
 * - globals: `Buffer` (the `buffer` package), virtual `setTimeout`/`setInterval`/`setImmediate` and their `clear*`
 *   (a 2,000 ms timeout = 2 simulated seconds, no wall time), `console` (captured, Node formatting), `process`
 *   (`env` is empty, `argv` holds the process's arguments, `exit(code)` ends the process), `queueMicrotask`,
 *   `structuredClone`, `TextEncoder`/`TextDecoder`, `URL`, and deterministic `Date`, `Math.random`, `performance`,
 *   `crypto.randomUUID` (seeded / simulated clock); host-only globals (`self`, `fetch`, real timers, …) are
 *   shadowed with `undefined`;
 * - top-level `await`, `module.exports` / `exports`, TypeScript types (stripped by sucrase, line numbers kept).
 *
 * How a run ends (see `execute-program.ts` for the loop): 'completed', 'quiescent' (a process still waits for
 * messages; a notice says a real process would keep waiting), 'time-limit' at `untilMs` (default 60 s simulated),
 * or 'error'. Throws (rejects) only for invalid options (TypeError / RangeError); program failures are results.
 */
import type { BrokerRuntimePlugin } from '../brokers/plugin.ts';
import { loadRuntimePlugins } from '../brokers/registry.ts';
import { runProgramsWith } from './run-with-plugins.ts';
import type { ProgramSpec, RunOptions, RunResult } from './run-types.ts';

export type { ConsoleLine, ProcessResult, ProgramSpec, RunOptions, RunResult } from './run-types.ts';
export { loadRuntimePlugins } from '../brokers/registry.ts';

/**
 * Runs several programs, each a simulated process, against the same brokers. `plugins`: the broker runtimes to
 * offer (default: those of the simulated brokers the programs name, loaded from the registry).
 */
export async function runPrograms(specs: readonly ProgramSpec[], options: RunOptions = {},
  plugins?: readonly BrokerRuntimePlugin[]): Promise<RunResult> {
  const sources = Array.isArray(specs) ? specs.map((spec) => (typeof spec?.source === 'string' ? spec.source : '')) : [];
  const loaded = plugins ?? await loadRuntimePlugins(sources);
  return runProgramsWith(loaded, specs, options);
}

/** Runs one program (one process); see the module doc. */
export function runProgram(source: string, options: RunOptions = {},
  plugins?: readonly BrokerRuntimePlugin[]): Promise<RunResult> {
  if (typeof source !== 'string') return Promise.reject(new TypeError('runProgram: source must be a string'));
  const spec: ProgramSpec = { source };
  if (options.filename !== undefined) spec.filename = options.filename;
  if (options.language !== undefined) spec.language = options.language;
  return runPrograms([spec], options, plugins);
}
