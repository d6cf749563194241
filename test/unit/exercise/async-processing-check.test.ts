/**
 * Exercise 6 (`06-async-processing`) end to end: the starter, the solution and the typical wrong programs run on
 * the simulator through the runner, as the code runner's Web Worker runs them, and the check judges the real
 * traces. The starter must fail because the visitors wait for the mail server; the solution must pass; a handler
 * that sends the email in the background without a queue, workers that acknowledge before the email, workers that
 * auto-acknowledge, a queue nobody consumes and a handler that both queues and sends must each fail with the
 * sentence that names what went wrong. Garbage and failed runs fail with a message too.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { asyncProcessingExercise, checkAsyncProcessingRun } from '../../../content/exercises/06-async-processing.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run } = asyncProcessingExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'shop.mjs' });
  return { result, verdict: check(result) };
}

/** `source` with `from` replaced by `to`; fails the test if `from` is not in it (the variant would be silent). */
function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 6 on the simulator', () => {
  it('is registered under its id', () => {
    expect(getExercise('06-async-processing')).toBe(asyncProcessingExercise);
    expect(asyncProcessingExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: every visitor waits for the mail server, longer and longer', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Visitors waited too long for an answer: all 12 visitors waited more than 100 ms, '
      + 'visitor 12 the longest (4,251 ms).');
    expect(verdict.messages[1]).toMatch(/^The email to visitor 1 went out before the answer did: the handler waits for the mail server/);
    expect(verdict.messages[1]).toMatch(/That is why the waits grow with every sign-up\.$/);
    // The first message says what went wrong, not how to fix it.
    expect(verdict.messages.join(' ')).not.toMatch(/sendToQueue|consume\(/);
  });

  it('passes the solution: answers at once, each email sent once by a worker and acknowledged after it', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).toBe('completed');
    expect(verdict.messages[0]).toBe('Every visitor got an answer at once (the slowest after 0 ms; the goal was at most '
      + '100 ms), and all 12 welcome emails were sent by the workers, each once and acknowledged after it went out.');
    expect(verdict.messages[1]).toMatch(/^The price: the result now comes later than the answer\. Visitor \d+'s email went out [\d,]+ ms after the sign-up; 2 workers shared the jobs\.$/);
    expect(verdict.passed).toBe(true);
  });

  it('passes a solution that waits for a publisher confirm before answering (one round trip)', async () => {
    const source = variant(variant(solutionCode,
      'const channel = await connection.createChannel();', 'const channel = await connection.createConfirmChannel();'),
    /return `Welcome, \$\{address\}! Your/, 'await channel.waitForConfirms();\n  return `Welcome, ${address}! Your');
    const { verdict } = await runAndCheck(source);
    expect(verdict.messages[0]).toMatch(/^Every visitor got an answer at once \(the slowest after 20 ms;/);
    expect(verdict.passed).toBe(true);
  });

  it('fails a handler that sends the email in the background without a queue', async () => {
    const source = variant(starterCode, 'await sendFromWebServer(address);', 'sendFromWebServer(address);');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Every visitor got a quick answer, but no job was published: the broker never '
      + 'heard of the emails. The emails were sent by the web server itself, after it had answered.');
  });

  it('fails workers that acknowledge a job before its email went out', async () => {
    const source = variant(solutionCode, /await send\(job\.address\);([\s\S]*?)workerChannel\.ack\(msg\);/,
      'workerChannel.ack(msg);$1await send(job.address);');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The job for visitor 1 was acknowledged at 0\.\d\d s, before its email went out at 0\.\d\d s\.$/);
    expect(verdict.messages[1]).toMatch(/Acknowledge a job after the work\./);
  });

  it('fails workers that consume with noAck: true', async () => {
    const source = variant(variant(solutionCode, /\n\s*\/\/ Only now[^\n]*\n[^\n]*\n\s*workerChannel\.ack\(msg\);/, ''),
      /\n {2}\}\);\n {2}return workerConnection;/, '\n  }, { noAck: true });\n  return workerConnection;');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Worker 1 consumes with `noAck: true`: the broker counts a job as done the moment it '
      + 'hands it over.');
  });

  it('fails a queue that nobody consumes', async () => {
    const source = variant(solutionCode, /\n {2}await workerChannel\.consume\(QUEUE[\s\S]*?\n {2}\}\);/, '');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 12 jobs waited in the queue `ex06.welcome-emails`, but nothing consumed from it, '
      + 'so no worker ever saw them.');
  });

  it('fails a handler that queues the job and also sends the email itself: each visitor gets two', async () => {
    const source = variant(variant(solutionCode, '// The sign-up handler', "const webMailer = createMailer('web server');\n// The sign-up handler"),
      /return `Welcome, \$\{address\}! Your/, 'webMailer(address);\n  return `Welcome, ${address}! Your');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Visitors 1, 2, 3, 4, 5, 6 and 6 more got more than one welcome email.');
    expect(verdict.messages[1]).toMatch(/^Visitor 1: "web server sent the welcome email to visitor-1@example\.com" at/);
  });

  it('fails workers that never acknowledge: with prefetch 1 each is stuck on its first job', async () => {
    const source = variant(solutionCode, /\n {4}workerChannel\.ack\(msg\);/, '');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Visitors 3, 4, 5, 6, 7, 8 and 4 more never got a welcome email.');
    expect(verdict.messages[2]).toBe('Worker 1 and worker 2 still held unacknowledged jobs: a worker under a prefetch '
      + 'limit gets its next job only after it acknowledges one it holds.');
  });

  it('fails when the visitors are changed (they must keep their schedule)', async () => {
    const source = variant(starterCode, '(i - 1) * ARRIVE_EVERY_MS', '(i - 1) * 200');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Visitor 2 signed up 19\d ms after visitor 1; on the exercise's schedule \(a visitor every 50 ms\) that is 50 ms\.$/);
  });
});

describe('exercise 6 check on runs that are not usable', () => {
  it('fails garbage, a failed run and an empty run with a message, never throwing', () => {
    for (const junk of [undefined, null, 42, 'trace', {}, { trace: 'no' }]) {
      const verdict = checkAsyncProcessingRun(junk);
      expect(verdict.passed).toBe(false);
      expect(verdict.messages[0]).toMatch(/no trace/);
    }
    const failed = checkAsyncProcessingRun({ status: 'error', trace: [], console: [], endedAtMs: 0,
      error: { name: 'TypeError', message: 'x is not a function', line: 31 } });
    expect(failed.messages[0]).toBe('The program stopped with TypeError: x is not a function (line 31) before the '
      + 'sign-ups could be judged.');
    expect(checkAsyncProcessingRun({ status: 'completed', trace: [], console: [], endedAtMs: 0 }).messages[0])
      .toMatch(/never talked to the broker/);
    const malformed = checkAsyncProcessingRun({ status: 'completed', trace: [{ kind: 'console' }, { t: 1 }, 7], console: [], endedAtMs: 1 });
    expect(malformed.passed).toBe(false);
    expect(malformed.messages[0]).toMatch(/No `visitor N signs up` line was printed/);
  });
});
