/**
 * Deterministic stand-ins for the sources of nondeterminism a learner program can reach, so the same seed and the
 * same program always produce the same trace:
 * - `Date`: `new Date` and `Date.now` read the simulated clock: `SIMULATED_EPOCH_MS` + `engine.nowMs`
 *   (dates built from arguments, `Date.parse`, `Date.UTC` behave as usual); `Date()` called without `new`
 *   returns the simulated time as a string.
 * - `Math`: the real `Math` except `random()`, drawn from a PRNG forked from the run's seed.
 * - `performance.now`: simulated ms since the start of the run.
 * - `crypto.randomUUID()` / `crypto.getRandomValues(typedArray)`: from the same seeded PRNG (not secure;
 *   learners use them for correlation ids).
 */
import type { Engine } from '../core/engine.ts';
import type { Prng } from '../core/prng.ts';

import { SIMULATED_EPOCH_MS } from '../core/clock.ts';

export { SIMULATED_EPOCH_MS };

export interface DeterministicGlobals {
  Date: DateConstructor;
  Math: Math;
  performance: { now(): number; timeOrigin: number };
  crypto: { randomUUID(): string; getRandomValues<T extends ArrayBufferView>(array: T): T };
}

export function createDeterministicGlobals(engine: Engine, rng: Prng): DeterministicGlobals {
  const RealDate = Date;
  const nowWallMs = () => SIMULATED_EPOCH_MS + engine.nowMs;

  class SimulatedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowWallMs());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return nowWallMs();
    }
  }
  Object.defineProperty(SimulatedDate, 'name', { value: 'Date' });
  const DateProxy = new Proxy(SimulatedDate, {
    apply: () => new RealDate(nowWallMs()).toString(),
  }) as unknown as DateConstructor;

  const math = Object.defineProperties({}, Object.getOwnPropertyDescriptors(Math)) as Math;
  Object.defineProperty(math, 'random', {
    value: function random() {
      return rng.next();
    },
    writable: true,
    configurable: true,
  });

  const getRandomValues = <T extends ArrayBufferView>(array: T): T => {
    if (!ArrayBuffer.isView(array) || array instanceof DataView || array instanceof Float32Array ||
      array instanceof Float64Array) {
      throw new TypeError('crypto.getRandomValues: the argument must be an integer typed array');
    }
    if (array.byteLength > 65_536) {
      throw new RangeError(`crypto.getRandomValues: ${array.byteLength} bytes requested; the limit is 65536`);
    }
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextUint32() & 0xff;
    return array;
  };

  const randomUUID = (): string => {
    const bytes = getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  return {
    Date: DateProxy,
    Math: math,
    performance: { now: () => engine.nowMs, timeOrigin: SIMULATED_EPOCH_MS },
    crypto: { randomUUID, getRandomValues },
  };
}
