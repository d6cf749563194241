/**
 * Exercise 4 end to end in Node: the starter, the solution and typical wrong programs run on the simulator through
 * the runner (as the code runner's Web Worker does), and the check judges their real traces: every photo
 * acknowledged after 400 ms of one-at-a-time work, the last ack within 5 s of the upload, the uploader unchanged.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { scalabilityExercise } from '../../../content/exercises/04-scalability.ts';

const { starterCode, solutionCode, check, run } = scalabilityExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'shop.mjs' });
  return { result, verdict: check(result) };
}

/** `source` with `from` replaced by `to` (which must occur). */
function edit(source: string, from: string | RegExp, to: string): string {
  const out = source.replace(from, to);
  expect(out, `no ${String(from)} in the program`).not.toBe(source);
  return out;
}

const workers = (n: number, source = solutionCode) => edit(source, /const WORKERS = \d+;/, `const WORKERS = ${n};`);
const lastLine = (result: Awaited<ReturnType<typeof runAndCheck>>['result']) => result.console.at(-1)?.text ?? '';

describe('exercise 4 on the simulator', () => {
  it('fails the starter: one worker needs 16 s; the verdict says how late, not how to fix it', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    expect(lastLine(result)).toBe('all 40 thumbnails made 16.1 s after the photos were queued');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 40 thumbnails were made, but the last was acknowledged 16.1 s after the photos '
      + 'were queued: 11.1 s over the 5.0 s budget.');
    expect(verdict.messages[1]).toBe('One worker made all 40, one after another: 40 × 0.4 s is 16.0 s of work for a single worker.');
    expect(verdict.messages.join(' ')).not.toMatch(/prefetch|WORKERS/);
  });

  it('passes the solution: five workers with prefetch 1 share the backlog in under 4 s', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(lastLine(result)).toBe('all 40 thumbnails made 3.8 s after the photos were queued');
    expect(verdict.messages[0]).toBe('All 40 thumbnails were made and acknowledged 3.8 s after the photos were queued, within the 5.0 s budget.');
    expect(verdict.messages[1]).toMatch(/^5 workers shared the backlog \(worker 1: 8, worker 2: 8, worker 3: 8, worker 4: 8, worker 5: 8\); the uploader did not change/);
    expect(verdict.passed).toBe(true);
  });

  it('passes other correct scalings: four workers with prefetch 1, ten workers, workers started before the upload', async () => {
    expect((await runAndCheck(workers(4))).verdict.passed).toBe(true);
    expect((await runAndCheck(workers(10))).verdict.passed).toBe(true);
    // Workers subscribed before the photos arrive get them round-robin even without a prefetch limit.
    const early = workers(4, starterCode)
      .replace('// ── The uploader: leave it as it is', 'const stopEarly = [];\n// ── The uploader: leave it as it is');
    const moved = moveWorkersFirst(early);
    const { verdict } = await runAndCheck(moved);
    expect(verdict.messages[0]).toMatch(/within the 5\.0 s budget/);
    expect(verdict.passed).toBe(true);
  });

  it('fails more workers without a prefetch limit: the first one takes the whole backlog', async () => {
    const { verdict } = await runAndCheck(workers(4, starterCode));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^All 40 thumbnails were made, but the last was acknowledged 16\.1 s after/);
    expect(verdict.messages[1]).toBe('4 workers were subscribed, but worker 1 received 40 of the 40 photos and worker 2, '
      + 'worker 3 and worker 4 received none (worker 1: 40, worker 2: 0, worker 3: 0, worker 4: 0). Worker 1 took its '
      + 'share the moment it subscribed, before the others were there to ask.');
  });

  it('fails too few workers, with the spread and the busiest worker\'s time', async () => {
    const { verdict } = await runAndCheck(workers(3));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^All 40 thumbnails were made, but the last was acknowledged 6\.0 s after the photos were queued: 1\.0 s over/);
    expect(verdict.messages[1]).toBe('3 workers shared the photos (worker 1: 14, worker 2: 13, worker 3: 13). At 0.4 s a '
      + 'photo, the busiest of them, with 14, needed at least 5.6 s.');
  });

  it('fails a shorter WORK_MS: the acks come sooner than the work allows', async () => {
    const { result, verdict } = await runAndCheck(edit(starterCode, 'const WORK_MS = 400;', 'const WORK_MS = 100;'));
    expect(lastLine(result)).toMatch(/made 4\.\d s after/);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Worker 1 acknowledged product-1.jpg 100 ms after it arrived, but making a thumbnail takes 400 ms of work.');
  });

  it('fails a worker that makes all its thumbnails at once instead of one at a time', async () => {
    const concurrent = edit(edit(starterCode, 'line = line.then(async () => {', '(async () => {'),
      /if \(made === PHOTOS\) allMade\(\);\n {4}\}\);/, 'if (made === PHOTOS) allMade();\n    })();');
    const { result, verdict } = await runAndCheck(concurrent);
    expect(lastLine(result)).toMatch(/made 0\.5 s after/);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Worker 1 worked on several photos at once: it acknowledged product-1.jpg and product-2.jpg only 0 ms apart.');
  });

  it('fails an uploader that queues fewer photos', async () => {
    const { verdict } = await runAndCheck(edit(solutionCode, 'const PHOTOS = 40;', 'const PHOTOS = 10;'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The uploader should queue the same 40 photos as before \(product-1\.jpg to product-40\.jpg, in that order\); this run queued 10 messages/);
  });

  it('fails photos published from a worker\'s connection', async () => {
    const extra = edit(solutionCode, "  await channel.prefetch(1);", "  await channel.prefetch(1);\n  if (n === 1) channel.sendToQueue(QUEUE, Buffer.from('{\"photo\":\"extra.jpg\"}'));");
    const source = edit(extra, 'if (made === PHOTOS) allMade();', 'if (made === PHOTOS + 1) allMade();');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Besides the uploader, worker 1 published 1 message to `thumbnail-jobs`.');
  });

  it('fails automatic acknowledgement: nothing was acknowledged after the work', async () => {
    const source = edit(edit(solutionCode, '      channel.ack(msg);\n', ''), /\n {4}\}\);\n {2}\}\);/, '\n    });\n  }, { noAck: true });');
    const { verdict } = await runAndCheck(edit(source, '  await channel.prefetch(1);', ''));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^No photos were acknowledged after their thumbnails were made: the workers consumed with automatic acknowledgement/);
  });
});

/** Moves the worker start-up (and its constants) above the uploader, so the workers subscribe first. */
function moveWorkersFirst(source: string): string {
  const uploaderStart = source.indexOf('// ── The uploader');
  const workersStart = source.indexOf('// ── The thumbnail workers');
  const startLoop = source.indexOf('const stopWorkers = [];');
  const awaitFinished = source.indexOf('await finished;');
  const uploader = source.slice(uploaderStart, workersStart);
  const workerPart = source.slice(workersStart, awaitFinished);
  expect(startLoop).toBeGreaterThan(workersStart);
  return source.slice(0, uploaderStart) + workerPart + uploader + source.slice(awaitFinished);
}
