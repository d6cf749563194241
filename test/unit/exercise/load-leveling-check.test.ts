/**
 * Exercise 7 (`07-load-leveling`) end to end: the starter, the solution and the typical wrong choices run on the
 * simulator through the runner and the check judges the real traces. The starter (1 worker) must fail because the
 * queue does not drain before the next burst; the solution (5 workers) and other good choices must pass; workers
 * sized for the average only, an unlimited prefetch that hides the backlog in the workers, a producer made to send
 * less, faster fake packing, packing in parallel and a pool over budget must each fail with the sentence that names
 * what went wrong.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { checkLoadLevelingRun, loadLevelingExercise } from '../../../content/exercises/07-load-leveling.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run } = loadLevelingExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'shop.mjs' });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

/** The starter with another consumer side. */
function pool(workers: number, prefetch: number): string {
  expect(starterCode).toMatch(/^const WORKERS = 1;$/m);
  expect(starterCode).toMatch(/^const PREFETCH = 1;/m);
  return starterCode.replace('const WORKERS = 1;', `const WORKERS = ${workers};`)
    .replace('const PREFETCH = 1;', `const PREFETCH = ${prefetch};`);
}

describe('exercise 7 on the simulator', () => {
  it('is registered under its id', () => {
    expect(getExercise('07-load-leveling')).toBe(loadLevelingExercise);
    expect(loadLevelingExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: one worker falls behind with every burst', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The queue did not drain in time. When burst 2 arrived (at 2.22 s), 13 orders of '
      + 'burst 1 were not packed yet: 12 still waiting in the queue and 1 held by a worker.');
    expect(verdict.messages[1]).toBe('On average the sale brings 10 orders a second; your 1 worker packed about 3.5 a '
      + 'second, so every burst leaves more behind than the one before.');
    // What went wrong, measured; not the fix.
    expect(verdict.messages.join(' ')).not.toMatch(/WORKERS|5 workers/);
  });

  it('passes the solution: 5 workers with prefetch 1', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).toBe('completed');
    expect(verdict.messages[0]).toBe('All 4 bursts were packed before the next one arrived (the slowest in 1,080 ms of '
      + 'its 2,000 ms), and no order waited more than 830 ms for a worker (the goal was at most 900 ms).');
    expect(verdict.messages[1]).toMatch(/^80 of 80 orders were acknowledged after packing, by 5 workers with prefetch 1\./);
    expect(verdict.passed).toBe(true);
  });

  it.each([[6, 1], [5, 3], [6, 0]])('passes %i workers with prefetch %i', async (workers, prefetch) => {
    const { verdict } = await runAndCheck(pool(workers, prefetch));
    expect(verdict.passed).toBe(true);
  });

  it('fails 3 workers (enough for the average): the last orders of a burst wait too long', async () => {
    const { verdict } = await runAndCheck(pool(3, 1));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Every burst was packed in time, but order 1-19 waited 1,640 ms before a worker '
      + 'started packing it; the goal is at most 900 ms.');
    expect(verdict.messages[1]).toMatch(/^It spent 1,630 ms in the queue and 10 ms in a worker's prefetch buffer/);
  });

  it('fails a bigger prefetch with too few workers: waiting moves from the queue into the workers\' buffers', async () => {
    const { verdict } = await runAndCheck(pool(3, 4));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Every burst was packed in time, but order 1-19 waited 1,520 ms/);
    expect(verdict.messages[1]).toMatch(/^It spent 780 ms in the queue and 740 ms in a worker's prefetch buffer/);
  });

  it('fails an unlimited prefetch with 2 workers: the queue looks empty while the workers hold the backlog', async () => {
    const { verdict } = await runAndCheck(pool(2, 0));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The queue did not drain in time\. When burst 2 arrived \(at [\d.]+ s\), 4 orders of burst 1 were not packed yet: 0 still waiting in the queue and 4 held by workers\.$/);
    expect(verdict.messages[1]).toBe('The queue itself was empty, but the workers held the backlog: a large prefetch '
      + 'moves orders from the queue into the workers\' buffers, it does not pack them any faster.');
  });

  it('fails a pool over the budget of 6 workers', async () => {
    const { verdict } = await runAndCheck(pool(8, 1));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('8 workers consumed the orders, but the budget pays for at most 6.');
  });

  it('fails a producer that sends less often (bursts 4 s apart)', async () => {
    const source = variant(pool(2, 1), 'const BURST_EVERY_MS = 2000;', 'const BURST_EVERY_MS = 4000;');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Burst 2 came 4,020 ms after burst 1; the sale sends a burst every 2,000 ms.');
  });

  it('fails a producer that spreads each burst out', async () => {
    const source = variant(pool(3, 1), /(channel\.sendToQueue\(QUEUE, [^\n]*\n)/, '$1    await sleep(90);\n');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Burst 1\'s orders were sent over 1,710 ms: the sale sends each burst at once.');
  });

  it('fails faster packing than the exercise allows', async () => {
    const source = variant(pool(2, 1), 'const PACK_MS = 250;', 'const PACK_MS = 100;');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Order 1-1 was acknowledged 100 ms after it reached worker 1, but packing an order '
      + 'takes 250 ms.');
  });

  it('fails a worker that packs several orders at once', async () => {
    const source = variant(pool(2, 0), 'previous = previous.then(async () => {', 'Promise.resolve().then(async () => {');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Worker 1 finished two orders only 0 ms apart, so it packed several at once.');
  });

  it('fails workers that never acknowledge', async () => {
    const source = variant(pool(5, 1), /\n {6}channel\.ack\(msg\);[^\n]*/, '');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The queue did not drain in time\./);
    expect(verdict.messages[1]).toBe('No order was acknowledged at all: does each worker call `channel.ack(msg)` after packing?');
  });
});

describe('exercise 7 check on runs that are not usable', () => {
  it('fails garbage, a failed run and an empty run with a message, never throwing', () => {
    for (const junk of [undefined, null, 42, 'trace', {}, { trace: 'no' }]) {
      const verdict = checkLoadLevelingRun(junk);
      expect(verdict.passed).toBe(false);
      expect(verdict.messages[0]).toMatch(/no trace/);
    }
    const failed = checkLoadLevelingRun({ status: 'error', trace: [], console: [], endedAtMs: 0,
      error: { name: 'IllegalOperationError', message: 'Channel closed' } });
    expect(failed.messages[0]).toBe('The program stopped with IllegalOperationError: Channel closed before the orders '
      + 'could be judged.');
    const malformed = checkLoadLevelingRun({ status: 'completed', trace: [{ kind: 'published' }, { t: 1 }, null], console: [], endedAtMs: 1 });
    expect(malformed.passed).toBe(false);
    expect(malformed.messages[0]).toBe('No order was published, so there is nothing to pack.');
  });
});
