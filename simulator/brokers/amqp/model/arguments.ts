import { AmqpServerError, type AmqpMethodRef } from './errors.ts';
import { MAX_SUPPORTED_PRIORITY } from './priority-ready-list.ts';
import type { QueueProperties } from './queue.ts';
import { queueTypeArgumentError, queueTypeOf, TYPE_ARGUMENTS, unsupportedArgumentError } from './queue-type.ts';
import { messageTtlArgumentError } from './ttl.ts';
import { resourceText } from './vhost.ts';

/**
 * Queue-argument comparison for redeclaration (RabbitMQ rabbit_misc:assert_args_equivalence), with the type names
 * RabbitMQ prints for the field-table types amqplib encodes (node_modules/amqplib/lib/codec.js: integers become
 * byte / short / int / long by size, fractions double, strings longstr, booleans bool, null void).
 */

/** The AMQP field-table type RabbitMQ names for a JS value as amqplib would encode it. */
export function argumentType(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'double';
    if (value >= -128 && value < 128) return 'byte';
    if (value >= -0x8000 && value < 0x8000) return 'short';
    if (value >= -0x80000000 && value < 0x80000000) return 'signedint';
    return 'long';
  }
  if (typeof value === 'string') return 'longstr';
  if (typeof value === 'boolean') return 'bool';
  if (value === null) return 'void';
  return 'table';
}

/** True when two argument values count as the same (both absent, or equal primitives). */
export function equivalentArgument(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return typeof a === 'object' ? JSON.stringify(a) === JSON.stringify(b) : a === b;
}

/**
 * How RabbitMQ words one side of an argument mismatch: `none` when absent, `'V'` when both sides are present, and
 * `the value 'V' of type 'T'` when the other side is absent (e.g. "received the value '1000' of type 'short' but
 * current is none", verified against RabbitMQ 3.10).
 */
export function describeArgument(value: unknown, other: unknown): string {
  if (value === undefined) return 'none';
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return other === undefined ? `the value '${shown}' of type '${argumentType(value)}'` : `'${shown}'`;
}

/**
 * Throws 406 PRECONDITION_FAILED when redeclaring queue `name` of vhost `vhost` with properties that differ from
 * the existing ones: durable, auto_delete, then each argument the existing queue's type accepts, in that type's
 * order (queue-type.ts TYPE_ARGUMENTS; other arguments, such as `x-foo`, may differ freely), worded like RabbitMQ
 * 3.10, e.g. "inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'". An
 * absent `x-queue-type` is the same as 'classic'.
 * Source: https://www.rabbitmq.com/docs/queues#property-equivalence; orders found against RabbitMQ 3.10
 * (conformance programs 31 and 44).
 */
export function assertEquivalentQueue(name: string, vhost: string, have: QueueProperties, wanted: QueueProperties,
  method: AmqpMethodRef): void {
  const queue = resourceText('queue', name, vhost);
  const mismatch = (arg: string, received: boolean, current: boolean) =>
    new AmqpServerError(406, `inequivalent arg '${arg}' for ${queue}: received ` +
      `'${String(received)}' but current is '${String(current)}'`, method);
  if (have.durable !== wanted.durable) throw mismatch('durable', wanted.durable, have.durable);
  if (have.autoDelete !== wanted.autoDelete) throw mismatch('auto_delete', wanted.autoDelete, have.autoDelete);
  for (const key of TYPE_ARGUMENTS[queueTypeOf(have.arguments)]) {
    const received = wanted.arguments[key];
    const current = have.arguments[key];
    const same = key === 'x-queue-type'
      ? (received ?? 'classic') === (current ?? 'classic') : equivalentArgument(received, current);
    if (!same) {
      throw new AmqpServerError(406, `inequivalent arg '${key}' for ${queue}: ` +
        `received ${describeArgument(received, current)} but current is ${describeArgument(current, received)}`,
        method);
    }
  }
}

/** A validator of one queue argument's value: the detail after "invalid arg 'x-…' for queue …: ", or null. */
type ArgumentCheck = (value: unknown, args: Record<string, unknown>) => string | null;

/** `"expected integer, got longstr"` for a value that is not an integer field (null is RabbitMQ's void). */
function notInteger(value: unknown): string | null {
  if (value === null) return '"expected integer, got void"';
  return typeof value === 'number' && Number.isInteger(value) ? null : `"expected integer, got ${argumentType(value)}"`;
}

/** A non-negative integer (length limits): `{value_negative,-1}`. */
const nonNegativeInteger: ArgumentCheck = (value) =>
  notInteger(value) ?? ((value as number) < 0 ? `{value_negative,${value as number}}` : null);

/** A positive integer (queue TTL, replica counts): also `{value_zero,0}`. */
const positiveInteger: ArgumentCheck = (value) =>
  nonNegativeInteger(value, {}) ?? (value === 0 ? '{value_zero,0}' : null);

/** A string out of `allowed` (else `detail(value)`); another type is `{unacceptable_type,byte}`. */
function oneOf(allowed: readonly string[], detail: (value: string) => string): ArgumentCheck {
  return (value) => {
    if (typeof value !== 'string') return `{unacceptable_type,${argumentType(value)}}`;
    return allowed.includes(value) ? null : detail(value);
  };
}

/**
 * RabbitMQ 3.10's validators of queue-argument values (rabbit_amqqueue:declare_args/0), in the order it runs them.
 * `x-dead-letter-exchange` is checked earlier, by the channel (see `queueArgumentsError`); `x-queue-type` first of
 * all (queue-type.ts). Arguments without a validator here (x-delivery-limit, x-queue-version, x-max-age, …) take
 * any value.
 */
const VALUE_CHECKS: ReadonlyArray<readonly [string, ArgumentCheck]> = [
  ['x-expires', (value) => (value === null ? null : positiveInteger(value, {}))],
  ['x-message-ttl', () => null], // checked by ttl.ts, which words it its own way (see queueArgumentsError)
  ['x-dead-letter-routing-key', (value, args) => {
    if (typeof value !== 'string') return `{unacceptable_type,${argumentType(value)}}`;
    return args['x-dead-letter-exchange'] === undefined ? 'routing_key_but_no_dlx_defined' : null;
  }],
  ['x-dead-letter-strategy', oneOf(['at-most-once', 'at-least-once'], () => 'invalid_dlx_strategy')],
  ['x-max-length', nonNegativeInteger],
  ['x-max-length-bytes', nonNegativeInteger],
  ['x-max-in-memory-length', nonNegativeInteger],
  ['x-max-in-memory-bytes', nonNegativeInteger],
  ['x-max-priority', (value) => nonNegativeInteger(value, {}) ??
    ((value as number) > MAX_SUPPORTED_PRIORITY ? `{max_value_exceeded,${value as number}}` : null)],
  ['x-overflow', (value) => (typeof value === 'string' && OVERFLOW_MODES.includes(value) ? null : 'invalid_overflow')],
  ['x-queue-mode', oneOf(['default', 'lazy'], (mode) => `"unsupported queue mode '${mode}'"`)],
  ['x-single-active-consumer', (value) =>
    (typeof value === 'boolean' ? null : `{unacceptable_type,${argumentType(value)}}`)],
  ['x-quorum-initial-group-size', positiveInteger],
  ['x-stream-max-segment-size-bytes', nonNegativeInteger],
  ['x-initial-cluster-size', positiveInteger],
  ['x-queue-leader-locator', oneOf(['client-local', 'balanced', 'random', 'least-leaders'],
    () => 'invalid_queue_locator_arg')],
];

/** Overflow behaviours of a queue with a length limit (https://www.rabbitmq.com/docs/maxlength#overflow-behaviour). */
export type OverflowMode = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
const OVERFLOW_MODES: readonly string[] = ['drop-head', 'reject-publish', 'reject-publish-dlx'];

/**
 * The 406 text for the first bad argument of a NEW queue `queue` of vhost `vhost`, or null, checked in RabbitMQ
 * 3.10's order (an existing queue is compared instead, see `assertEquivalentQueue`):
 * 1. `x-dead-letter-exchange` must be a string ("invalid type 'byte' for arg 'x-dead-letter-exchange' in queue
 *    'q' in vhost '/'"; the channel checks it before handing the declaration to the queue code);
 * 2. `x-queue-type` (queue-type.ts `queueTypeArgumentError`);
 * 3. the values of the arguments the queue's type accepts, in `VALUE_CHECKS` order: `x-expires` a positive
 *    integer, `x-message-ttl` see ttl.ts, `x-dead-letter-routing-key` a string and only with a dead-letter exchange
 *    (`routing_key_but_no_dlx_defined`), lengths non-negative integers ("expected integer, got longstr",
 *    `{value_negative,-1}`), `x-max-priority` at most 255 (`{max_value_exceeded,256}`), `x-overflow` one of
 *    drop-head / reject-publish / reject-publish-dlx (`invalid_overflow`), `x-single-active-consumer` a boolean
 *    (`{unacceptable_type,longstr}`), … — the value of an argument the type does not accept is not looked at;
 * 4. an argument another type knows but this one does not accept (queue-type.ts `unsupportedArgumentError`).
 * Recorded against RabbitMQ 3.10 by conformance programs 26, 31, 33, 36, 37 and 44.
 */
export function queueArgumentsError(queue: string, vhost: string, args: Record<string, unknown>): string | null {
  const dlx = args['x-dead-letter-exchange'];
  if (dlx !== undefined && typeof dlx !== 'string') {
    return `invalid type '${argumentType(dlx)}' for arg 'x-dead-letter-exchange' in ${resourceText('queue', queue, vhost)}`;
  }
  const invalidType = queueTypeArgumentError(queue, vhost, args);
  if (invalidType !== null) return invalidType;
  const type = queueTypeOf(args);
  const accepted = TYPE_ARGUMENTS[type];
  for (const [key, check] of VALUE_CHECKS) {
    const value = args[key];
    if (value === undefined || !accepted.includes(key)) continue;
    if (key === 'x-message-ttl') {
      const invalid = messageTtlArgumentError(queue, value, vhost);
      if (invalid !== null) return invalid;
      continue;
    }
    const detail = check(value, args);
    if (detail !== null) return `invalid arg '${key}' for ${resourceText('queue', queue, vhost)}: ${detail}`;
  }
  return unsupportedArgumentError(queue, vhost, type, args);
}
