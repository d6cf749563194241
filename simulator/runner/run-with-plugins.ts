/**
 * `runProgramsWith(plugins, specs, options)`: `runPrograms` with the broker runtimes given, not loaded from the
 * registry. For code that must not pull in the registry's loaders: a browser worker bundle holds exactly the
 * brokers it was built with (`simulator/brokers/<id>/worker.ts`).
 */
import type { BrokerRuntimePlugin } from '../brokers/plugin.ts';
import { createBrokerLibraries } from './broker-libraries.ts';
import { executePrograms } from './execute-program.ts';
import type { ProgramSpec, RunOptions, RunResult } from './run-types.ts';

export function runProgramsWith(plugins: readonly BrokerRuntimePlugin[], specs: readonly ProgramSpec[],
  options: RunOptions = {}): Promise<RunResult> {
  return executePrograms(specs, options, (context) => createBrokerLibraries(plugins, context, options.brokerOptions));
}
