/**
 * Exercise 12 (`12-rabbitmq-setup`) end to end: the nightly job runs on the simulator as the code runner runs it, and
 * the check judges the trace. The starter fails (the probe's 404 closed the only channel, so sending the orders
 * failed); the solution passes (the probe has a channel of its own); typical wrong programs fail with the sentence
 * that names what went wrong: a probe channel without an 'error' listener (the connection goes down), a probe that
 * declares the queue, no probe at all. Garbage fails too.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { rabbitmqSetupExercise, checkRabbitmqSetupRun } from '../../../content/exercises/12-rabbitmq-setup.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, run, check } = rabbitmqSetupExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'nightly.mjs' });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 12 on the simulator', () => {
  it('is registered under its id', () => {
    expect(getExercise('12-rabbitmq-setup')).toBe(rabbitmqSetupExercise);
    expect(rabbitmqSetupExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: the 404 closed the only channel, and sending the orders failed', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('error');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The job stopped with IllegalOperationError: Channel closed \(line \d+\)\. At [\d.]+ s the broker had closed channel 1 with 404 \(NOT_FOUND - no queue 'ex12\.reports' in vhost '\/'\), and every later call on that channel fails\.$/);
    expect(verdict.messages.join(' ')).not.toMatch(/createChannel/);
  });

  it('passes the solution', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).not.toBe('error');
    expect(verdict.messages[0]).toBe('All 3 orders reached "ex12.billing" on channel 1, while the question about '
      + '"ex12.reports" closed channel 2 (404 NOT_FOUND) and nothing else.');
    expect(verdict.passed).toBe(true);
  });

  it('fails a probe channel without an error listener: the whole connection goes down', async () => {
    const { verdict } = await runAndCheck(variant(solutionCode, "probe.on('error', () => {});\n", ''));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The job stopped with IllegalOperationError: Channel closed/);
  });

  it('fails a probe that declares the queue', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, 'await channel.checkQueue(REPORTS);', 'await channel.assertQueue(REPORTS, { durable: false });'));
    expect(verdict.messages[0]).toMatch(/^The job declared the queue "ex12\.reports"/);
  });

  it('fails a job that no longer asks', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, '  await channel.checkQueue(REPORTS);\n', '  reportsRunning = false;\n'));
    expect(verdict.messages[0]).toBe('The job never asked whether "ex12.reports" exists, so it cannot know whether the reports service runs.');
  });

  it('fails garbage without throwing', () => {
    expect(checkRabbitmqSetupRun(undefined).passed).toBe(false);
    expect(checkRabbitmqSetupRun({ trace: [1, null, { kind: 'channel-closed' }] }).passed).toBe(false);
    expect(checkRabbitmqSetupRun({ status: 'error', trace: [{ kind: 'channel-closed', t: 1, reason: 5 }], error: null }).passed).toBe(false);
  });
});
