/**
 * Exercise 5 (`05-reliability`) end to end: the worker and the shop run as two processes on the simulator with the
 * exercise's faults (the worker killed at 0.6 s, the broker restarted at 2 s for 2 s, the worker started again at
 * 5 s), as Check runs them, and the check judges the real traces. The starter must fail because the killed worker
 * took every order with it (automatic acknowledgement); the solution must pass; programs fixed one step at a time
 * must fail with the sentence that names the next loss (a non-durable queue deleted by the restart, transient
 * messages dropped by it), and so must a worker that acknowledges before packing, one that never acknowledges and
 * programs that declare the queue differently.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkReliabilityRun, reliabilityExercise } from '../../../content/exercises/05-reliability.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { files, run, check } = reliabilityExercise;
const file = (name: string, which: 'starter' | 'solution') => files!.find((f) => f.name === name)![which];

/** Runs a worker and a shop as Check does (`worker.mjs shop.mjs`, the exercise's seed, time limit and faults). */
async function runAndCheck(worker: string, shop: string) {
  const result = await runPrograms([{ source: worker, filename: 'worker.mjs' }, { source: shop, filename: 'shop.mjs' }], run);
  return { result, verdict: check(result) };
}

/** `source` with `from` replaced by `to`; fails the test if `from` is not in it (the variant would be silent). */
function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

const workerSolution = file('worker.mjs', 'solution');
const shopSolution = file('shop.mjs', 'solution');
const workerStarter = file('worker.mjs', 'starter');
const shopStarter = file('shop.mjs', 'starter');
/** The worker with manual acks (ack after packing) but the starter's non-durable queue. */
const workerAcksOnly = variant(workerSolution, '{ durable: true }', '{ durable: false }');
/** The shop of the solution but with transient messages. */
const shopTransient = variant(shopSolution, ', { persistent: true })', ')');

describe('exercise 5 on the simulator', () => {
  it('is registered under its id, with two programs and three faults', () => {
    expect(getExercise('05-reliability')).toBe(reliabilityExercise);
    expect(reliabilityExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(reliabilityExercise.runLine).toBe('worker.mjs shop.mjs');
    expect(run.faults?.map((f) => f.id)).toEqual(['kill-process', 'restart-broker', 'restart-process']);
  });

  it('fails the starter: the killed worker took every order with it', async () => {
    const { result, verdict } = await runAndCheck(workerStarter, shopStarter);
    expect(result.status).not.toBe('error');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Orders 1, 2, 3, 4, 5 and 6 were never packed.');
    expect(verdict.messages[1]).toBe('Orders 1, 2, 3, 4, 5 and 6 were lost when the worker was killed at 0.60 s: it '
      + 'had received them with automatic acknowledgement, so the broker had forgotten them as soon as it sent them, '
      + 'and nothing went back to the queue.');
    expect(verdict.messages).toHaveLength(2);
  });

  it('passes the solution: every order packed, order 1 redelivered after the kill', async () => {
    const { result, verdict } = await runAndCheck(workerSolution, shopSolution);
    expect(result.status).not.toBe('error');
    expect(verdict.messages[0]).toBe('All 6 orders were packed, although the worker was killed at 0.60 s and the '
      + 'broker restarted at 2.00 s.');
    expect(verdict.messages[1]).toMatch(/^Order 1 came back to the worker with `redelivered` set/);
    expect(verdict.messages[2]).toMatch(/^This is at-least-once delivery/);
    expect(verdict.passed).toBe(true);
  });

  it('fails manual acks alone: the restart deletes the non-durable queue with the orders', async () => {
    const { verdict } = await runAndCheck(workerAcksOnly, shopStarter);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Orders 1, 2, 3, 4, 5 and 6 were never packed.');
    expect(verdict.messages[1]).toBe('The broker restarted at 2.00 s with 6 orders in the queue `ex05.orders`. The '
      + 'queue was not durable, so the restart deleted it, orders and all: orders 1, 2, 3, 4, 5 and 6 were gone. When '
      + 'the worker started again at 5.00 s, it declared a new, empty `ex05.orders` and waited.');
  });

  it('fails a durable queue with transient messages: the restart drops the orders', async () => {
    const { verdict } = await runAndCheck(workerSolution, shopTransient);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[1]).toBe('The queue `ex05.orders` survived the broker restart at 2.00 s, but orders 1, 2, '
      + '3, 4, 5 and 6 in it did not: they were published as transient messages, which a restart drops even from a '
      + 'durable queue. When the worker started again at 5.00 s, there was nothing left for it to pack.');
  });

  it('fails a worker that acknowledges an order before packing it', async () => {
    const worker = variant(variant(workerSolution, '  channel.ack(msg);\n', ''),
      "console.log(`packing order", "channel.ack(msg);\n  console.log(`packing order");
    const { verdict } = await runAndCheck(worker, shopSolution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[1]).toMatch(/^Orders 1, 2, 3, 4, 5 and 6 were lost when the worker was killed at 0\.60 s: it had acknowledged them before packing \(order 1 at 0\.\d\d s\), so the broker had already forgotten them\.$/);
  });

  it('fails a worker that never acknowledges: it gets no order after its first', async () => {
    const worker = variant(workerSolution, '  channel.ack(msg);\n', '');
    const { verdict } = await runAndCheck(worker, shopSolution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Orders 2, 3, 4, 5 and 6 were never packed.');
    expect(verdict.messages[1]).toBe('Orders 2, 3, 4, 5 and 6 were still in the broker, never packed, when the run '
      + 'ended. The worker held an order it never acknowledged: with a prefetch limit, the broker sends the next order '
      + 'only after an acknowledgement.');
  });

  it('fails a worker that packs faster than packing takes (all done before the kill)', async () => {
    const worker = variant(workerStarter, 'const PACK_MS = 1000;', 'const PACK_MS = 0;');
    const { verdict } = await runAndCheck(worker, shopStarter);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Order 1 was reported packed at 0\.18 s, [01] ms after the worker received it; packing an order takes 1,000 ms\.$/);
  });

  it('fails programs that declare the queue differently (the second declaration is refused)', async () => {
    const { result, verdict } = await runAndCheck(workerSolution, shopStarter);
    expect(result.status).toBe('error');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The program stopped with .*PRECONDITION_FAILED.*durable/);
  });

  it('fails garbage and empty runs with a message', () => {
    expect(checkReliabilityRun(null).passed).toBe(false);
    expect(checkReliabilityRun({ status: 'completed', trace: [], console: [] }).messages[0]).toMatch(/never talked to the broker/);
  });
});
