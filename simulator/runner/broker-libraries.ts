/**
 * The brokers of one run: which broker plugins the programs need (the module names they `require` / `import`),
 * their runtimes on the run's engine, and the `RunLibraries` the runner asks for modules and process bookkeeping.
 *
 * `require` is synchronous but plugins load asynchronously (a page fetches a broker's code only when it needs
 * it), so the runner reads the module names a program names literally (`require('kafkajs')`, `import … from
 * 'amqplib'`, `import('amqplib')`) before it starts and loads those plugins first. A name built at run time that
 * was not loaded fails like a missing module, saying why.
 */
import { brokerOfModule, notSimulatedError } from '../brokers/catalog.ts';
import type { BrokerRuntime, BrokerRuntimePlugin, RuntimeContext } from '../brokers/plugin.ts';
import type { RunLibraries } from './execute-program.ts';

/**
 * The run's libraries over `plugins` (each gets one runtime on `context.engine`, created now, in the given order:
 * each forks the engine's PRNG, so the order is part of determinism).
 */
export function createBrokerLibraries(plugins: readonly BrokerRuntimePlugin[], context: RuntimeContext,
  brokerOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}): RunLibraries {
  const runtimes: Array<{ plugin: BrokerRuntimePlugin; runtime: BrokerRuntime }> = plugins.map((plugin) => ({
    plugin,
    runtime: plugin.createRuntime(brokerOptions[plugin.id] === undefined ? context
      : { ...context, brokerOptions: brokerOptions[plugin.id] }),
  }));
  const owner = (name: string) => runtimes.find((r) => r.plugin.modules.includes(name));
  return {
    module: (name, proc) => owner(name)?.runtime.module(name, proc),
    missing(name) {
      const entry = brokerOfModule(name);
      if (entry === undefined) return undefined;
      if (!entry.simulated) return notSimulatedError(name);
      // A simulated broker the program did not name literally (a computed require): not loaded for this run.
      const error = new Error(`Cannot load '${name}' here: the simulator loads a client library only when the `
        + `program names it literally, as in require('${name}') or import … from '${name}'`) as Error & { code: string };
      error.code = 'MODULE_NOT_FOUND';
      return error;
    },
    names: () => runtimes.flatMap((r) => [...r.plugin.modules]),
    endProcess: (proc) => runtimes.forEach((r) => r.runtime.endProcess(proc)),
    faultIds: () => runtimes.flatMap((r) => [...(r.runtime.faultIds ?? [])]),
    fault: (fault) => runtimes.some((r) => r.runtime.fault?.(fault) === true),
    holdsProcessOpen: (proc) => runtimes.some((r) => r.runtime.holdsProcessOpen(proc)),
    nextWakeAtMs() {
      const times = runtimes.map((r) => r.runtime.nextWakeAtMs?.()).filter((t): t is number => t !== undefined);
      return times.length === 0 ? undefined : Math.min(...times);
    },
    waitingFor(proc) {
      const parts = runtimes.map((r) => r.runtime.waitingFor(proc)).filter((w): w is string => w !== undefined);
      return parts.length === 0 ? undefined : parts.join('; ');
    },
  };
}
