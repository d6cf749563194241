import util from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Buffer as NpmBuffer } from 'buffer';
import { format, inspect } from '../../../simulator/runner/format.ts';

/** Keys learners use, plus ones that need quoting (`'a-b'`, `$x`, digits, quotes, unicode). */
const keyArb = fc.oneof(
  fc.constantFrom('queue', 'messageCount', 'consumerCount', 'a', 'b_c', 'a-b', '$x', '0', '12', "it's", 'x"y', 'é', ''),
  fc.string({ maxLength: 8 }),
);

const stringArb = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom("it's", 'say "hi"', "both ' and \"", "all ' \" `", 'tab\tnew\nline', 'x'.repeat(90), 'a\nb'.repeat(30)),
);

const primitiveArb = fc.oneof(
  stringArb,
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(-0, NaN, Infinity, -Infinity),
);

class Point {
  x: unknown;
  y: unknown;
  constructor(x: unknown, y: unknown) {
    this.x = x;
    this.y = y;
  }
}

const valueArb = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveArb,
    fc.array(tie('value'), { maxLength: 12 }),
    fc.array(fc.integer({ min: -1000, max: 100000 }), { minLength: 6, maxLength: 40 }),
    fc.array(fc.constantFrom('a', 'bb', 'queue-1', 'x'), { minLength: 7, maxLength: 30 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 6 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 4, noNullPrototype: false }),
    fc.tuple(tie('value'), tie('value')).map(([x, y]) => new Point(x, y)),
    fc.array(fc.tuple(primitiveArb, tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 5 }).map((items) => new Set(items)),
    fc.uint8Array({ maxLength: 70 }).map((bytes) => Buffer.from(bytes)),
    fc.uint8Array({ maxLength: 10 }),
    fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms)),
  ),
})).value;

describe('inspect matches Node util.inspect', () => {
  it('for generated learner-like values (default options)', () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        expect(inspect(value)).toBe(util.inspect(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('for generated values with other depth / breakLength / showHidden', () => {
    fc.assert(
      fc.property(
        valueArb,
        fc.record({
          depth: fc.integer({ min: 0, max: 5 }),
          breakLength: fc.integer({ min: 20, max: 160 }),
          showHidden: fc.boolean(),
        }),
        (value, options) => {
          expect(inspect(value, options)).toBe(util.inspect(value, options));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('prints the amqplib-shaped values learners log', () => {
    const samples: unknown[] = [
      { queue: 'q', messageCount: 3, consumerCount: 0 },
      { consumerTag: 'amq.ctag-abc' },
      {
        fields: { consumerTag: 'amq.ctag-1', deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'jobs' },
        properties: { contentType: undefined, headers: {}, deliveryMode: undefined, correlationId: undefined },
        content: Buffer.from('hello'),
      },
      { a: { b: { c: { d: 1 } } } },
      [[[[1]]]],
    ];
    for (const sample of samples) expect(inspect(sample)).toBe(util.inspect(sample));
    expect(inspect({ queue: 'q', messageCount: 3, consumerCount: 0 })).toBe(
      "{ queue: 'q', messageCount: 3, consumerCount: 0 }",
    );
  });

  it('prints Buffers of the browser `buffer` package like Node Buffers', () => {
    expect(inspect(NpmBuffer.from('m1'))).toBe('<Buffer 6d 31>');
    expect(inspect(NpmBuffer.alloc(0))).toBe('<Buffer >');
    expect(inspect(NpmBuffer.alloc(53))).toBe(util.inspect(Buffer.alloc(53)));
    expect(inspect({ content: NpmBuffer.from('hi') })).toBe('{ content: <Buffer 68 69> }');
  });

  it('prints errors, functions, classes, circular and special objects like Node', () => {
    class ValidationError extends Error {}
    const withCode = Object.assign(new Error('boom'), { code: 404 });
    const circular: Record<string, unknown> = { name: 'x' };
    circular.self = circular;
    const samples: unknown[] = [
      new Error('plain'),
      withCode,
      new ValidationError('bad'),
      new Error('outer', { cause: new TypeError('inner') }),
      { err: new RangeError('nested') },
      function named() {},
      () => {},
      async function asyncNamed() {},
      class Foo {},
      class Bar extends Point {},
      circular,
      [undefined, , 3], // eslint-disable-line no-sparse-arrays
      Object.assign([1, 2], { extra: true }),
      Object.create(null),
      /ab+c/gi,
      new Number(3),
      new String('ab'),
      new WeakMap(),
      { get g() { return 1; }, set s(_v: unknown) {} },
      Array.from({ length: 120 }, (_, i) => i),
      { [Symbol('k')]: 1 },
      new Date(Number.NaN),
    ];
    for (const sample of samples) expect(inspect(sample)).toBe(util.inspect(sample));
  });

  it('prints a pending-looking Promise (its state cannot be read in plain JS)', () => {
    expect(inspect(new Promise(() => {}))).toBe('Promise { <pending> }');
  });
});

/** The result or the thrown message, so "both throw the same error" also counts as matching. */
function outcome(run: () => string): { ok: string } | { threw: string } {
  try {
    return { ok: run() };
  } catch (err) {
    return { threw: (err as Error).message };
  }
}

describe('format matches Node util.format', () => {
  const argArb = fc.oneof(valueArb, fc.constantFrom('%s', '%d', '%i', '%f', '%j', '%o', '%O', '%c', '%%', '%x'));
  const formatStringArb = fc
    .array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('%s', '%d', '%i', '%f', '%j', '%O', '%c', '%%', '%', '%x')), {
      maxLength: 6,
    })
    .map((parts) => parts.join(''));

  it('for generated format strings and arguments', () => {
    fc.assert(
      fc.property(formatStringArb, fc.array(argArb, { maxLength: 5 }), (fmt, args) => {
        expect(outcome(() => format(fmt, ...args))).toEqual(outcome(() => util.format(fmt, ...args)));
      }),
      { numRuns: 2000 },
    );
  });

  it('for generated argument lists without a format string', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 5 }), (args) => {
        expect(format(...args)).toBe(util.format(...args));
      }),
      { numRuns: 1000 },
    );
  });

  it('handles each specifier like Node', () => {
    const cases: unknown[][] = [
      ['%s is %d years', 'Bob', 42],
      ['%i %f %j', '42.5x', '1.5', { a: 1 }],
      ['%o', { a: [1, { b: 2 }] }],
      ['%O', { a: 1 }],
      ['100%% %s', 'x', 'extra', { y: 2 }],
      ['%c styled', 'color: red'],
      ['%s', { a: 1 }],
      ['%s', [1, [2, [3]]]],
      ['%s', -0],
      ['%s', 2n],
      ['%j', (() => { const c: Record<string, unknown> = {}; c.c = c; return c; })()],
      ['missing %s and %d'],
      ['only %s', 'one'],
    ];
    for (const args of cases) expect(format(...args)).toBe(util.format(...args));
    expect(format('%s', new Point(1, 2))).toBe('Point { x: 1, y: 2 }');
    expect(format()).toBe('');
  });
});
