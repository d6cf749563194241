import { argumentType } from './arguments.ts';
import { resourceText } from './vhost.ts';

/**
 * Validation of message TTLs as RabbitMQ 3.10 does it, before any TTL is applied (expiry itself is not simulated
 * yet): the `expiration` property of basic.publish and the `x-message-ttl` queue argument (amqplib's `messageTtl`).
 * A bad value closes the channel with 406 PRECONDITION_FAILED; these functions give the text after
 * "PRECONDITION_FAILED - ", or null when the value is fine.
 *
 * Rules, each verified against RabbitMQ 3.10 with amqplib 0.10 (test/conformance/amqp/22-invalid-ttl.mjs):
 * - `expiration` is a string parsed like Erlang's `string:to_integer/1`: an optional sign and at least one digit
 *   (else `no_integer`), nothing after the digits (else `{leftover_string,"…"}`), not negative (else
 *   `{value_negative,N}`), at most 315,360,000,000 ms = 10 years (else `{value_too_large,N}`). "+5", "007" and "-0"
 *   are fine. The message is `invalid expiration '<text>': <term>`.
 * - `x-message-ttl` must be an integer field (else `"expected integer, got <type>"` with RabbitMQ's name of the
 *   type amqplib encoded: longstr, double, bool, void, …), not negative, at most 10 years, in
 *   `invalid arg 'x-message-ttl' for queue '<q>' in vhost '<v>': <detail>`.
 * Erlang prints the term with `~p`, which breaks a tuple that would end past column 80 after its first element and
 * indents the rest under it; that is reproduced. (RabbitMQ also shortens a very long leftover string with "...";
 * that is not.) See also https://www.rabbitmq.com/docs/ttl.
 */

/** Longest TTL RabbitMQ accepts, in ms (10 × 365 days; found by bisection against RabbitMQ 3.10). */
export const TTL_MAX_MS = 315_360_000_000n;

/** The 406 text for a bad `expiration` property (a string, or what amqplib's `toString()` made of it), or null. */
export function expirationError(expiration: string): string | null {
  const prefix = `invalid expiration '${expiration}': `;
  const match = /^([+-]?)(\d+)(.*)$/s.exec(expiration);
  if (match === null) return `${prefix}no_integer`;
  const [, sign, digits, rest] = match;
  if (rest !== '') return prefix + erlangPair('leftover_string', erlangString(rest), prefix.length);
  const value = BigInt(sign + digits);
  const problem = ttlProblem(value);
  return problem === null ? null : prefix + erlangPair(problem, value.toString(), prefix.length);
}

/**
 * The 406 text for a bad `x-message-ttl` argument of queue `queue` in vhost `vhost` (a value as amqplib would encode
 * it), or null.
 */
export function messageTtlArgumentError(queue: string, value: unknown, vhost: string): string | null {
  const prefix = `invalid arg 'x-message-ttl' for ${resourceText('queue', queue, vhost)}: `;
  if (value === null) return `${prefix}"expected integer, got void"`;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${prefix}"expected integer, got ${argumentType(value)}"`;
  const integer = BigInt(value);
  const problem = ttlProblem(integer);
  // This detail is formatted on its own before it is put in the sentence, so it never wraps.
  return problem === null ? null : `${prefix}{${problem},${integer.toString()}}`;
}

function ttlProblem(value: bigint): 'value_negative' | 'value_too_large' | null {
  if (value < 0n) return 'value_negative';
  if (value > TTL_MAX_MS) return 'value_too_large';
  return null;
}

/**
 * `{tag,value}` as Erlang's `~p` prints it starting at `column`: on one line if it ends by column 80, else broken
 * after the tag with the value indented under the first element.
 */
function erlangPair(tag: string, value: string, column: number): string {
  const oneLine = `{${tag},${value}}`;
  if (column + oneLine.length <= 80) return oneLine;
  return `{${tag},\n${' '.repeat(column + 1)}${value}}`;
}

/** An Erlang string as `~p` prints it (printable ASCII; quotes and backslashes escaped). */
function erlangString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
