/**
 * A program that closes its connection too early stops with "IllegalOperationError: Channel closed (line N)"; the
 * exercise verdict must say what that means and the usual cause (issue 11).
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { workQueueExercise } from '../../../content/exercises/01-work-queue.ts';
import { explainRunError, withErrorHelp } from '../../../src/components/exercise/error-help.ts';

describe('exercise verdicts explain IllegalOperationError', () => {
  it('a program whose connections close before the workers finish gets the error, its line and why', async () => {
    // The shop waits 100 ms instead of 4 s before closing the workers: worker 1 acks an order on a closed channel.
    const source = workQueueExercise.solutionCode.replace('await sleep(4000);', 'await sleep(100);');
    expect(source).not.toBe(workQueueExercise.solutionCode);
    const result = await runProgram(source, { ...workQueueExercise.run, filename: 'shop.mjs' });
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'IllegalOperationError', message: 'Channel closed' });
    const ackLine = source.split('\n').findIndex((l) => l.includes('channel.ack(msg)')) + 1;
    expect(result.error?.line).toBe(ackLine);

    const verdict = withErrorHelp(workQueueExercise.check(result), result);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe(`The program stopped with IllegalOperationError: Channel closed (line ${ackLine}) `
      + 'before the orders could be judged.');
    expect(verdict.messages[1]).toMatch(new RegExp(`the call on line ${ackLine} used a channel that was already closed`));
    expect(verdict.messages[1]).toMatch(/`close\(\)` that runs too early: for example before the consumers have finished/);
    expect(verdict.messages.at(-1)).toMatch(/Fix the error/);
  });

  it('explains a closed or closing connection too, and leaves other errors alone', () => {
    expect(explainRunError({ name: 'IllegalOperationError', message: 'Connection closed (by client)', line: 3 }))
      .toMatch(/line 3 used a connection that was already closed/);
    expect(explainRunError({ name: 'IllegalOperationError', message: 'Channel closing' })).toMatch(/a call used a channel that was already closing/);
    expect(explainRunError({ name: 'TypeError', message: 'x is not a function', line: 2 })).toBeUndefined();
    const verdict = { passed: false, messages: ['headline', 'detail'] };
    expect(withErrorHelp(verdict, { status: 'error', error: { name: 'TypeError', message: 'x' } })).toEqual(verdict);
    expect(withErrorHelp(verdict, { status: 'completed' })).toEqual(verdict);
  });
});
