/**
 * `runProgram(source, options)`: runs a learner's JavaScript or TypeScript program on the simulator and returns
 * its trace, console output and outcome. Called by the code runner's Web Worker (`src/workers/run-worker.ts`) and
 * by the CLI (`simulator/cli.ts`).
 *
 * What the program gets:
 * - modules: `amqplib` (the promise API, `simulator/brokers/amqp/amqplib`, on an `AmqpBroker` with
 *   `options.latencyMs`) and `amqplib/callback_api` (`.js`), `buffer` / `node:buffer`, `timers`, `timers/promises`, `util` (format, inspect,
 *   promisify), `process`; via `require(...)`, `import x from`, `import * as x from`, `import { x } from`, or
 *   `await import(...)`. Any other module throws `Cannot find module 'x'` at the learner's line;
 * - globals: `Buffer` (the `buffer` package), virtual `setTimeout`/`setInterval`/`setImmediate` and their `clear*`
 *   (a 2,000 ms timeout = 2 simulated seconds, no wall time), `console` (captured, Node formatting), `process`
 *   (`env` is empty, `exit(code)` ends the run), `queueMicrotask`, `structuredClone`, `TextEncoder`/`TextDecoder`,
 *   `URL`, and deterministic `Date`, `Math.random`, `performance`, `crypto.randomUUID` (seeded / simulated clock);
 *   host-only globals (`self`, `fetch`, real timers, …) are shadowed with `undefined`;
 * - top-level `await`, `module.exports` / `exports`, TypeScript types (stripped by sucrase, line numbers kept).
 *
 * How it ends (see `execute-program.ts` for the loop):
 * - 'completed' when no engine event is pending. A program that never closes its connection but has nothing left
 *   to do ends here too, like an idle Node process that the user stops; one still awaiting a broker reply that
 *   will never come (a hung channel) gets a 'warn' line saying so;
 * - 'time-limit' at `untilMs` (default 60 s simulated) while events are still pending (e.g. an endless
 *   `setInterval`);
 * - 'error' on an uncaught exception, an unhandled promise rejection (Node ≥ 15 exits on those), a syntax error,
 *   `process.exit(n ≠ 0)` or a `SimulationLimitError`; `error.line` / `error.column` point into the learner's
 *   source when the stack shows where.
 *
 * Throws (rejects) only for invalid options (TypeError / RangeError); program failures are results.
 */
import { AmqpBroker } from '../brokers/amqp/model/broker.ts';
import { amqpModules } from '../brokers/amqp/runtime.ts';
import { executeProgram } from './execute-program.ts';
import type { RunOptions, RunResult } from './run-types.ts';

export type { ConsoleLine, RunOptions, RunResult } from './run-types.ts';

export function runProgram(source: string, options: RunOptions = {}): Promise<RunResult> {
  return executeProgram(source, options, (engine, opts, observe, replies) => {
    const broker = new AmqpBroker(engine, opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs });
    return amqpModules(observe(broker), replies);
  });
}
