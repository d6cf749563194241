/**
 * Exercise 10 (`10-routing`) end to end: the three teams and the feed of its run line run on the simulator as the
 * code runner runs them, and the check judges the traces. The starter fails because its plain-word binding keys
 * match no routing key; the solution passes, and so do other correct patterns; typical wrong patterns fail with
 * the sentence that names the team, what it missed or got too, and its binding keys. Garbage fails too.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkRoutingRun, routingExercise } from '../../../content/exercises/10-routing.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { files, run, check } = routingExercise;
const TEAM = files!.find((f) => f.name === 'team.mjs')!;
const EVENTS = files!.find((f) => f.name === 'events.mjs')!;

async function runAndCheck(team: string) {
  const result = await runPrograms([
    { source: team, filename: 'team.mjs', args: ['refunds'] },
    { source: team, filename: 'team.mjs', args: ['eu-sales'] },
    { source: team, filename: 'team.mjs', args: ['us-all'] },
    { source: EVENTS.solution, filename: 'events.mjs', args: [] },
  ], run);
  return { result, verdict: check(result) };
}

/** The solution with one team's binding keys replaced. */
function withKeys(team: string, keys: string): string {
  const line = new RegExp(`^  ${team.includes('-') ? `'${team}'` : team}: \\[.*\\],$`, 'm');
  const changed = TEAM.solution.replace(line, `  ${team.includes('-') ? `'${team}'` : team}: ${keys},`);
  expect(changed).not.toBe(TEAM.solution);
  return changed;
}

describe('exercise 10 on the simulator', () => {
  it('is registered under its id, with two files and a run line', () => {
    expect(getExercise('10-routing')).toBe(routingExercise);
    expect(routingExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(routingExercise.runLine).toBe('"team.mjs refunds" "team.mjs eu-sales" "team.mjs us-all" events.mjs');
  });

  it('fails the starter: the plain-word keys match nothing', async () => {
    const { result, verdict } = await runAndCheck(TEAM.starter);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Refunds received none of its 3 events (`eu.de.refund`, `us.ca.refund` and '
      + '`eu.fr.refund`): its queue is bound with the key `refund`, which matches none of them.');
    expect(verdict.messages[1]).toBe('2 more teams did not get exactly their events either.');
    expect(verdict.messages.join(' ')).not.toMatch(/\*|#/);
  });

  it('passes the solution', async () => {
    const { result, verdict } = await runAndCheck(TEAM.solution);
    expect(result.status).toBe('quiescent');
    expect(verdict.messages[0]).toMatch(/^Each team received exactly its events, each once/);
    expect(verdict.messages[1]).toBe('`asia.jp.order` matched no binding and was dropped: no team asked for it.');
    expect(verdict.passed).toBe(true);
  });

  it('passes other correct patterns: #.refund, two bindings for eu-sales, us.*.* plus us.*.*.*', async () => {
    let team = withKeys('refunds', "['#.refund']");
    team = team.replace("'eu-sales': ['eu.*.order.#'],", "'eu-sales': ['eu.*.order', 'eu.*.order.*'],");
    team = team.replace("'us-all': ['us.#'],", "'us-all': ['us.*.*', 'us.*.*.*'],");
    const { verdict } = await runAndCheck(team);
    expect(verdict.passed).toBe(true);
  });

  it('fails eu-sales bound with eu.*.order: the express order has a fourth word', async () => {
    const { verdict } = await runAndCheck(withKeys('eu-sales', "['eu.*.order']"));
    expect(verdict.messages[0]).toBe('Eu-sales missed `eu.fr.order.express`: its queue is bound with the key '
      + '`eu.*.order`, which does not match it.');
  });

  it('fails us-all bound with us.*: * is exactly one word', async () => {
    const { verdict } = await runAndCheck(withKeys('us-all', "['us.*']"));
    expect(verdict.messages[0]).toMatch(/^Us-all received none of its 3 events \(`us\.ny\.order`, `us\.ca\.refund` and `us\.ny\.order\.express`\): its queue is bound with the key `us\.\*`, which matches none of them\.$/);
  });

  it('fails refunds bound with #: it gets everything', async () => {
    const { verdict } = await runAndCheck(withKeys('refunds', "['#']"));
    expect(verdict.messages[0]).toMatch(/^Refunds also received `eu\.fr\.order`, `us\.ny\.order`, .* which it does not want: its queue is bound with the key `#`, which matches them too\.$/);
  });

  it('fails eu-sales bound with eu.#: it gets the refunds too', async () => {
    const { verdict } = await runAndCheck(withKeys('eu-sales', "['eu.#']"));
    expect(verdict.messages[0]).toBe('Eu-sales also received `eu.de.refund` and `eu.fr.refund`, which it does not '
      + 'want: its queue is bound with the key `eu.#`, which matches them too.');
  });

  it('fails garbage and failed runs with a message', () => {
    expect(checkRoutingRun(undefined).passed).toBe(false);
    expect(checkRoutingRun({ trace: [] }).messages[0]).toMatch(/recorded nothing/);
    expect(checkRoutingRun({ status: 'error', trace: [], error: { name: 'Error', message: 'boom' } }).messages[0])
      .toMatch(/stopped with Error: boom/);
    expect(checkRoutingRun({ trace: [{ kind: 'published', t: 1 }, 7, null] }).passed).toBe(false);
  });
});
