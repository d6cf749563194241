/**
 * Exercise 11 (`11-request-reply`) end to end: the shipping service and the checkout of its run line run on the
 * simulator as the code runner runs them, and the check judges the traces. The starter fails because it hands each
 * reply to the oldest waiting request while the replies come back out of order; the solution passes, and so does
 * one with an exclusive reply queue; typical wrong programs fail with the sentence that names what went wrong in
 * the run: no correlation id, one id for every request, no replyTo, a server that answers in order. Garbage fails
 * too.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkRequestReplyRun, requestReplyExercise } from '../../../content/exercises/11-request-reply.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { files, run, check } = requestReplyExercise;
const file = (name: string) => files!.find((f) => f.name === name)!;
const CLIENT = file('client.mjs');
const SERVER = file('server.mjs');

async function runAndCheck(client: string, server = SERVER.solution) {
  const result = await runPrograms([
    { source: server, filename: 'server.mjs', args: [] },
    { source: client, filename: 'client.mjs', args: [] },
  ], run);
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 11 on the simulator', () => {
  it('is registered under its id, with two files and a run line', () => {
    expect(getExercise('11-request-reply')).toBe(requestReplyExercise);
    expect(requestReplyExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(requestReplyExercise.runLine).toBe('server.mjs client.mjs');
    expect(SERVER.starter).toBe(SERVER.solution);
  });

  it('fails the starter: replies handed out in arrival order go to the wrong parcels', async () => {
    const { result, verdict } = await runAndCheck(CLIENT.starter);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('3 of 4 parcels were printed with the answer to another request: parcel 1 to JP '
      + 'got 6.00, the answer to parcel 2 to FR; the answer to its own request was 19.00.');
    expect(verdict.messages[1]).toBe('The requests went out as JP, FR, US, DE; the replies came back as FR, DE, US, JP.');
    expect(verdict.messages.join(' ')).not.toMatch(/Map|correlationId/);
  });

  it('passes the solution: each parcel gets its own answer', async () => {
    const { result, verdict } = await runAndCheck(CLIENT.solution);
    expect(result.status).toBe('quiescent');
    expect(verdict.messages[0]).toBe('Each of the 4 parcels got the answer to its own request, although the replies '
      + 'came back in the order FR, DE, US, JP and the requests went out as JP, FR, US, DE.');
    expect(verdict.passed).toBe(true);
  });

  it('passes a solution with an exclusive server-named reply queue instead of direct reply-to', async () => {
    let client = variant(CLIENT.solution, "await channel.consume('amq.rabbitmq.reply-to',",
      "const { queue } = await channel.assertQueue('', { exclusive: true });\nawait channel.consume(queue,");
    client = variant(client, "replyTo: 'amq.rabbitmq.reply-to'", 'replyTo: queue');
    const { verdict } = await runAndCheck(client);
    expect(verdict.passed).toBe(true);
  });

  it('fails requests without a correlation id', async () => {
    const client = variant(CLIENT.starter, /\n\s+correlationId,\n/, '\n');
    const { verdict } = await runAndCheck(client);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Some requests carried no `correlationId`/);
  });

  it('fails one correlation id shared by every request', async () => {
    const client = variant(CLIENT.solution, 'const correlationId = `quote-${++lastId}`;', "const correlationId = 'quote';");
    const { verdict } = await runAndCheck(client);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Several requests carried the same correlation id, "quote": their replies cannot be told apart.');
  });

  it('fails requests without replyTo', async () => {
    const client = variant(CLIENT.solution, "replyTo: 'amq.rabbitmq.reply-to',", '');
    const { verdict } = await runAndCheck(client);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/4 requests carried no `replyTo`|stopped with/);
  });

  it('fails a client that matches by arrival order against a server that answers in order', async () => {
    const server = variant(SERVER.solution, '}, QUOTE_MS[parcel.to] ?? 300);', '}, 100);');
    const { verdict } = await runAndCheck(CLIENT.starter, server);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Every parcel got its own quote, but the replies came back in the order/);
  });

  it('fails garbage and failed runs with a message', () => {
    expect(checkRequestReplyRun(undefined).passed).toBe(false);
    expect(checkRequestReplyRun({ trace: [] }).messages[0]).toMatch(/recorded nothing/);
    expect(checkRequestReplyRun({ status: 'error', trace: [], error: { name: 'Error', message: 'boom' } }).messages[0])
      .toMatch(/stopped with Error: boom/);
    expect(checkRequestReplyRun({ trace: [{ kind: 'published', t: 1 }, 7, null] }).passed).toBe(false);
  });
});
