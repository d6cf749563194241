/**
 * Exercise 15 (`15-ttl-and-limits`) end to end: the pricer and the feed run on the simulator as the code runner runs
 * them, and the check judges the traces. The starter fails (stale prices handled); the solution passes; typical wrong
 * programs fail with the sentence that names what went wrong: a TTL without a length limit, a length limit without a
 * TTL, limits without a dead-letter route, reject-publish (refused updates are not dead-lettered), no prefetch
 * limit, a handler made faster. Garbage fails too.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { ttlAndLimitsExercise, checkTtlAndLimitsRun } from '../../../content/exercises/15-ttl-and-limits.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { files, run, check } = ttlAndLimitsExercise;
const file = (name: string) => files!.find((f) => f.name === name)!;
const PRICER = file('pricer.mjs');
const FEED = file('feed.mjs');

async function runAndCheck(pricer: string) {
  const result = await runPrograms([
    { source: pricer, filename: 'pricer.mjs', args: [] },
    { source: FEED.solution, filename: 'feed.mjs', args: ['30'] },
  ], run);
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 15 on the simulator', () => {
  it('is registered under its id, with two files and a run line', () => {
    expect(getExercise('15-ttl-and-limits')).toBe(ttlAndLimitsExercise);
    expect(ttlAndLimitsExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(FEED.starter).toBe(FEED.solution);
  });

  it('fails the starter: the pricer handles updates that waited seconds', async () => {
    const { result, verdict } = await runAndCheck(PRICER.starter);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The pricer handled \d+ stale updates: update 30 had waited [\d,]+ ms in "ex15\.prices" when it was delivered \(stale after 2,000 ms\)\.$/);
    expect(verdict.messages.join(' ')).not.toMatch(/messageTtl|maxLength|deadLetter/);
  });

  it('passes the solution', async () => {
    const { result, verdict } = await runAndCheck(PRICER.solution);
    expect(result.status).toBe('quiescent');
    expect(verdict.messages[0]).toMatch(/^The pricer handled 10 updates, none older than 2,000 ms; "ex15\.prices" held at most 10 and the other 20 updates went to "ex15\.audit" \(x-death reason expired and maxlen\)\.$/);
    expect(verdict.passed).toBe(true);
  });

  it('passes reject-publish-dlx (refused updates are dead-lettered too)', async () => {
    const pricer = variant(PRICER.solution, 'maxLength: 10,', "maxLength: 10,\n  overflow: 'reject-publish-dlx',");
    const { verdict } = await runAndCheck(pricer);
    expect(verdict.passed).toBe(true);
  });

  it('fails a TTL without a length limit: the queue holds more than 10', async () => {
    const { verdict } = await runAndCheck(variant(PRICER.solution, '  maxLength: 10,\n', ''));
    expect(verdict.messages[0]).toMatch(/^"ex15\.prices" held \d+ updates at [\d.]+ s; it may hold at most 10\.$/);
  });

  it('fails a length limit without a TTL: stale updates are handled', async () => {
    const { verdict } = await runAndCheck(variant(PRICER.solution, '  messageTtl: 2000,\n', ''));
    expect(verdict.messages[0]).toMatch(/^The pricer handled \d+ stale updates?: /);
  });

  it('fails limits without a dead-letter route: the expired and dropped updates are thrown away', async () => {
    const pricer = variant(PRICER.solution, "  deadLetterExchange: '',\n  deadLetterRoutingKey: AUDIT,\n", '');
    const { verdict } = await runAndCheck(pricer);
    expect(verdict.messages[0]).toMatch(/^20 updates never reached "ex15\.audit" \(updates .*\): the broker threw them away when they expired or were pushed out\.$/);
  });

  it('fails reject-publish: the refused updates are not dead-lettered', async () => {
    const pricer = variant(PRICER.solution, 'maxLength: 10,', "maxLength: 10,\n  overflow: 'reject-publish',");
    const { verdict } = await runAndCheck(pricer);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/never reached "ex15\.audit" .*reject-publish/);
  });

  it('fails a pricer without a prefetch limit: the backlog waits in the pricer', async () => {
    const { verdict } = await runAndCheck(variant(PRICER.solution, 'await channel.prefetch(1);\n', ''));
    expect(verdict.messages[0]).toMatch(/^The pricer consumed with no prefetch limit, so the broker handed it many updates at once/);
  });

  it('fails a pricer made faster', async () => {
    const { verdict } = await runAndCheck(variant(PRICER.starter, 'const HANDLE_MS = 500;', 'const HANDLE_MS = 50;'));
    expect(verdict.messages[0]).toMatch(/^The pricer acknowledged update 1 after \d+ ms; handling a price takes 500 ms\.$/);
  });

  it('fails garbage without throwing', () => {
    expect(checkTtlAndLimitsRun(undefined).passed).toBe(false);
    expect(checkTtlAndLimitsRun({ trace: [1, null, { kind: 'enqueued' }] }).passed).toBe(false);
    expect(checkTtlAndLimitsRun({ status: 'error', trace: [], error: { name: 'Error', message: 'x' } }).passed).toBe(false);
  });
});
