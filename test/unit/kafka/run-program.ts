/**
 * Test glue: runs one kafkajs program (one process) with the Kafka runtime plugin, and collects kafkajs's log lines
 * apart from the program's console.
 */
import { runProgramsWith } from '../../../simulator/runner/run-with-plugins.ts';
import type { ProgramSpec, RunOptions, RunResult } from '../../../simulator/runner/run-types.ts';
import type { BrokerRuntimePlugin } from '../../../simulator/brokers/plugin.ts';
import type { KafkaClusterOptions } from '../../../simulator/brokers/kafka/model/cluster.ts';
import { KafkaRuntime } from '../../../simulator/brokers/kafka/runtime.ts';

/** A run plus kafkajs's log lines (`{ method, line }`) and the runtime (its cluster). */
export interface KafkaRun extends RunResult {
  logs: Array<{ method: string; line: string }>;
  runtime: KafkaRuntime;
}

export async function runKafkaProgram(source: string, options: RunOptions & { cluster?: KafkaClusterOptions } = {}): Promise<KafkaRun> {
  const logs: Array<{ method: string; line: string }> = [];
  let runtime: KafkaRuntime | undefined;
  // The Kafka plugin with a console that also keeps kafkajs's log lines apart (the runner's own console gets them
  // in a real run; these tests read them separately).
  const plugin: BrokerRuntimePlugin = {
    id: 'kafka',
    modules: ['kafkajs'],
    createRuntime: (context) => {
      runtime = new KafkaRuntime({
        ...context,
        programConsole: () => ({
          info: (line) => logs.push({ method: 'info', line }),
          warn: (line) => logs.push({ method: 'warn', line }),
          error: (line) => logs.push({ method: 'error', line }),
          log: (line) => logs.push({ method: 'log', line }),
        }),
        ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
      });
      return runtime;
    },
  };
  const spec: ProgramSpec = { source };
  if (options.filename !== undefined) spec.filename = options.filename;
  const result = await runProgramsWith([plugin], [spec], options);
  return { ...result, logs, runtime: runtime as KafkaRuntime };
}

/** The console lines' texts. */
export function lines(run: RunResult): string[] {
  return run.console.map((l) => l.text);
}
