/**
 * Exercise 13 (`13-publisher-confirms`) end to end: the shop and the worker run as two processes on the simulator,
 * started as the exercise's run line says, with the exercise's broker restart at 1 s (down 1 s), as Check runs
 * them on the page, and the check judges the real traces. The starter must fail (its transient orders are wiped by
 * the restart, and it stops with `Channel closed` at the next one); the solution must pass; a shop that only makes
 * its messages persistent, and one that uses confirms but transient messages, must fail with the sentence that
 * names what went wrong.
 *
 * Without a restart, starter and solution printed the same lines on a real RabbitMQ (3.x, real amqplib) as here.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkPublisherConfirmsRun, publisherConfirmsExercise } from '../../../content/exercises/13-publisher-confirms.ts';
import { getExercise } from '../../../content/exercises/index.ts';
import { parseRunLine } from '../../../src/components/code/run-line.ts';

const { files, runLine, run, check } = publisherConfirmsExercise;
const shopStarter = files![0].starter;
const shopSolution = files![0].solution;
const worker = files![1].starter;

async function runAndCheck(shop: string) {
  const specs = parseRunLine(runLine!, [{ name: 'shop.mjs', code: shop }, { name: 'worker.mjs', code: worker }]);
  const result = await runPrograms(specs, run);
  return { result, verdict: check(result), lines: result.console.map((l) => l.text) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 13 on the simulator', () => {
  it('is registered, with a broker restart at 1 s in its run', () => {
    expect(getExercise('13-publisher-confirms')).toBe(publisherConfirmsExercise);
    expect(run.faults).toEqual([{ id: 'restart-broker', atMs: 1000, valueMs: 1000 }]);
    expect(publisherConfirmsExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: four transient orders wiped by the restart, the other six never sent', async () => {
    const { verdict, lines } = await runAndCheck(shopStarter);
    expect(lines.slice(0, 4)).toEqual(['sent order #1', 'sent order #2', 'sent order #3', 'sent order #4']);
    expect(lines).toContain('worker started: 0 orders waiting');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The broker restarted at 1.00 s. Orders #1, #2, #3 and #4 had reached the queue, '
      + 'but as transient messages: the restart wiped them, and nobody told the shop.');
    expect(verdict.messages[1]).toBe('Orders #5, #6, #7, #8, #9 and #10 were never published: the restart closed the '
      + 'shop\'s connection, and its next call failed with IllegalOperationError: Channel closed (line 20).');
    expect(verdict.messages[2]).toBe('The worker shipped none of the 10 orders.');
  });

  it('passes the solution: unconfirmed orders are published again after the restart', async () => {
    const { result, verdict, lines } = await runAndCheck(shopSolution);
    expect(result.status).toBe('quiescent');
    expect(lines).toContain('not confirmed: #5 #6 #7 #8 #9 #10; trying again');
    expect(lines).toContain('shop closed: every order confirmed');
    expect(verdict.passed, verdict.messages.join('\n')).toBe(true);
    expect(verdict.messages[0]).toMatch(/^All 10 orders were shipped, although the broker restarted at 1\.00 s/);
  });

  it('fails a shop that makes its orders persistent but neither confirms nor publishes again', async () => {
    const shop = variant(shopStarter, 'channel.sendToQueue(QUEUE, body);', 'channel.sendToQueue(QUEUE, body, { persistent: true });');
    const { verdict } = await runAndCheck(shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The broker restarted at 1\.00 s\. Orders #5, .* were never published: the restart closed the shop's connection, and its next call failed with IllegalOperationError: Channel closed/);
    expect(verdict.messages.at(-1)).toBe('The worker shipped only 4 of the 10 orders.');
  });

  it('fails a shop that republishes unconfirmed orders but sends them as transient messages', async () => {
    const shop = variant(shopSolution, '{ persistent: true }', '{ persistent: false }');
    const { verdict } = await runAndCheck(shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The broker restarted at 1\.00 s\. Orders #1, #2, #3 and #4 had reached the queue, but as transient messages/);
  });

  it('never throws on junk', () => {
    for (const junk of [undefined, null, 1, {}, { trace: 'x' }, { trace: [null, 1, 'x'] }, { status: 'error', trace: [] }]) {
      expect(() => checkPublisherConfirmsRun(junk)).not.toThrow();
      expect(checkPublisherConfirmsRun(junk).passed).toBe(false);
    }
  });
});
