/**
 * Test glue until the runner is registry-driven: runs one kafkajs program through `executeProgram` with the Kafka
 * runtime plugin as its library factory (one process), and collects kafkajs's log lines.
 */
import { executeProgram } from '../../../simulator/runner/execute-program.ts';
import type { RunOptions, RunResult } from '../../../simulator/runner/run-types.ts';
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
  const result = await executeProgram(source, options, (engine, opts, observe, replies) => {
    const proc = { pid: 1, name: options.filename ?? 'program.js' };
    runtime = new KafkaRuntime({
      engine, processCount: 1, ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
      observe: (api) => observe(api), replies,
      programConsole: () => ({
        info: (line) => logs.push({ method: 'info', line }),
        warn: (line) => logs.push({ method: 'warn', line }),
        error: (line) => logs.push({ method: 'error', line }),
        log: (line) => logs.push({ method: 'log', line }),
      }),
      ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    });
    return { kafkajs: runtime.module('kafkajs', proc) as Record<string, unknown> };
  });
  return { ...result, logs, runtime: runtime as KafkaRuntime };
}

/** The console lines' texts. */
export function lines(run: RunResult): string[] {
  return run.console.map((l) => l.text);
}
