import { AmqpServerError, type AmqpMethodRef } from './errors.ts';
import { MAX_SUPPORTED_PRIORITY } from './priority-ready-list.ts';
import type { QueueProperties } from './queue.ts';

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

/** The queue arguments RabbitMQ 3.10 checks, in the order it checks them (rabbit_amqqueue:declare_args/0). */
export const DECLARE_ARGS: readonly string[] = [
  'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
  'x-max-length-bytes', 'x-max-in-memory-length', 'x-max-in-memory-bytes', 'x-max-priority', 'x-overflow',
  'x-queue-mode', 'x-single-active-consumer', 'x-queue-type', 'x-quorum-initial-group-size', 'x-max-age',
  'x-stream-max-segment-size-bytes', 'x-initial-cluster-size', 'x-queue-leader-locator',
];

/**
 * Throws 406 PRECONDITION_FAILED when redeclaring queue `name` with properties that differ from the existing ones
 * (durable, auto_delete, then each argument in name order), worded like RabbitMQ 3.10, e.g.
 * "inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'".
 * Source: https://www.rabbitmq.com/docs/queues#property-equivalence
 */
export function assertEquivalentQueue(name: string, have: QueueProperties, wanted: QueueProperties,
  method: AmqpMethodRef): void {
  const mismatch = (arg: string, received: boolean, current: boolean) =>
    new AmqpServerError(406, `inequivalent arg '${arg}' for queue '${name}' in vhost '/': received ` +
      `'${String(received)}' but current is '${String(current)}'`, method);
  if (have.durable !== wanted.durable) throw mismatch('durable', wanted.durable, have.durable);
  if (have.autoDelete !== wanted.autoDelete) throw mismatch('auto_delete', wanted.autoDelete, have.autoDelete);
  // Only the arguments RabbitMQ knows are compared, in its order (rabbit_amqqueue declare_args); others (x-foo) may
  // differ freely (verified with RabbitMQ 3.10).
  for (const key of DECLARE_ARGS) {
    const received = wanted.arguments[key];
    const current = have.arguments[key];
    if (!equivalentArgument(received, current)) {
      throw new AmqpServerError(406, `inequivalent arg '${key}' for queue '${name}' in vhost '/': ` +
        `received ${describeArgument(received, current)} but current is ${describeArgument(current, received)}`,
        method);
    }
  }
}

/**
 * The 406 text for a bad `x-expires` (queue TTL, amqplib's `expires`) of a new queue, or null: absent or null
 * means no expiry; otherwise a positive integer of ms ("expected integer, got double", `{value_negative,-1}`,
 * `{value_zero,0}`). RabbitMQ checks it first of all queue arguments (rabbit_amqqueue:declare_args/0); verified
 * against RabbitMQ 3.10 by test/conformance/amqp/36-queue-expiry.mjs.
 */
export function expiresArgumentError(queue: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const prefix = `invalid arg 'x-expires' for queue '${queue}' in vhost '/': `;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${prefix}"expected integer, got ${argumentType(value)}"`;
  if (value < 0) return `${prefix}{value_negative,${value}}`;
  if (value === 0) return `${prefix}{value_zero,0}`;
  return null;
}

/** Overflow behaviours of a queue with a length limit (https://www.rabbitmq.com/docs/maxlength#overflow-behaviour). */
export type OverflowMode = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
const OVERFLOW_MODES: readonly string[] = ['drop-head', 'reject-publish', 'reject-publish-dlx'];

/**
 * The 406 text for a bad dead-letter, length-limit or priority argument of a new queue, or null (RabbitMQ 3.10,
 * recorded by test/conformance/amqp/26-max-length.mjs, 31-qa-redeclare-queue-args.mjs and
 * 33-priority-queues.mjs), in RabbitMQ's order (rabbit_amqqueue:declare_args/0): `x-dead-letter-exchange` must be
 * a string ("invalid type 'byte' for arg …"), `x-dead-letter-routing-key` a string (`{unacceptable_type,byte}`)
 * and only with a dead-letter exchange (`routing_key_but_no_dlx_defined`), the lengths non-negative integer fields
 * ("expected integer, got longstr", `{value_negative,-1}`), `x-max-priority` one too and at most 255
 * (`{max_value_exceeded,256}`), the overflow one of drop-head / reject-publish / reject-publish-dlx
 * (`invalid_overflow`), `x-single-active-consumer` a boolean (`{unacceptable_type,longstr}`, conformance program
 * 37).
 */
export function queueArgumentError(queue: string, args: Record<string, unknown>): string | null {
  const prefix = (arg: string) => `invalid arg '${arg}' for queue '${queue}' in vhost '/': `;
  const dlx = args['x-dead-letter-exchange'];
  if (dlx !== undefined && typeof dlx !== 'string') {
    return `invalid type '${argumentType(dlx)}' for arg 'x-dead-letter-exchange' in queue '${queue}' in vhost '/'`;
  }
  const dlrk = args['x-dead-letter-routing-key'];
  if (dlrk !== undefined) {
    if (typeof dlrk !== 'string') return `${prefix('x-dead-letter-routing-key')}{unacceptable_type,${argumentType(dlrk)}}`;
    if (dlx === undefined) return `${prefix('x-dead-letter-routing-key')}routing_key_but_no_dlx_defined`;
  }
  for (const arg of ['x-max-length', 'x-max-length-bytes', 'x-max-priority']) {
    const max = args[arg];
    if (max === undefined) continue;
    if (max === null) return `${prefix(arg)}"expected integer, got void"`;
    if (typeof max !== 'number' || !Number.isInteger(max)) return `${prefix(arg)}"expected integer, got ${argumentType(max)}"`;
    if (max < 0) return `${prefix(arg)}{value_negative,${max}}`;
    if (arg === 'x-max-priority' && max > MAX_SUPPORTED_PRIORITY) return `${prefix(arg)}{max_value_exceeded,${max}}`;
  }
  const overflow = args['x-overflow'];
  if (overflow !== undefined && !(typeof overflow === 'string' && OVERFLOW_MODES.includes(overflow))) {
    return `${prefix('x-overflow')}invalid_overflow`;
  }
  const single = args['x-single-active-consumer'];
  if (single !== undefined && typeof single !== 'boolean') {
    return `${prefix('x-single-active-consumer')}{unacceptable_type,${argumentType(single)}}`;
  }
  return null;
}
