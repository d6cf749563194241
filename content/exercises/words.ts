/**
 * The wording of exercise feedback, for the checks of every broker: a failing verdict, numbers, times and lists in
 * sentences. No broker code here, so a Kafka exercise's chunk does not pull in RabbitMQ's queries (`check-kit.ts`,
 * the AMQP checks' kit, re-exports these).
 */
import type { CheckResult } from './types.ts';

/** A failing verdict. */
export function fail(...messages: string[]): CheckResult {
  return { passed: false, messages };
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
