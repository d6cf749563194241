/**
 * Exercise 9 (`09-publish-subscribe`) end to end: the three processes of its run line (billing, shipping, the shop)
 * run on the simulator as the code runner runs them, and the check judges the traces. The starter fails because
 * the two services compete for one queue; the solution passes; typical wrong programs fail with the sentence that
 * names what went wrong: a shop still sending to the old queue, services that never bind their queues, one service
 * not bound, services that keep consuming the shared queue after it is bound to the exchange. Garbage fails too.
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { publishSubscribeExercise, checkPublishSubscribeRun } from '../../../content/exercises/09-publish-subscribe.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { files, run, check } = publishSubscribeExercise;
const file = (name: string) => files!.find((f) => f.name === name)!;
const SERVICE = file('service.mjs');
const SHOP = file('shop.mjs');

async function runAndCheck(service: string, shop: string) {
  const result = await runPrograms([
    { source: service, filename: 'service.mjs', args: ['billing'] },
    { source: service, filename: 'service.mjs', args: ['shipping'] },
    { source: shop, filename: 'shop.mjs', args: ['6'] },
  ], run);
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 9 on the simulator', () => {
  it('is registered under its id, with two files and a run line', () => {
    expect(getExercise('09-publish-subscribe')).toBe(publishSubscribeExercise);
    expect(publishSubscribeExercise.hints.length).toBeGreaterThanOrEqual(3);
    expect(publishSubscribeExercise.runLine).toBe('"service.mjs billing" "service.mjs shipping" "shop.mjs 6"');
  });

  it('fails the starter: the two services take turns on one queue', async () => {
    const { result, verdict } = await runAndCheck(SERVICE.starter, SHOP.starter);
    expect(result.status).toBe('quiescent');
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Each order reached only one service: billing handled orders 1, 3 and 5 and '
      + 'shipping handled orders 2, 4 and 6.');
    expect(verdict.messages[1]).toMatch(/^Both services consumed from the same queue, "ex09\.orders", so they took turns/);
    expect(verdict.messages.join(' ')).not.toMatch(/fanout|bindQueue|assertExchange/);
  });

  it('passes the solution: each service handles all six orders once', async () => {
    const { result, verdict } = await runAndCheck(SERVICE.solution, SHOP.solution);
    expect(result.status).toBe('quiescent');
    expect(verdict.messages[0]).toBe('Billing and shipping each handled all 6 orders, each order once: the exchange '
      + 'put a copy of every order in each service\'s own queue.');
    expect(verdict.passed).toBe(true);
  });

  it('passes services with named queues of their own (durable subscriptions)', async () => {
    const service = variant(SERVICE.solution, "channel.assertQueue('', { exclusive: true })",
      'channel.assertQueue(`ex09.${service}`, { durable: false })');
    const { verdict } = await runAndCheck(service, SHOP.solution);
    expect(verdict.passed).toBe(true);
  });

  it('fails subscribers on their own queues while the shop still sends to the old queue (nobody reads it)', async () => {
    const { verdict } = await runAndCheck(SERVICE.solution, SHOP.starter);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Billing missed orders 1, 2, 3, 4, 5 and 6: they went to "ex09\.orders", which no service reads, while billing reads the queue "amq\.gen-[\w-]+"\.$/);
  });

  it('fails a shop that sends to a queue that does not exist: the default exchange drops every order', async () => {
    const shop = variant(SHOP.starter, 'await channel.assertQueue(QUEUE, { durable: false });', '');
    const { verdict } = await runAndCheck(SERVICE.solution, shop);
    expect(verdict.messages[0]).toBe('All 6 orders reached no queue, so the broker dropped them: they were sent to the '
      + 'queue "ex09.orders" through the default exchange, and no queue of that name existed.');
  });

  it('fails a shop that sends one copy to each service\'s own queue (it has to know every service)', async () => {
    const service = variant(SERVICE.starter, "const QUEUE = 'ex09.orders';", "const QUEUE = `ex09.orders.${process.argv[2] ?? 'billing'}`;");
    const shop = variant(variant(SHOP.starter, 'await channel.assertQueue(QUEUE, { durable: false });', ''),
      'channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify(order)));',
      "for (const s of ['billing', 'shipping']) channel.sendToQueue(`${QUEUE}.${s}`, Buffer.from(JSON.stringify(order)));");
    const { verdict } = await runAndCheck(service, shop);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The shop published orders 1, 2, 3, 4, 5 and 6 more than once (order 1: 2 times).');
  });

  it('fails a direct exchange whose binding key does not match the routing key', async () => {
    const fanoutToDirect = (source: string) => source.replace("'fanout'", "'direct'");
    const shop = variant(fanoutToDirect(SHOP.solution), "channel.publish(EXCHANGE, ''", "channel.publish(EXCHANGE, 'order'");
    const { verdict } = await runAndCheck(fanoutToDirect(SERVICE.solution), shop);
    expect(verdict.messages[0]).toBe('All 6 orders reached no queue, so the broker dropped them: they were published to '
      + 'the exchange "ex09.order-events" with the routing key "order", which none of its bindings matched.');
  });

  it('fails services that never bind their queues: the exchange drops every order', async () => {
    const service = variant(SERVICE.solution, "await channel.bindQueue(queue, EXCHANGE, '');", '');
    const { verdict } = await runAndCheck(service, SHOP.solution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('All 6 orders reached no queue, so the broker dropped them: they were published to '
      + 'the exchange "ex09.order-events", which had no queue bound to it.');
  });

  it('fails when only billing binds its queue: shipping misses every order', async () => {
    const service = variant(SERVICE.solution, "await channel.bindQueue(queue, EXCHANGE, '');",
      "if (service === 'billing') await channel.bindQueue(queue, EXCHANGE, '');");
    const { verdict } = await runAndCheck(service, SHOP.solution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Shipping missed orders 1, 2, 3, 4, 5 and 6: they went to "amq\.gen-[\w-]+" \(read by billing\), while shipping reads the queue "amq\.gen-[\w-]+"\.$/);
  });

  it('fails services that bind the shared queue to the exchange and still read it together', async () => {
    const service = variant(SERVICE.starter, "await channel.assertQueue(QUEUE, { durable: false });",
      "await channel.assertQueue(QUEUE, { durable: false });\nawait channel.assertExchange('ex09.order-events', 'fanout', { durable: false });\nawait channel.bindQueue(QUEUE, 'ex09.order-events', '');");
    const { verdict } = await runAndCheck(service, SHOP.solution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Each order reached only one service:/);
  });

  it('fails a service that binds its queue twice to two exchanges and gets each order twice', async () => {
    const service = variant(SERVICE.solution, "await channel.bindQueue(queue, EXCHANGE, '');",
      "await channel.bindQueue(queue, EXCHANGE, '');\nconst second = await channel.assertQueue('', { exclusive: true });\nawait channel.bindQueue(second.queue, EXCHANGE, '');\nawait channel.consume(second.queue, (msg) => { console.log(`${service} handles order again`); channel.ack(msg); });");
    const { verdict } = await runAndCheck(service, SHOP.solution);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Billing handled orders 1, 2, 3, 4, 5 and 6 more than once: each service should '
      + 'handle each order once.');
  });

  it('fails garbage and failed runs with a message', () => {
    expect(checkPublishSubscribeRun(undefined).passed).toBe(false);
    expect(checkPublishSubscribeRun({ trace: [] }).messages[0]).toMatch(/recorded nothing/);
    expect(checkPublishSubscribeRun({ status: 'error', trace: [], error: { name: 'Error', message: 'boom' } }).messages[0])
      .toMatch(/stopped with Error: boom/);
    expect(checkPublishSubscribeRun({ trace: [{ kind: 'published', t: 1 }, 7, null] }).passed).toBe(false);
  });
});
