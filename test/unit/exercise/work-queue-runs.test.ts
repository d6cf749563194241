/**
 * Exercise 1 end to end in Node: the starter and the solution programs run on the simulator through the runner
 * (`runProgram`, as the code runner's Web Worker does) and the check judges the real traces. The starter must fail
 * because worker 2's orders are lost; the solution and other correct variants must pass; a wrong fix must fail.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { workQueueExercise } from '../../../content/exercises/01-work-queue.ts';

const { starterCode, solutionCode, check, run } = workQueueExercise;

async function runAndCheck(source: string) {
  const result = await runProgram(source, { ...run, filename: 'shop.mjs' });
  return { result, verdict: check(result) };
}

describe('exercise 1 on the simulator', () => {
  it('fails the starter: noAck loses the orders worker 2 had not shipped', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    const shipped = result.console.filter((l) => / shipped order /.test(l.text)).length;
    expect(shipped).toBe(15);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('5 of the 20 orders were never shipped: #8, #11, #14, #17, #20.');
    expect(verdict.messages[1]).toBe('Worker 2 crashed. It had received 7 orders (#2, #5, #8, #11, #14, '
      + '#17, #20) and had not shipped these yet: #8, #11, #14, #17, #20. No other worker ever received them.');
  });

  it('the starter\'s verdict says what went wrong and points to the hints without giving the fix', async () => {
    const { verdict } = await runAndCheck(starterCode);
    const text = verdict.messages.join(' ');
    expect(text).toMatch(/\*\*Show a hint\*\*/);
    // The fix is what the hints are for: no noAck option, no ack call, no prefetch in the verdict.
    expect(text).not.toMatch(/noAck|\back\(|acknowledg|prefetch/i);
  });

  it('passes the solution: worker 2\'s unacknowledged order is redelivered and shipped', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).toBe('completed');
    const shippedIds = new Set(result.console.map((l) => /shipped order #(\d+)/.exec(l.text)?.[1]).filter(Boolean));
    expect(shippedIds.size).toBe(20);
    expect(result.trace.some((e) => e.kind === 'delivered' && e.redelivered)).toBe(true);
    expect(verdict.messages[0]).toBe('All 20 orders were shipped and acknowledged; none was lost.');
    expect(verdict.messages[1]).toMatch(/^Worker 2 crashed holding 1 unacknowledged order \(#\d+\)/);
    expect(verdict.passed).toBe(true);
  });

  it('passes manual acks without prefetch: all of worker 2\'s unshipped orders come back', async () => {
    const source = solutionCode.replace(/^\s*await channel\.prefetch\(1\);.*$/m, '');
    expect(source).not.toMatch(/prefetch\(/);
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(true);
    expect(verdict.messages[1]).toMatch(/^Worker 2 crashed holding 5 unacknowledged orders \(#8, #11, #14, #17, #20\)/);
  });

  it('fails manual acks sent when an order arrives instead of after shipping it', async () => {
    const source = solutionCode
      .replace(/^\s*channel\.ack\(msg\);.*$/m, '')
      .replace('line = line.then(async () => {', 'channel.ack(msg);\n    line = line.then(async () => {');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^\d+ orders? (was|were) acknowledged but never shipped: #8/);
  });

  it('fails an ack sent when the work starts (before the sleep): worker 2 dies holding an acked, unshipped order', async () => {
    // A learner's plausible wrong fix: manual acks, but the ack comes right after parsing the order.
    const source = solutionCode
      .replace(/^\s*channel\.ack\(msg\);.*$/m, '')
      .replace(/(const order = JSON\.parse\(msg\.content\.toString\(\)\);)/, '$1\n      channel.ack(msg);');
    expect(source).toMatch(/JSON\.parse\(msg\.content\.toString\(\)\);\n\s*channel\.ack\(msg\);/);
    const { result, verdict } = await runAndCheck(source);
    const shippedIds = new Set(result.console.map((l) => /shipped order #(\d+)/.exec(l.text)?.[1]).filter(Boolean));
    expect(shippedIds.size).toBeLessThan(20);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/acknowledged but never shipped/);
  });

  it('fails when the crash is taken out of the program', async () => {
    const source = solutionCode.replace('setTimeout(crash, CRASH_AFTER_MS);', '');
    const { result, verdict } = await runAndCheck(source);
    expect(result.console.some((l) => /crashed/.test(l.text))).toBe(false);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[1]).toMatch(/^No worker crashed while others kept working/);
  });

  it('fails noAck: false without any ack: every order stays unacknowledged', async () => {
    const source = solutionCode.replace(/^\s*channel\.ack\(msg\);.*$/m, '');
    const { verdict } = await runAndCheck(source);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^20 orders were never acknowledged/);
  });

  it('fails a program with a syntax error and reports its line', async () => {
    const { verdict } = await runAndCheck(`${solutionCode}\nconst = ;\n`);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The program stopped with SyntaxError/);
  });
});
