/**
 * Bad input on the work-queue knobs: whatever values reach `validateWorkQueueKnobs` (scenario side) or the knobs
 * form's `readKnob` with lesson 1's declared ranges (form side), the only failure is the documented RangeError naming
 * the knob, and anything accepted is inside the documented range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  validateWorkQueueKnobs, WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES, type WorkQueueKnobs,
} from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { readKnob, type NumberKnobSpec } from '../../../simulator/scenario.ts';
import { workQueueScenario } from '../../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';

type NumericKnob = 'producerRatePerSec' | 'messageCount' | 'consumerCount' | 'prefetch' | 'processingMs';

const NUMERIC: NumericKnob[] = ['producerRatePerSec', 'messageCount', 'consumerCount', 'prefetch', 'processingMs'];

/** Absurd numbers first, then anything at all. */
const absurdNumber = fc.oneof(
  fc.constantFrom(-1, -0, Number.NaN, Infinity, -Infinity, 1e9, 1e21, 2 ** 53, Number.MIN_VALUE, 0.5, -1e9),
  fc.double(),
  fc.integer(),
);
const anyValue = fc.oneof(absurdNumber, fc.anything({ withNullPrototype: true, withBoxedValues: true }), fc.string());

/** A knobs object whose every field may be garbage (the shape a caller of the typed API could still produce). */
const garbageKnobs = fc.record({
  producerRatePerSec: anyValue,
  messageCount: anyValue,
  consumerCount: anyValue,
  prefetch: anyValue,
  processingMs: anyValue,
  processingJitterMs: fc.option(anyValue, { nil: undefined }),
  ackMode: fc.oneof(fc.constantFrom('manual', 'auto'), fc.anything()),
  crashes: fc.oneof(
    fc.array(fc.record({ consumer: anyValue, atMs: anyValue })),
    fc.array(fc.anything(), { maxLength: 3 }),
    fc.anything(),
  ),
});

/** Valid knobs with one numeric field replaced by an absurd value. */
const oneAbsurdKnob = fc.tuple(fc.constantFrom(...NUMERIC, 'processingJitterMs' as const), absurdNumber)
  .map(([name, value]) => ({ name, knobs: { ...WORK_QUEUE_DEFAULTS, crashes: [], [name]: value } as WorkQueueKnobs }));

function inRange(name: keyof typeof WORK_QUEUE_KNOB_RANGES, value: number): boolean {
  const r = WORK_QUEUE_KNOB_RANGES[name];
  return Number.isFinite(value) && value >= r.min && value <= r.max && (!r.integer || Number.isInteger(value));
}

describe('validateWorkQueueKnobs on bad input', () => {
  it('throws only RangeError, and what it accepts is in range', () => {
    fc.assert(fc.property(garbageKnobs, (knobs) => {
      let result: ReturnType<typeof validateWorkQueueKnobs>;
      try {
        result = validateWorkQueueKnobs(knobs as unknown as WorkQueueKnobs);
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        expect((err as Error).message).toMatch(/must be/);
        return;
      }
      for (const name of NUMERIC) expect(inRange(name, result[name])).toBe(true);
      expect(inRange('processingJitterMs', result.processingJitterMs)).toBe(true);
      expect(['manual', 'auto']).toContain(result.ackMode);
      for (const c of result.crashes) {
        expect(Number.isInteger(c.consumer) && c.consumer >= 1 && c.consumer <= result.consumerCount).toBe(true);
        expect(inRange('crashAtMs', c.atMs)).toBe(true);
      }
    }), { numRuns: 2000 });
  });

  it('throws only RangeError for garbage crash lists next to valid knobs', () => {
    const crashes = fc.oneof(fc.array(fc.anything(), { maxLength: 4 }),
      fc.array(fc.record({ consumer: anyValue, atMs: anyValue }, { requiredKeys: [] }), { maxLength: 4 }), fc.anything());
    fc.assert(fc.property(crashes, (list) => {
      try {
        const result = validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, crashes: list as WorkQueueKnobs['crashes'] });
        expect(result.crashes.every((c) => c.consumer >= 1 && c.consumer <= WORK_QUEUE_DEFAULTS.consumerCount)).toBe(true);
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
      }
    }), { numRuns: 2000 });
  });

  it('names the offending knob and echoes the absurd value', () => {
    fc.assert(fc.property(oneAbsurdKnob, ({ name, knobs }) => {
      const value = knobs[name];
      if (typeof value === 'number' && inRange(name, value)) return;
      expect(() => validateWorkQueueKnobs(knobs)).toThrow(RangeError);
      expect(() => validateWorkQueueKnobs(knobs)).toThrow(new RegExp(`^${name} must be .* got ${String(value).replace(/[.+]/g, '\\$&')}$`));
    }), { numRuns: 500 });
  });

  it('still throws a RangeError for values that cannot be turned into text', () => {
    const unprintable = [{ toString: false }, Object.create(null), { [Symbol.toPrimitive]: () => { throw new Error('x'); } }];
    for (const value of unprintable) {
      expect(() => validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, crashes: [], prefetch: value as number })).toThrow(RangeError);
      expect(() => validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, ackMode: value as 'auto', crashes: [] })).toThrow(RangeError);
      expect(() => validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, crashes: [value] })).toThrow(RangeError);
      expect(() => validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, crashes: [{ consumer: value, atMs: 0 }] })).toThrow(RangeError);
    }
  });

  it('rejects negative, NaN and 10^9 for every numeric knob', () => {
    for (const name of NUMERIC) {
      for (const value of [-1, Number.NaN, 1e9]) {
        expect(() => validateWorkQueueKnobs({ ...WORK_QUEUE_DEFAULTS, crashes: [], [name]: value }), `${name} = ${value}`)
          .toThrow(RangeError);
      }
    }
  });
});

describe('readKnob (the knobs form, lesson 1\'s ranges) on bad input', async () => {
  const declaration = (await import('../../../content/simulations/01-work-queue.ts')).default;
  const resolved = resolveSimulation('01-work-queue', declaration, workQueueScenario);
  const spec = (name: string) => resolved.knobs.find((k) => k.name === name) as NumberKnobSpec;

  it('accepts only numbers inside the slider range, else throws one RangeError wording naming the knob', () => {
    const raw = fc.oneof(fc.string(), fc.constantFrom('', '  ', 'NaN', '-5', '1e9', 'Infinity', '0x10', '3', ' 4 ', '1e-400', '2.5'),
      fc.double().map(String), fc.integer().map(String));
    fc.assert(fc.property(fc.constantFrom(...NUMERIC), raw, (name, text) => {
      const { min, max, label, integer } = spec(name);
      let value: number;
      try {
        value = readKnob(spec(name), text) as number;
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        expect((err as Error).message.startsWith(`${label} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`)).toBe(true);
        expect((err as Error).message.length).toBeLessThan(200);
        return;
      }
      expect(Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))).toBe(true);
    }), { numRuns: 2000 });
  });

  it('explains empty, NaN, negative, fractional and 10^9 values in words, with the slider\'s range', () => {
    expect(() => readKnob(spec('messageCount'), '')).toThrow('Messages must be a whole number from 1 to 200 messages, got nothing');
    expect(() => readKnob(spec('prefetch'), 'NaN')).toThrow('Prefetch must be a whole number from 0 to 20 messages, got "NaN"');
    expect(() => readKnob(spec('consumerCount'), '-5')).toThrow('got "-5"');
    expect(() => readKnob(spec('consumerCount'), '2.5')).toThrow('Workers must be a whole number from 0 to 8 workers, got "2.5"');
    expect(() => readKnob(spec('processingMs'), '1000000000')).toThrow('got "1000000000"');
    expect(() => readKnob(spec('processingMs'), 'x'.repeat(10_000))).toThrow(/got "x{40}…"$/);
  });

  it('uses the default when the field is missing from the form', () => {
    expect(readKnob(spec('prefetch'), undefined)).toBe(WORK_QUEUE_DEFAULTS.prefetch);
  });
});
