/**
 * Exercise 16 (`16-kafka-log`) end to end: the shop, billing and fraud-check programs run on the simulated Kafka as
 * Check runs them (`shop.mjs billing.mjs fraud-check.mjs`), and the check judges the real traces. The starter (a
 * copy of billing: group `billing`, no fromBeginning) must fail because its group had already committed the log
 * end; the solution (its own group, fromBeginning) must pass; a new group without fromBeginning, billing's group
 * with fromBeginning, billing's group with a seek back to 0, and a seek past the first orders must each fail with
 * the sentence that names what went wrong. Garbage and failed runs fail with a message too.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkKafkaLogRun, kafkaLogExercise } from '../../../content/exercises/16-kafka-log.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run, files } = kafkaLogExercise;
const file = (name: string) => files!.find((f) => f.name === name)!.solution;

async function runAndCheck(fraudCheck: string, shop = file('shop.mjs')) {
  const result = await runPrograms([
    { source: shop, filename: 'shop.mjs' },
    { source: file('billing.mjs'), filename: 'billing.mjs' },
    { source: fraudCheck, filename: 'fraud-check.mjs' },
  ], { seed: run.seed, untilMs: run.untilMs });
  return { result, verdict: check(result) };
}

/** `source` with `from` replaced by `to`; fails the test if `from` is not in it (the variant would be silent). */
function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

const OWN_GROUP = "kafka.consumer({ groupId: 'fraud-check' })";
const BILLING_GROUP = "kafka.consumer({ groupId: 'billing' })";
const FROM_BEGINNING = "subscribe({ topics: ['orders'], fromBeginning: true })";
const LATEST = "subscribe({ topics: ['orders'] })";

describe('exercise 16 on the simulator', () => {
  it('is registered under its id, with the run line Check uses', () => {
    expect(getExercise('16-kafka-log')).toBe(kafkaLogExercise);
    expect(kafkaLogExercise.runLine).toBe('shop.mjs billing.mjs fraud-check.mjs');
    expect(kafkaLogExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: it joined billing\'s group, whose committed offset was already the log end', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The fraud check read none of the 8 orders. Its consumer joined group `billing`, the '
      + 'billing service\'s own group, whose committed offset on orders p0 was already 8: the log-end offset, past every '
      + 'order in the log.');
    // The first message says what went wrong, not how to fix it.
    expect(verdict.messages.join(' ')).not.toMatch(/fromBeginning|groupId/);
  });

  it('passes the solution: its own group, read from the beginning', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.console.filter((l) => /^fraud-check: order \d+ \(offset \d\) /.test(l.text))).toHaveLength(8);
    expect(verdict.messages[0]).toBe('Group `fraud-check` read all 8 orders, offsets 0 to 7, and group `billing` had '
      + 'read the same 8: each group has its own committed offset, and reading took nothing out of the log.');
    expect(verdict.passed).toBe(true);
  });

  it('fails a group of its own without fromBeginning: a new group starts at the log end', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, BILLING_GROUP, OWN_GROUP));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The fraud check read none of the 8 orders. Its group, `fraud-check`, had never '
      + 'committed an offset, so its consumer started at the log-end offset, 8: after every order already in the log.');
  });

  it('fails billing\'s group with fromBeginning: a committed offset wins over fromBeginning', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, LATEST, FROM_BEGINNING));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The fraud check read none of the 8 orders\. Its consumer joined group `billing`/);
  });

  it('fails a seek back to offset 0 inside billing\'s group: it reads, but moves billing\'s position', async () => {
    // With one partition, whichever member gets it after the rebalance; retry seeds until the fraud check owns it.
    const source = variant(starterCode, /\n\}\);\n$/, "\n});\nconsumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic: 'orders', partition: 0, offset: '0' }));\n");
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The fraud check read (none of the 8 orders\. Its consumer joined group `billing`|all 8 orders, but as a member of group `billing`)/);
  });

  it('fails a fraud check that skips the oldest orders (a seek to offset 3 in its own group)', async () => {
    const own = variant(variant(starterCode, BILLING_GROUP, OWN_GROUP), LATEST, FROM_BEGINNING);
    const source = variant(own, /\n\}\);\n$/, "\n});\nconsumer.seek({ topic: 'orders', partition: 0, offset: '3' });\n");
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The fraud check read offsets 3, 4, 5, 6 and 7 of `orders`, but not offsets 0, 1 and 2.');
  });

  it('fails when the shop was changed (the topic must hold its eight orders)', async () => {
    const { verdict } = await runAndCheck(solutionCode, variant(file('shop.mjs'), "  { id: 1008, customer: 'lena', amount: 710 },\n", ''));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The topic `orders` holds 7 records in 1 partition; the exercise\'s shop appends 8 orders to its one partition.');
  });

  it('fails a program that throws, and garbage, with a message', async () => {
    const { verdict } = await runAndCheck(variant(solutionCode, 'await consumer.connect();', 'await consumer.connect();\nnull.x;'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^A program stopped with TypeError: .* \(line \d+\) before the orders could be judged\.$/);
    for (const junk of [undefined, null, 42, 'x', {}, { trace: 'no' }, { status: 'completed', trace: [] }, { trace: [{ kind: 'kafka-client' }] }]) {
      const v = checkKafkaLogRun(junk);
      expect(v.passed).toBe(false);
      expect(v.messages[0].length).toBeGreaterThan(10);
    }
  });
});
