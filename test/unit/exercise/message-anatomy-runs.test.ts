/**
 * Exercise 2 end to end in Node: the starter, the solution and typical wrong programs run on the simulator through
 * the runner (as the code runner's Web Worker does), and the check judges their real traces: the properties the
 * broker recorded and the invoicing service's lines.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { messageAnatomyExercise } from '../../../content/exercises/02-message-anatomy.ts';

const { starterCode, solutionCode, check, run } = messageAnatomyExercise;

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

/** The solution with the shop's publish options replaced by `options` (source text of an object literal). */
function withOptions(options: string): string {
  const source = solutionCode.replace(/channel\.sendToQueue\(QUEUE, body, \{[\s\S]*?\n {2}\}\);/, `channel.sendToQueue(QUEUE, body, ${options});`);
  expect(source).not.toBe(solutionCode);
  return source;
}

describe('exercise 2 on the simulator', () => {
  it('fails the starter: bare bodies, every message refused; the verdict says what happened, not the fix', async () => {
    const { result, verdict } = await runAndCheck(starterCode);
    expect(result.status).toBe('completed');
    expect(result.console.filter((l) => /refused a message/.test(l.text))).toHaveLength(6);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The invoicing service invoiced 0 of the 5 orders and refused 6 of the 6 messages.');
    expect(verdict.messages[1]).toMatch(/^The broker recorded no content type on any of the messages/);
    expect(verdict.messages.join(' ')).not.toMatch(/contentType|messageId|correlationId/);
    expect(verdict.messages.join(' ')).toMatch(/Show a hint/);
  });

  it('passes the solution: five invoices, the re-sent copy skipped by its message id', async () => {
    const { result, verdict } = await runAndCheck(solutionCode);
    expect(result.status).toBe('completed');
    expect(result.console.filter((l) => /invoiced order/.test(l.text))).toHaveLength(5);
    expect(verdict.messages[0]).toBe('All 5 orders were invoiced exactly once, each in its region\'s ledger and under its checkout.');
    expect(verdict.messages[1]).toMatch(/same message id as the first \(`order-503`\)/);
    expect(verdict.passed).toBe(true);
  });

  it('passes other correct property sets (persistent, a type, extra headers, another id scheme)', async () => {
    const { verdict } = await runAndCheck(withOptions(`{ persistent: true, type: 'order.placed', contentType: 'application/json',
    messageId: 'shop/' + order.orderId, correlationId: order.checkoutId, headers: { region: order.region, 'schema-version': 1 } }`));
    expect(verdict.passed).toBe(true);
  });

  it('fails a message id made at send time: the re-sent order gets a new id and is invoiced twice', async () => {
    const { result, verdict } = await runAndCheck(withOptions(`{ contentType: 'application/json',
    messageId: 'msg-' + Math.random().toString(36).slice(2), correlationId: order.checkoutId, headers: { region: order.region } }`));
    expect(result.console.filter((l) => /invoiced order 503/.test(l.text))).toHaveLength(2);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The invoicing service invoiced 5 of the 5 orders.');
    expect(verdict.messages[1]).toMatch(/^Order 503 was sent twice with two different message ids \(`msg-\w+` and `msg-\w+`\), so the invoicing service takes the second copy for a new order/);
  });

  it('fails Date.now() as the message id: orders published in the same millisecond share it and are skipped', async () => {
    const { verdict } = await runAndCheck(withOptions(`{ contentType: 'application/json',
    messageId: String(Date.now()), correlationId: order.checkoutId, headers: { region: order.region } }`));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The invoicing service invoiced 2 of the 5 orders.');
    expect(verdict.messages[1]).toMatch(/^Orders 501, 502, 503, 504 and 505 all carried the message id `\d+`/);
  });

  it('fails a custom value passed as an option of its own: amqplib drops it, so no region header arrives', async () => {
    const { result, verdict } = await runAndCheck(withOptions(`{ contentType: 'application/json',
    messageId: 'order-' + order.orderId, correlationId: order.checkoutId, region: order.region }`));
    expect(result.console.filter((l) => /region header is not set/.test(l.text))).toHaveLength(6);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The invoicing service invoiced 0 of the 5 orders and refused 6 of the 6 messages.');
    expect(verdict.messages[1]).toMatch(/^No message carried a `region` header, so the invoicing service could not choose a ledger\. The broker recorded no headers at all/);
  });

  it('fails the order id as correlation id: names the order and the checkout it came from', async () => {
    const { verdict } = await runAndCheck(withOptions(`{ contentType: 'application/json',
    messageId: 'order-' + order.orderId, correlationId: String(order.orderId), headers: { region: order.region } }`));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[1]).toBe('Order 501 carried the correlation id `501`, but it came from checkout `checkout-9f2c`: '
      + 'its invoice would be filed under a checkout that never asked for it.');
  });

  it('fails a wrong content type and says which one the broker recorded', async () => {
    const { verdict } = await runAndCheck(withOptions(`{ contentType: 'text/plain',
    messageId: 'order-' + order.orderId, correlationId: order.checkoutId, headers: { region: order.region } }`));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[1]).toMatch(/^6 carried the content type `text\/plain`; the invoicing service reads only `application\/json`/);
  });

  it('fails when the re-send is taken out of the program', async () => {
    const { verdict } = await runAndCheck(edit(solutionCode, 'publishOrder(ORDERS[2]);', ''));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The shop should publish 6 messages: orders 501 to 505, then order 503 a second time\. This run published 5 order messages/);
  });

  it('fails when the invoicing service is changed to print nothing', async () => {
    const { verdict } = await runAndCheck(edit(solutionCode, /console\.log\(`invoicing: invoiced order[\s\S]*?\);\n/, '\n'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Every message carried what the invoicing service needs, but it printed no `invoiced order …` line for 501, 502, 503, 504 and 505\.$/);
  });

  it('fails a program that throws, naming the error and its line', async () => {
    const { verdict } = await runAndCheck(edit(solutionCode, 'function publishOrder(order) {', 'function publishOrder(order) {\n  order.nope.x;'));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The program stopped with TypeError: .* \(line \d+\)/);
  });
});
