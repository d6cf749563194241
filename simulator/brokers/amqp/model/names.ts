import type { Prng } from '../../../core/prng.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Server-generated names as RabbitMQ makes them: a prefix and 22 base64url characters (16 random bytes), e.g.
 * `amq.gen-EGOL4sVgyboFfD4HJNOWfg` (queue.declare with an empty name) or `amq.ctag-…` (basic.consume without a
 * consumer tag). Drawn from the broker's own seeded PRNG, so the same seed gives the same names.
 * Source: https://www.rabbitmq.com/docs/queues#server-named-queues
 */
export function serverName(prefix: 'amq.gen-' | 'amq.ctag-', rng: Prng): string {
  let s = prefix;
  for (let i = 0; i < 22; i++) s += ALPHABET[rng.nextUint32() & 63];
  return s;
}
