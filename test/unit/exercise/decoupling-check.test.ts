/**
 * Exercise 3 (`03-decoupling`) end to end: the shop and the worker run as two processes on the simulator, started
 * as the exercise's run line says (the shop first, the worker at 3 s), as Check starts them on the page, and the
 * check judges the real traces. The starter must fail because the default exchange dropped the orders published
 * while no queue existed; the solution must pass; a shop that declares the queue with other options, a shop that
 * waits for the worker, a worker that never acknowledges, two programs that name different queues and a worker
 * that packs each order twice must each fail with the sentence that names what went wrong.
 *
 * The same starter and solution were run on a real RabbitMQ (3.x, real amqplib) after
 * `rabbitmqctl delete_queue ex03.orders`: `node shop.mjs`, then `node worker.mjs` 3 s later. Real and simulated
 * consoles were identical: the starter's worker printed `worker started: 0 orders waiting` and nothing else (the
 * orders were dropped, no error), the solution's worker `worker started: 5 orders waiting` and `packed order #1`
 * … `#5`; a shop declaring `{ durable: false }` made the worker fail on both with 406 PRECONDITION_FAILED
 * (inequivalent arg 'durable'). The tests below pin the simulated lines to those real ones.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkDecouplingRun, decouplingExercise } from '../../../content/exercises/03-decoupling.ts';
import { getExercise } from '../../../content/exercises/index.ts';
import { parseRunLine } from '../../../src/components/code/run-line.ts';

const { files, runLine, run, check } = decouplingExercise;
const shopStarter = files![0].starter;
const shopSolution = files![0].solution;
const worker = files![1].starter;

/** Runs a shop and a worker the way Check does (the exercise's run line) and judges the run. */
async function runAndCheck(shop: string, workerCode = worker) {
  const specs = parseRunLine(runLine!, [{ name: 'shop.mjs', code: shop }, { name: 'worker.mjs', code: workerCode }]);
  const result = await runPrograms(specs, run);
  return { result, verdict: check(result), lines: result.console.map((l) => l.text) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 3 on the simulator', () => {
  it('is registered under its id, with two programs and a run line that starts the worker at 3 s', () => {
    expect(getExercise('03-decoupling')).toBe(decouplingExercise);
    expect(decouplingExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(runLine).toBe('shop.mjs --at 3s worker.mjs');
    expect(files!.map((f) => f.name)).toEqual(['shop.mjs', 'worker.mjs']);
    expect(files![1].solution).toBe(worker);
  });

  it('fails the starter: the orders were published while no queue existed, and dropped without an error', async () => {
    const { result, verdict, lines } = await runAndCheck(shopStarter);
    expect(result.status).toBe('quiescent');
    // The same lines as on the real RabbitMQ.
    expect(lines.slice(0, 7)).toEqual(['placed order #1 (lamp)', 'placed order #2 (scarf)', 'placed order #3 (mug)',
      'placed order #4 (lamp)', 'placed order #5 (scarf)', 'shop closed', 'worker started: 0 orders waiting']);
    expect(lines.some((l) => /packed/.test(l))).toBe(false);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 5 orders were published while no queue named `ex03.orders` existed: the '
      + 'default exchange dropped them. No error told the shop.');
    expect(verdict.messages[1]).toBe('The queue `ex03.orders` was created only at 3.05 s, when the worker started; by '
      + 'then the shop had closed, and those orders were long gone. The worker never saw them.');
    // What happened in the run, not the fix.
    expect(verdict.messages.join(' ')).not.toMatch(/assertQueue|declare/);
  });

  it('passes the solution: the shop declares the queue too, the orders wait for the worker', async () => {
    const { result, verdict, lines } = await runAndCheck(shopSolution);
    expect(result.status).toBe('quiescent');
    expect(lines).toContain('worker started: 5 orders waiting');
    expect(lines.filter((l) => /^packed order #\d/.test(l))).toEqual(['packed order #1 (lamp)',
      'packed order #2 (scarf)', 'packed order #3 (mug)', 'packed order #4 (lamp)', 'packed order #5 (scarf)']);
    expect(verdict.messages[0]).toBe('All 5 orders waited in the queue while no worker was running, and the worker '
      + 'packed each of them exactly once. The shop had closed at 0.09 s; the worker started at 3.00 s.');
    expect(verdict.passed).toBe(true);
  });

  it('passes when only the shop declares the queue (the worker then finds it)', async () => {
    const workerWithoutDeclare = variant(worker, 'const queue = await channel.assertQueue(QUEUE, { durable: true });',
      'const queue = await channel.checkQueue(QUEUE);');
    const { verdict } = await runAndCheck(shopSolution, workerWithoutDeclare);
    expect(verdict.passed).toBe(true);
  });

  it('fails a shop that declares the queue with other options: the worker\'s declaration is refused', async () => {
    const shop = variant(shopSolution, 'await channel.assertQueue(QUEUE, { durable: true });',
      'await channel.assertQueue(QUEUE, { durable: false });');
    const { result, verdict } = await runAndCheck(shop);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'ex03\.orders'/);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The program stopped with Error: Channel closed by server: 406 \(PRECONDITION-FAILED\)/);
    expect(verdict.messages[1]).toMatch(/can only be declared again with the options it was created with/);
  });

  it('fails a shop that publishes as mandatory to a queue that does not exist yet: the orders come back to it', async () => {
    const shop = variant(shopStarter, '{ persistent: true }', '{ persistent: true, mandatory: true }');
    const { verdict } = await runAndCheck(shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 5 orders were published while no queue took them: the broker sent them back '
      + 'to the shop (published as mandatory).');
  });

  it('fails a shop that waits for the worker before it publishes', async () => {
    const shop = variant(shopStarter, 'const channel = await connection.createChannel();',
      'const channel = await connection.createChannel();\nawait new Promise((resolve) => setTimeout(resolve, 4000));');
    const { verdict } = await runAndCheck(shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The shop waited for the worker: order #1 was published at 4\.\d\d s, after the worker started at 3\.00 s\.$/);
  });

  it('fails when the shop and the worker name different queues', async () => {
    const shop = variant(shopSolution, "const QUEUE = 'ex03.orders';", "const QUEUE = 'orders';");
    const { verdict } = await runAndCheck(shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Orders #1, #2, #3, #4 and #5 waited in the queue `orders`, but never reached the worker.');
    expect(verdict.messages[1]).toMatch(/The worker consumed from `ex03\.orders`: the shop and the worker must name the same queue\./);
  });

  it('fails a worker that never acknowledges', async () => {
    const noAck = variant(worker, /\n {2}channel\.ack\(msg\);/, '');
    const { verdict } = await runAndCheck(shopSolution, noAck);
    expect(verdict.passed).toBe(false);
    // With prefetch 1 the worker is stuck on its first order: the rest never reach it.
    expect(verdict.messages[0]).toBe('Orders #2, #3, #4 and #5 waited in the queue `ex03.orders`, but never reached the worker.');
  });

  it('fails a worker that packs each order twice', async () => {
    const twice = variant(worker, /(\n {2}console\.log\(`packed order[^\n]*)/, '$1$1');
    const { verdict } = await runAndCheck(shopSolution, twice);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Orders #1, #2, #3, #4 and #5 were packed more than once (order #1: 2 times).');
  });
});

describe('the run line', () => {
  const files2 = [{ name: 'shop.mjs', code: 'S' }, { name: 'worker.mjs', code: 'W' }];

  it('starts a process at the time --at gives, as the CLI does; arguments stay with their file', () => {
    expect(parseRunLine('"shop.mjs 5" --at 3s worker.mjs --at=4500ms worker.mjs', files2, 'js')).toEqual([
      { source: 'S', filename: 'shop.mjs', args: ['5'], language: 'js' },
      { source: 'W', filename: 'worker.mjs', args: [], language: 'js', startAtMs: 3000 },
      { source: 'W', filename: 'worker.mjs', args: [], language: 'js', startAtMs: 4500 },
    ]);
    expect(parseRunLine('shop.mjs 5 7 worker.mjs', files2)).toEqual([
      { source: 'S', filename: 'shop.mjs', args: ['5', '7'] }, { source: 'W', filename: 'worker.mjs', args: [] },
    ]);
  });

  it('rejects a bad --at, a word that is not a file and an empty line, naming the problem', () => {
    expect(() => parseRunLine('shop.mjs --at', files2)).toThrow(/--at needs a time/);
    expect(() => parseRunLine('shop.mjs --at soon worker.mjs', files2)).toThrow(/--at expects a duration/);
    expect(() => parseRunLine('shop.mjs --at 3s', files2)).toThrow(/--at must be followed by a file/);
    expect(() => parseRunLine('--at 1s --at 2s worker.mjs', files2)).toThrow(/--at needs a time and then a file/);
    expect(() => parseRunLine('--at 1s nope.mjs', files2)).toThrow(/names "nope\.mjs", which is not a file/);
    expect(() => parseRunLine('  ', files2)).toThrow(/is empty/);
  });
});

describe('exercise 3 check on runs that are not usable', () => {
  it('fails garbage, a failed run and an empty run with a message, never throwing', () => {
    for (const junk of [undefined, null, 42, 'trace', {}, { trace: 'no' }]) {
      const verdict = checkDecouplingRun(junk);
      expect(verdict.passed).toBe(false);
      expect(verdict.messages[0]).toMatch(/no trace/);
    }
    const failed = checkDecouplingRun({ status: 'error', trace: [], console: [], endedAtMs: 0,
      error: { name: 'TypeError', message: 'x is not a function', line: 12 } });
    expect(failed.messages[0]).toBe('The program stopped with TypeError: x is not a function (line 12) before the '
      + 'orders could be judged.');
    expect(checkDecouplingRun({ status: 'completed', trace: [], console: [], endedAtMs: 0 }).messages[0])
      .toMatch(/never talked to the broker/);
    const malformed = checkDecouplingRun({ status: 'completed', trace: [{ kind: 'published' }, { t: 1 }, 7], console: [], endedAtMs: 1 });
    expect(malformed.passed).toBe(false);
    expect(malformed.messages[0]).toMatch(/No order was published/);
  });
});
