/**
 * What the Kafka exercises' checks share: reading an untrusted run into its trace, or a failing verdict when there
 * is nothing to judge. No RabbitMQ code (see `words.ts`).
 */
import type { TraceEvent } from '../../simulator/trace.ts';
import { fail } from './words.ts';
import type { CheckResult } from './types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The run's trace, or a failing verdict: no trace, a program that stopped with an error, or a run in which nothing
 * talked to Kafka. `what` names the things judged ("the orders").
 */
export function kafkaTraceOfRun(run: unknown, what: string): TraceEvent[] | CheckResult {
  if (!isRecord(run) || !Array.isArray(run.trace)) {
    return fail('There is no run to check: the result has no trace. Run the programs, then check again.');
  }
  if (run.status === 'error') {
    const error = isRecord(run.error) ? run.error : undefined;
    const where = typeof error?.line === 'number' ? ` (line ${error.line})` : '';
    const name = error ? `${String(error.name)}: ${String(error.message)}` : 'an error';
    return fail(`A program stopped with ${name}${where} before ${what} could be judged.`,
      'Fix the error (the console shows where), then check again.');
  }
  const trace = run.trace as TraceEvent[];
  if (!trace.some((e) => isRecord(e) && typeof e.kind === 'string' && e.kind.startsWith('kafka-'))) {
    return fail('The run recorded nothing Kafka did: no program talked to the cluster.',
      'Start from the exercise\'s code (Reset restores it) and check again.');
  }
  return trace;
}
