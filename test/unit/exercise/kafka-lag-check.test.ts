/**
 * Exercise 19 (`19-kafka-lag`) end to end: the click tracker and two counters run on the simulated Kafka as Check
 * runs them (`clicks.mjs --at 1s counter.mjs --at 1s counter.mjs`), and the check judges the real traces. The
 * starter (a topic of one partition: one counter idle) must fail because the group was still behind at 25 s; the
 * solution (two partitions) must pass; a counter made faster, a tracker that sends fewer clicks and garbage runs
 * must fail with the sentence that names what went wrong in the run.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { lagAt } from '../../../simulator/brokers/kafka/queries.ts';
import { checkKafkaLagRun, kafkaLagExercise } from '../../../content/exercises/19-kafka-lag.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run, files } = kafkaLagExercise;
const counter = files!.find((f) => f.name === 'counter.mjs')!.solution;

async function runAndCheck(clicks: string, worker = counter) {
  const result = await runPrograms([
    { source: clicks, filename: 'clicks.mjs' },
    { source: worker, filename: 'counter.mjs', startAtMs: 1_000 },
    { source: worker, filename: 'counter.mjs', startAtMs: 1_000 },
  ], { seed: run.seed, untilMs: run.untilMs });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 19 on the simulator', () => {
  it('is registered under its id, with the run line Check uses', () => {
    expect(getExercise('19-kafka-lag')).toBe(kafkaLagExercise);
    expect(kafkaLagExercise.runLine).toBe('clicks.mjs --at 1s counter.mjs --at 1s counter.mjs');
    expect(kafkaLagExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: one partition, one counter idle, still behind at 25 s', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(lagAt(result.trace, 'analytics', 15_000).total).toBeGreaterThan(100);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^At 25\.00 s the group `analytics` was still \d+ clicks behind \(lag on clicks p0: \d+\); it caught up only at [\d.]+ s\.$/);
    expect(verdict.messages[1]).toMatch(/^counter\.mjs#\d consumer owned no partition and recorded nothing/);
  });

  it('passes the solution: two partitions, both counters at work, lag 0 by 25 s', async () => {
    const { verdict } = await runAndCheck(solutionCode);
    expect(verdict.messages[0]).toMatch(/^At 25\.00 s the group `analytics` had recorded all 300 clicks and its lag was 0\. Both counters worked/);
    expect(verdict.passed).toBe(true);
  });

  it('fails counters made faster than 100 ms a click', async () => {
    const { verdict } = await runAndCheck(starterCode, variant(counter, 'setTimeout(resolve, 100)', 'setTimeout(resolve, 10)'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('300 clicks took a counter less than 100 ms to record.');
  });

  it('fails a tracker that sends fewer clicks', async () => {
    const { verdict } = await runAndCheck(variant(solutionCode, 'n <= 300', 'n <= 100'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The topic `clicks` holds 100 clicks; the exercise\'s tracker sends 300.');
  });

  it('fails garbage and failed runs with a message', () => {
    for (const junk of [undefined, null, 42, {}, { trace: 'no' }, { status: 'error', trace: [], error: { name: 'TypeError', message: 'x', line: 3 } }]) {
      const v = checkKafkaLagRun(junk);
      expect(v.passed).toBe(false);
      expect(v.messages[0].length).toBeGreaterThan(10);
    }
  });
});
