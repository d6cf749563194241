/**
 * Fuzzing the amqplib facade through `runProgram`: fast-check writes random programs (sequences of publish /
 * sendToQueue / consume / ack / nack / reject / get / prefetch / cancel / channel close / connection close / waits,
 * with random arguments, including wrong delivery tags and calls on closed channels). Each program runs twice with
 * the same seed and must give a byte-identical trace and console; every trace keeps the invariants of
 * `trace-invariants.ts`. A failing case is printed by fast-check with its seed and the program's operations.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { traceViolations } from './trace-invariants.ts';

const CHANNELS = 3;
const ch = fc.integer({ min: 0, max: CHANNELS - 1 });
/** Mostly the two declared queues; now and then one that does not exist (404 closes the channel). */
const queue = fc.oneof({ arbitrary: fc.constantFrom('q', 'q2'), weight: 12 }, { arbitrary: fc.constant('nowhere'), weight: 1 });
const w = (weight: number, arbitrary: fc.Arbitrary<string>) => ({ weight, arbitrary });

/** One statement of the generated program (each runs inside its own try/catch so later ones still run). */
const op: fc.Arbitrary<string> = fc.oneof(
  w(10, fc.tuple(ch, queue, fc.integer({ min: 1, max: 4 }), fc.boolean()).map(([c, q, n, mandatory]) =>
    `for (let i = 0; i < ${n}; i++) chs[${c}].sendToQueue('${q}', Buffer.from('b' + (sent++)), { mandatory: ${mandatory} });`)),
  w(2, fc.tuple(ch, fc.constantFrom('', '', 'amq.direct', 'missing-exchange'), queue).map(([c, x, q]) =>
    `chs[${c}].publish('${x}', '${q}', Buffer.from('p' + (sent++)));`)),
  w(8, fc.tuple(ch, queue, fc.boolean()).map(([c, q, noAck]) =>
    `tags[${c}].push((await chs[${c}].consume('${q}', (m) => { if (m) got[${c}].push(m); }, { noAck: ${noAck} })).consumerTag);`)),
  w(10, fc.tuple(ch, fc.boolean(), fc.boolean()).map(([c, last, multiple]) =>
    `{ await sleep(25); const m = got[${c}].${last ? 'pop' : 'shift'}(); if (m) chs[${c}].ack(m, ${multiple}); }`)),
  w(1, fc.tuple(ch, ch).map(([c, from]) => `{ await sleep(25); const m = got[${from}].shift(); if (m) chs[${c}].ack(m); }`)),
  w(4, fc.tuple(ch, fc.boolean(), fc.boolean()).map(([c, multiple, requeue]) =>
    `{ await sleep(25); const m = got[${c}].shift(); if (m) chs[${c}].nack(m, ${multiple}, ${requeue}); }`)),
  w(3, fc.tuple(ch, fc.boolean()).map(([c, requeue]) =>
    `{ await sleep(25); const m = got[${c}].shift(); if (m) chs[${c}].reject(m, ${requeue}); }`)),
  w(1, fc.tuple(ch, fc.boolean()).map(([c, requeue]) => `chs[${c}].nackAll(${requeue});`)),
  w(1, fc.tuple(ch).map(([c]) => `chs[${c}].ackAll();`)),
  w(3, fc.tuple(ch, queue, fc.boolean()).map(([c, q, noAck]) =>
    `{ const m = await chs[${c}].get('${q}', { noAck: ${noAck} }); if (m) got[${c}].push(m); }`)),
  w(3, fc.tuple(ch, fc.integer({ min: 0, max: 4 }), fc.boolean()).map(([c, n, global]) =>
    `await chs[${c}].prefetch(${n}, ${global});`)),
  w(2, fc.tuple(ch).map(([c]) => `{ const t = tags[${c}].shift(); if (t) await chs[${c}].cancel(t); }`)),
  w(1, fc.tuple(ch).map(([c]) => `await chs[${c}].close();`)),
  w(1, fc.tuple(ch, queue).map(([c, q]) => `console.log('check', (await chs[${c}].checkQueue('${q}')).messageCount);`)),
  w(1, fc.tuple(ch).map(([c]) => `console.log('purged', (await chs[${c}].purgeQueue('q2')).messageCount);`)),
  w(6, fc.integer({ min: 0, max: 60 }).map((ms) => `await sleep(${ms});`)),
);

/** A whole program: one connection, three channels, queues `q` and `q2`, then the random statements. */
const program = fc.record({
  ops: fc.array(op, { minLength: 8, maxLength: 30, size: 'max' }),
  closeConnection: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
}).map(({ ops, closeConnection, seed }) => ({
  seed,
  source: [
    `const amqp = require('amqplib');`,
    `const sleep = (ms) => new Promise((r) => setTimeout(r, ms));`,
    `const conn = await amqp.connect('amqp://localhost');`,
    `conn.on('error', (e) => console.log('connection error', e.message));`,
    `const chs = [];`,
    `for (let i = 0; i < ${CHANNELS}; i++) { const c = await conn.createChannel(); c.on('error', (e) => console.log('channel error', e.message)); c.on('return', (m) => console.log('returned', m.content.toString())); chs.push(c); }`,
    `await chs[0].assertQueue('q', { durable: false }); await chs[0].assertQueue('q2', { durable: true });`,
    `const got = chs.map(() => []); const tags = chs.map(() => []); let sent = 0;`,
    ...ops.map((s) => `try { ${s} } catch (e) { console.log('threw', e.message); }`),
    `await sleep(200);`,
    closeConnection ? `try { await conn.close(); } catch (e) { console.log('close threw', e.message); }` : '',
  ].join('\n'),
}));

describe('amqplib programs under fuzzing', () => {
  it('give a byte-identical trace and console twice with the same seed, and keep the trace invariants', async () => {
    await fc.assert(fc.asyncProperty(program, async ({ seed, source }) => {
      const a = await runProgram(source, { seed, untilMs: 10_000 });
      const b = await runProgram(source, { seed, untilMs: 10_000 });
      expect(a.error).toBeUndefined();
      expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
      expect(JSON.stringify(b.console)).toBe(JSON.stringify(a.console));
      expect(traceViolations(a.trace)).toEqual([]);
    }), { numRuns: 150 });
  }, 60_000);
});
