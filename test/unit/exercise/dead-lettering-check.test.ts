/**
 * Exercise 14 (`14-dead-lettering`) end to end: the worker and the shop run as two processes on the simulator,
 * started as the exercise's run line says (the worker first, the shop at 1 s), as Check starts them on the page,
 * and the check judges the real traces. The starter must fail because the poison order goes back to the head of
 * the queue for ever and the orders behind it are never handled; the solution must pass; a worker that drops the
 * poison order at once, one that dead-letters it without a retry, one that retries at once (requeue, counting
 * redeliveries itself) and one that never parks it must each fail with the sentence that names what went wrong.
 *
 * The same starter and solution were run on a real RabbitMQ (3.x, real amqplib) after deleting the ex14 queues:
 * `node worker.mjs`, then `node shop.mjs` a second later. The starter printed `handled order #1`, `#2`, then
 * `order #3 failed: quantity "two" is no number` over and over (ex14.orders kept 4 messages); the solution printed
 * the lines pinned below and left one message in ex14.parked.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkDeadLetteringRun, deadLetteringExercise } from '../../../content/exercises/14-dead-lettering.ts';
import { getExercise } from '../../../content/exercises/index.ts';
import { parseRunLine } from '../../../src/components/code/run-line.ts';

const { files, runLine, run, check } = deadLetteringExercise;
const workerStarter = files![0].starter;
const workerSolution = files![0].solution;
const shop = files![1].starter;

/** Runs a worker and the shop the way Check does (the exercise's run line) and judges the run. */
async function runAndCheck(worker: string) {
  const specs = parseRunLine(runLine!, [{ name: 'worker.mjs', code: worker }, { name: 'shop.mjs', code: shop }]);
  const result = await runPrograms(specs, run);
  return { result, verdict: check(result), lines: result.console.map((l) => l.text) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 14 on the simulator', () => {
  it('is registered under its id, with two programs and a run line that starts the shop at 1 s', () => {
    expect(getExercise('14-dead-lettering')).toBe(deadLetteringExercise);
    expect(deadLetteringExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(runLine).toBe('worker.mjs --at 1s shop.mjs');
    expect(files![1].solution).toBe(shop);
  });

  it('fails the starter: order #3 comes back for ever and the orders behind it are never handled', async () => {
    const { result, verdict, lines } = await runAndCheck(workerStarter);
    expect(result.status).toBe('time-limit');
    expect(lines.slice(0, 10)).toEqual(['worker ready', 'placed order #1', 'placed order #2', 'placed order #3',
      'placed order #4', 'placed order #5', 'placed order #6', 'handled order #1: 2 x mug',
      'handled order #2: 1 x lamp', 'order #3 failed: quantity "two" is no number']);
    expect(lines.some((l) => /handled order #4/.test(l))).toBe(false);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Order #3 failed \d+ times in a row: each time it went back to the head of `ex14\.orders` and the worker got it straight back\. Orders #4, #5 and #6 waited behind it and were never handled\. The run stopped at its 30\.00 s limit with them still waiting\.$/);
  });

  it('passes the solution: three attempts a second apart, then parked', async () => {
    const { result, verdict, lines } = await runAndCheck(workerSolution);
    expect(result.status).toBe('quiescent');
    expect(lines.filter((l) => !/^placed/.test(l))).toEqual(['worker ready', 'handled order #1: 2 x mug',
      'handled order #2: 1 x lamp', 'order #3 failed (attempt 1): quantity "two" is no number; retry in 1000 ms',
      'handled order #4: 1 x kettle', 'handled order #5: 4 x mug', 'handled order #6: 3 x lamp',
      'order #3 failed (attempt 2): quantity "two" is no number; retry in 1000 ms',
      'order #3 failed 3 times: parked', expect.stringMatching(/^Still waiting: worker\.mjs/)]);
    expect(verdict.passed, verdict.messages.join('\n')).toBe(true);
    expect(verdict.messages[0]).toMatch(/^Orders #1, #2, #4, #5 and #6 were handled once each\. Order #3 was tried 3 times \(at .* apart\) and then parked in `ex14\.parked`\.$/);
  });

  it('fails a worker that drops the poison order after one failure', async () => {
    const worker = variant(workerStarter, 'channel.nack(msg, false, true);', 'channel.nack(msg, false, false);');
    const { verdict } = await runAndCheck(worker);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Order #3 was tried only once: after that it was rejected without requeue from '
      + 'a queue with no dead-letter exchange, so the broker dropped it.');
  });

  it('fails a worker that never parks: the order is dead-lettered to the retry queue after its third attempt', async () => {
    const worker = variant(workerSolution, 'if (attempt < MAX_ATTEMPTS) {', 'if (attempt <= MAX_ATTEMPTS) {');
    const { verdict } = await runAndCheck(worker);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Order #3 was tried 4 times: the worker must give up after the third attempt.');
  });

  it('fails a worker that retries at once, counting redeliveries itself', async () => {
    const worker = variant(variant(workerSolution, 'const attempt = failuresSoFar(msg) + 1;',
      'tries.set(order.id, (tries.get(order.id) ?? 0) + 1);\n    const attempt = tries.get(order.id);'),
    'channel.nack(msg, false, false); // no requeue: dead-letter it', 'channel.nack(msg, false, true);');
    const { verdict } = await runAndCheck(variant(worker, 'await channel.consume(', 'const tries = new Map();\nawait channel.consume('));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Order #3 was tried again only \d+ ms after attempt 1 \(at .*\): retries must wait at least a second\.$/);
  });

  it('fails a worker that gives up but throws the order away', async () => {
    const worker = variant(workerSolution, /channel\.sendToQueue\(PARKED[^;]*;/, '');
    const { verdict } = await runAndCheck(worker);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('After its last attempt order #3 is not in `ex14.parked`: it was acknowledged.');
  });

  it('never throws on junk', () => {
    for (const junk of [undefined, null, 1, {}, { trace: 'x' }, { trace: [null, 1, 'x'] }]) {
      expect(() => checkDeadLetteringRun(junk)).not.toThrow();
      expect(checkDeadLetteringRun(junk).passed).toBe(false);
    }
  });
});
