/**
 * Exercise 17 (`17-kafka-partitions`) end to end: three shipping workers and the shop run on the simulated Kafka as
 * Check runs them (`shipping.mjs shipping.mjs shipping.mjs shop.mjs`), and the check judges the real traces. The
 * starter (events without a key) must fail because a customer's events were finished out of order; the solution
 * (the customer as the key) must pass; every event sent to one partition, a topic of one partition, and a shop
 * that leaves events out must each fail with the sentence that names what went wrong.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkKafkaPartitionsRun, kafkaPartitionsExercise } from '../../../content/exercises/17-kafka-partitions.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run, files } = kafkaPartitionsExercise;
const shipping = files!.find((f) => f.name === 'shipping.mjs')!.solution;

async function runAndCheck(shop: string, worker = shipping) {
  const result = await runPrograms([
    { source: worker, filename: 'shipping.mjs' },
    { source: worker, filename: 'shipping.mjs' },
    { source: worker, filename: 'shipping.mjs' },
    { source: shop, filename: 'shop.mjs' },
  ], { seed: run.seed, untilMs: run.untilMs });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 17 on the simulator', () => {
  it('is registered under its id, with the run line Check uses', () => {
    expect(getExercise('17-kafka-partitions')).toBe(kafkaPartitionsExercise);
    expect(kafkaPartitionsExercise.runLine).toBe('shipping.mjs shipping.mjs shipping.mjs shop.mjs');
    expect(kafkaPartitionsExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: without keys a customer\'s events are spread and finished out of order', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^[A-Z][a-z]+'s events were handled out of order: (paid|shipped) was finished \([\d.]+ s by shipping\.mjs#\d, order-events p\d\) before (placed|paid) \([\d.]+ s by shipping\.mjs#\d, order-events p\d\), which the shop had sent first\.$/);
    expect(verdict.messages[1]).toMatch(/three events were in partitions p\d(, p\d)* and p\d\.$/);
    expect(verdict.messages.join(' ')).not.toMatch(/\bkey\b/);
  });

  it('passes the solution: the customer as the key keeps each customer in one partition', async () => {
    const { verdict } = await runAndCheck(solutionCode);
    expect(verdict.messages[0]).toMatch(/^Every customer's events were handled in the order the shop sent them: placed, paid, shipped\. Each customer's events sat in one partition \(.+ in p\d.*\), read by one worker in offset order\.$/);
    expect(verdict.passed).toBe(true);
  });

  it('fails a shop that sends every event to partition 0: order holds, but one worker does all the work', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, 'messages: [{ value:', 'messages: [{ partition: 0, value:'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 12 events went to partition p0, so one shipping worker did all the work while the other two had nothing to read.');
  });

  it('fails a topic of one partition', async () => {
    const one = (s: string) => variant(s, "{ topic: 'order-events', numPartitions: 3 }", "{ topic: 'order-events', numPartitions: 1 }");
    const { verdict } = await runAndCheck(one(starterCode), one(shipping));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The topic `order-events` has 1 partition; the exercise\'s topic has 3, one for each shipping worker.');
  });

  it('fails a shop that leaves a customer out', async () => {
    const { verdict } = await runAndCheck(variant(solutionCode, "['ana', 'ben', 'chen', 'dara']", "['ana', 'ben', 'chen']"));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The log holds 9 order events; the exercise\'s shop sends 3 for each of 4 customers (dara has 0).');
  });

  it('fails garbage and failed runs with a message', () => {
    for (const junk of [undefined, null, 42, {}, { trace: 'no' }, { status: 'error', trace: [], error: { name: 'TypeError', message: 'x', line: 3 } }]) {
      const v = checkKafkaPartitionsRun(junk);
      expect(v.passed).toBe(false);
      expect(v.messages[0].length).toBeGreaterThan(10);
    }
  });
});
