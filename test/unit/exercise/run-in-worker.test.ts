/**
 * The code runner's watchdog (src/components/code/run-in-worker.ts) with a fake Worker and fake timers: a program
 * that never returns is stopped 2 s (wall clock) after it started, the worker is always terminated, and the time
 * a worker takes to load is not held against the program.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_WALL_LIMIT_MS, runInWorker } from '../../../src/components/code/run-in-worker.ts';
import { judge } from '../../../src/components/exercise/exercise.ts';
import { workQueueExercise } from '../../../content/exercises/01-work-queue.ts';
import type { WorkerMessage } from '../../../src/workers/protocol.ts';

class FakeWorker extends EventTarget {
  posted: unknown[] = [];
  terminated = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated++;
  }
  /** Simulates a message from the worker to the page. */
  send(message: WorkerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
}

let worker: FakeWorker;
const createWorker = () => worker as unknown as Worker;

beforeEach(() => {
  vi.useFakeTimers();
  worker = new FakeWorker();
});
afterEach(() => {
  vi.useRealTimers();
});

const result = { status: 'completed' as const, endedAtMs: 5, trace: [], console: [] };

describe('runInWorker', () => {
  it('sends the program once and resolves with the result, then terminates the worker', async () => {
    const handle = runInWorker('console.log(1)', { language: 'js' }, { createWorker });
    expect(worker.posted).toEqual([{ type: 'run', source: 'console.log(1)', options: { language: 'js' } }]);
    worker.send({ type: 'started' });
    worker.send({ type: 'done', result });
    const outcome = await handle.outcome;
    expect(outcome).toMatchObject({ kind: 'finished', result });
    expect(worker.terminated).toBe(1);
  });

  it('streams console lines as they arrive', async () => {
    const lines: string[] = [];
    const handle = runInWorker('x', {}, { createWorker, onConsole: (l) => lines.push(l.text) });
    worker.send({ type: 'started' });
    worker.send({ type: 'console', line: { t: 0, level: 'log', text: 'a' } });
    worker.send({ type: 'console', line: { t: 3, level: 'warn', text: 'b' } });
    expect(lines).toEqual(['a', 'b']);
    worker.send({ type: 'done', result });
    await handle.outcome;
  });

  it('stops a program that runs past the wall-clock limit and terminates its worker', async () => {
    const handle = runInWorker('while (true) {}', {}, { createWorker });
    worker.send({ type: 'started' });
    vi.advanceTimersByTime(RUN_WALL_LIMIT_MS - 1);
    expect(worker.terminated).toBe(0);
    vi.advanceTimersByTime(1);
    expect(await handle.outcome).toEqual({ kind: 'timeout', limitMs: RUN_WALL_LIMIT_MS });
    expect(worker.terminated).toBe(1);
    worker.send({ type: 'done', result }); // too late: ignored
    expect(await handle.outcome).toEqual({ kind: 'timeout', limitMs: RUN_WALL_LIMIT_MS });
  });

  it('counts the limit from "started", not from creating the worker (loading is not the program\'s time)', async () => {
    const handle = runInWorker('x', {}, { createWorker, startLimitMs: 20_000 });
    vi.advanceTimersByTime(5_000); // slow download of the worker script
    worker.send({ type: 'started' });
    vi.advanceTimersByTime(RUN_WALL_LIMIT_MS - 1); // 5 s after creating the worker, just inside the limit since started
    worker.send({ type: 'done', result });
    expect((await handle.outcome).kind).toBe('finished');
  });

  it('with a warm worker (ready), counts the limit from the run request (the click), not from "started"', async () => {
    Object.assign(worker, { ready: true });
    const handle = runInWorker('while (true) {}', {}, { createWorker });
    vi.advanceTimersByTime(150); // the request crossing the frame to the worker
    worker.send({ type: 'started' });
    vi.advanceTimersByTime(RUN_WALL_LIMIT_MS - 150 - 1);
    expect(worker.terminated).toBe(0);
    vi.advanceTimersByTime(1);
    expect(await handle.outcome).toEqual({ kind: 'timeout', limitMs: RUN_WALL_LIMIT_MS });
    expect(worker.terminated).toBe(1);
  });

  it('ignores the worker\'s "ready" message', async () => {
    const handle = runInWorker('x', {}, { createWorker });
    worker.send({ type: 'ready' });
    worker.send({ type: 'started' });
    worker.send({ type: 'done', result });
    expect((await handle.outcome).kind).toBe('finished');
  });

  it('gives up on a worker that never starts', async () => {
    const handle = runInWorker('x', {}, { createWorker, startLimitMs: 20_000 });
    vi.advanceTimersByTime(20_000);
    const outcome = await handle.outcome;
    expect(outcome.kind).toBe('failed');
    expect(worker.terminated).toBe(1);
  });

  it('reports a worker that fails to load as failed, not as the program\'s fault', async () => {
    const handle = runInWorker('x', {}, { createWorker });
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'script 404' }));
    expect(await handle.outcome).toEqual({ kind: 'failed', message: 'The code runner failed: script 404' });
  });

  it('cancel() terminates the worker and resolves as cancelled', async () => {
    const handle = runInWorker('x', {}, { createWorker });
    worker.send({ type: 'started' });
    handle.cancel();
    expect(await handle.outcome).toEqual({ kind: 'cancelled' });
    expect(worker.terminated).toBe(1);
  });
});

describe('exercise verdict of a run that did not finish', () => {
  it('a timed-out run fails with the infinite-loop message', () => {
    const verdict = judge(workQueueExercise, { kind: 'timeout', limitMs: RUN_WALL_LIMIT_MS });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Stopped: your program ran for more than 1.5 seconds of real time — is there '
      + 'an infinite loop?');
    expect(judge(workQueueExercise, { kind: 'timeout', limitMs: 1000 }).messages[0]).toMatch(/more than 1 second of/);
  });

  it('a runner failure fails with the runner\'s message', () => {
    expect(judge(workQueueExercise, { kind: 'failed', message: 'The code runner failed: x' }))
      .toEqual({ passed: false, messages: ['The code runner failed: x'] });
  });
});
