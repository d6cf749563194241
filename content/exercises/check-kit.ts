/**
 * Small helpers shared by the exercise checks: reading an untrusted run into the AMQP facts
 * (`simulator/brokers/amqp/queries.ts`), and the wording of numbers, times and lists in feedback sentences.
 */
import { amqpFacts, type AmqpFacts } from '../../simulator/brokers/amqp/queries.ts';
import { isRecord } from '../../src/lib/is-record.ts';
import type { CheckResult } from './types.ts';

/** A failing verdict. */
export function fail(...messages: string[]): CheckResult {
  return { passed: false, messages };
}

/**
 * The facts of a run, or a failing verdict when there is nothing to judge: no trace, a program that stopped with
 * an error, or a run that never talked to the broker. `what` names the things judged ("the sign-ups").
 */
export function factsOfRun(run: unknown, what: string): AmqpFacts | CheckResult {
  if (!isRecord(run) || !Array.isArray(run.trace)) {
    return fail('There is no run to check: the result has no trace. Run the program, then check again.');
  }
  if (run.status === 'error') {
    const error = isRecord(run.error) ? run.error : undefined;
    const where = typeof error?.line === 'number' ? ` (line ${error.line})` : '';
    const name = error ? `${String(error.name)}: ${String(error.message)}` : 'an error';
    return fail(`The program stopped with ${name}${where} before ${what} could be judged.`,
      'Fix the error (the console shows where), then check again.');
  }
  if (run.trace.length === 0) {
    return fail('The run recorded nothing: the program never talked to the broker.',
      'Start from the exercise\'s code (Reset restores it) and check again.');
  }
  return amqpFacts(run.trace);
}

/** Whether `value` is a verdict (as `factsOfRun` returns instead of facts). */
export function isVerdict(value: AmqpFacts | CheckResult): value is CheckResult {
  return 'passed' in value;
}

/** `1 order`, `3 orders`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a, b, c and 4 more` (at most `max` names). */
export function list(names: readonly string[], max = 6): string {
  if (names.length <= 1) return names.join('');
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** A duration: `1,640 ms`. */
export function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** A point of simulated time: `2.58 s`. */
export function at(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(2)} s`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
