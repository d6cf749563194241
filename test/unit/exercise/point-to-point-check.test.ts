/**
 * Exercise 8 (`08-point-to-point`) end to end: the program runs on the simulator as the code runner runs it, and the
 * check judges the trace. The starter fails because the jobs are dealt out evenly and the fast worker waits for the
 * slow one; the solution (prefetch 1) passes, and so does prefetch 2; typical wrong programs fail with the sentence
 * that names what went wrong: a large prefetch, a fast worker alone, a faster "slow" machine, automatic acks.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { checkPointToPointRun, pointToPointExercise } from '../../../content/exercises/08-point-to-point.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run } = pointToPointExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'thumbnails.mjs' });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

const withPrefetch = (n: number) => variant(solutionCode, 'await channel.prefetch(1);', `await channel.prefetch(${n});`);

describe('exercise 8 on the simulator', () => {
  it('is registered under its id', () => {
    expect(getExercise('08-point-to-point')).toBe(pointToPointExercise);
    expect(pointToPointExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: ten jobs each, and the fast worker sits idle while the slow one works', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^All 20 thumbnails were done 6\.02 s after the first job was published; the goal is 3\.00 s\. The fast worker did 10 of the 20 jobs and the slow one 10\.$/);
    expect(verdict.messages[1]).toMatch(/^The fast worker finished its last job at 1\.02 s and then sat idle for 5\.00 s, while the slow worker still held 9 jobs \(delivered to it, not yet done\)\.$/);
    expect(verdict.messages.join(' ')).not.toMatch(/prefetch/);
  });

  it('passes the solution: prefetch 1, the fast worker does most of the jobs', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).toBe('completed');
    expect(verdict.messages[0]).toMatch(/^All 20 thumbnails were done 2\.\d\d s after the first job was published \(the goal was at most 3\.00 s\), each once: the fast worker did 16 of the 20 jobs and the slow one 4\.$/);
    expect(verdict.passed).toBe(true);
  });

  it('passes a prefetch of 2 too', async () => {
    expect((await runAndCheck(withPrefetch(2))).verdict.passed).toBe(true);
  });

  it('fails a large prefetch (10): still dealt out evenly', async () => {
    const { verdict } = await runAndCheck(withPrefetch(10));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/The fast worker did 10 of the 20 jobs and the slow one 10\.$/);
  });

  it('fails a fast worker alone', async () => {
    const source = variant(solutionCode, "await startWorker('slow worker', 600)", "await startWorker('slow worker', 600).then(async (c) => { await c.close(); return c; })");
    const { verdict } = await runAndCheck(variant(source, 'for (const c of [...workers, connection]) await c.close();',
      'for (const c of [workers[0], connection]) await c.close();'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The slow worker did no job: the other worker rendered all 20 thumbnails.');
  });

  it('fails a "slow" machine made faster', async () => {
    const { verdict } = await runAndCheck(variant(starterCode, "startWorker('slow worker', 600)", "startWorker('slow worker', 100)"));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The slow worker finished photo-2 1\d\d ms after it arrived, but a thumbnail takes that machine 600 ms\.$/);
  });

  it('fails workers with automatic acknowledgements', async () => {
    const source = variant(variant(starterCode, "await channel.consume(QUEUE, (msg) => {", "await channel.consume(QUEUE, (msg) => {\n    if (msg === null) return;"),
      /\}\);\n  return connection;/, '}, { noAck: true });\n  return connection;');
    const { verdict } = await runAndCheck(variant(source, '      channel.ack(msg);\n', ''));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/the moment it arrived \(automatic acknowledgement\)/);
  });

  it('fails garbage and failed runs with a message', () => {
    expect(checkPointToPointRun(undefined).passed).toBe(false);
    expect(checkPointToPointRun({ trace: [] }).messages[0]).toMatch(/recorded nothing/);
    expect(checkPointToPointRun({ trace: [{ kind: 'published', t: 1 }, 7, null] }).passed).toBe(false);
  });
});
