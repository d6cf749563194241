/**
 * Exercise 13 (lesson `13-publisher-confirms`): a shop that must not lose orders across a broker restart.
 *
 * Two programs, two processes: `shop.mjs` places ten orders in the durable queue `ex13.orders`, one every 250 ms,
 * and closes; `worker.mjs` starts at 4 s (`runLine`) and ships what it finds. The checked run restarts the broker at
 * 1 s (down for 1 s): a restart closes every connection with 320 CONNECTION_FORCED, and a durable queue keeps only
 * its persistent messages (https://www.rabbitmq.com/docs/queues#durability, /docs/persistence-conf). The starter
 * publishes transient messages on a plain channel and never hears back: the four orders it placed before the
 * restart were in memory only and are gone, and its next `sendToQueue` throws `Channel closed`. The solution
 * publishes persistent messages on a confirm channel (https://www.rabbitmq.com/docs/confirms#publisher-confirms),
 * keeps every order until the broker confirms it, and after the restart connects again and publishes the
 * unconfirmed ones again.
 *
 * Starter and solution were run on a real RabbitMQ 3.x with the real amqplib without a restart (same lines as the
 * simulator: ten `sent order #N`, then the worker ships #1 to #10). The restart itself was checked on the simulator
 * only (its restart, reconnect and confirm behaviour is compared with RabbitMQ in test/conformance/); restarting
 * the shared development broker would have cut every other program using it.
 *
 * The check judges the run, never the source: every order #1 to #10 must be shipped by the worker (a
 * `shipped order #N` line) at least once. For orders that never arrived it says why, from the trace: never
 * published, published but lost on the way when the broker stopped, or stored as transient and wiped by the restart.
 */
import shopStarter from './13-publisher-confirms/shop-starter.mjs?raw';
import shopSolution from './13-publisher-confirms/shop-solution.mjs?raw';
import workerCode from './13-publisher-confirms/worker.mjs?raw';
import { amqpFacts, type MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

export const QUEUE = 'ex13.orders';
export const ORDERS = 10;
/** The checked run's broker restart: at 1 s, down for 1 s. */
export const RESTART_AT_MS = 1000;
export const RESTART_DOWN_MS = 1000;

const SHIPPED = /\bshipped order #(\d+)\b/;
const ORDER_ID = /"id"\s*:\s*(\d+)/;

export const publisherConfirmsExercise: ExerciseDefinition = {
  id: '13-publisher-confirms',
  lessonSlug: '13-publisher-confirms',
  title: 'Exercise: no order lost in a broker restart',
  instructions: [
    'The shop places ten orders in `ex13.orders`, one every 250 ms, and closes; the worker starts at 4 s and ships '
      + 'what it finds. In every run of this exercise (**Run** and **Check**) the broker restarts at 1 s and is back '
      + 'at 2 s.',
    'Press **Run** and read the console: the shop stops with an error at its fifth order, and the worker finds no '
      + 'order waiting, not even the four the shop had sent before the restart.',
    'Change the shop so that every order is shipped, even though the broker restarts while the shop is placing '
      + 'them. An order shipped twice is acceptable; a lost one is not. Keep the `shipped order #…` line in the '
      + 'worker (the check reads it).',
  ],
  language: 'js',
  fileName: 'shop.mjs',
  starterCode: shopStarter,
  solutionCode: shopSolution,
  files: [
    { name: 'shop.mjs', starter: shopStarter, solution: shopSolution },
    { name: 'worker.mjs', starter: workerCode, solution: workerCode },
  ],
  runLine: 'shop.mjs --at 4s worker.mjs',
  hints: [
    'Two things went wrong in the restart. What did the broker keep of the orders that had reached the queue? And '
      + 'how could the shop tell which orders the broker really had?',
    'A durable queue keeps only persistent messages through a restart: publish with `{ persistent: true }`. To learn '
      + 'which orders the broker took, open a confirm channel (`connection.createConfirmChannel()`) and pass a '
      + 'callback to `sendToQueue`: it is called with `null` once the broker has the message.',
    'Keep the orders not confirmed yet (a Map from id to order). Catch the error when the connection is closed, '
      + 'connect again (retry while the broker is down) and publish the unconfirmed orders again, until none is left.',
  ],
  run: { seed: 1, untilMs: 30_000, faults: [{ id: 'restart-broker', atMs: RESTART_AT_MS, valueMs: RESTART_DOWN_MS }] },
  check: checkPublisherConfirmsRun,
};

function orderOf(message: MessageFact | undefined): number | undefined {
  if (message === undefined) return undefined;
  const match = ORDER_ID.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

function orderNames(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b).map((id) => `#${id}`);
  return sorted.length === 1 ? `order ${sorted[0]}` : `orders ${list(sorted, 10)}`;
}

const was = (ids: readonly number[]) => (ids.length === 1 ? 'was' : 'were');

/**
 * Judges a run of the shop and the worker with the broker restart: passes when the worker shipped every order at
 * least once. Never throws.
 */
export function checkPublisherConfirmsRun(run: unknown): CheckResult {
  // The shop may have stopped with an error in the restart: judge the orders all the same, from the trace.
  const record = run as { trace?: unknown; status?: unknown; error?: { name?: unknown; message?: unknown; line?: unknown; process?: unknown } };
  const shopCrashed = record?.status === 'error' && typeof record.error?.process === 'string'
    && /^shop/.test(record.error.process) && Array.isArray(record.trace) && record.trace.length > 0;
  const facts = shopCrashed ? amqpFacts(record.trace as unknown[]) : factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;
  const trace = record.trace as unknown[];
  const stoppedAtMs = (trace.find((e) => (e as { kind?: unknown } | null)?.kind === 'broker-stopped') as { t?: number } | undefined)?.t;
  const expected = Array.from({ length: ORDERS }, (_, i) => i + 1);
  const orders = [...facts.messages.values()].filter((m) => orderOf(m) !== undefined);
  const shipped = new Set(facts.lines.filter((l) => SHIPPED.test(l.text)).map((l) => Number(SHIPPED.exec(l.text)![1])));
  const missing = expected.filter((id) => !shipped.has(id));

  if (missing.length > 0) {
    const copies = (id: number) => orders.filter((m) => orderOf(m) === id);
    const never = missing.filter((id) => copies(id).length === 0);
    const wiped = missing.filter((id) => copies(id).length > 0 && copies(id).every((m) =>
      facts.dropped.some((d) => d.msgId === m.msgId && d.reason === 'transient')));
    const inFlight = missing.filter((id) => !never.includes(id) && !wiped.includes(id) && copies(id).every((m) =>
      m.queues.length === 0 && !facts.dropped.some((d) => d.msgId === m.msgId)));
    const other = missing.filter((id) => !never.includes(id) && !wiped.includes(id) && !inFlight.includes(id));
    const parts: string[] = [];
    const restart = stoppedAtMs === undefined ? '' : `The broker restarted at ${at(stoppedAtMs)}. `;
    if (wiped.length > 0) {
      parts.push(`${capitalize(orderNames(wiped))} had reached the queue, but as transient messages: the restart `
        + `wiped ${wiped.length === 1 ? 'it' : 'them'}, and nobody told the shop.`);
    }
    if (inFlight.length > 0) {
      parts.push(`${capitalize(orderNames(inFlight))} ${was(inFlight)} on the way when the broker stopped: it never `
        + `got ${inFlight.length === 1 ? 'it' : 'them'}, and the shop never learned.`);
    }
    if (never.length > 0) {
      const error = `${String(record.error?.name)}: ${String(record.error?.message)}`
        + `${typeof record.error?.line === 'number' ? ` (line ${record.error.line})` : ''}`;
      const why = !shopCrashed ? ''
        : stoppedAtMs === undefined ? `: the shop stopped with ${error}`
        : `: the restart closed the shop's connection, and its next call failed with ${error}`;
      parts.push(`${capitalize(orderNames(never))} ${was(never)} never published${why}.`);
    }
    if (other.length > 0) {
      parts.push(`${capitalize(orderNames(other))} ${was(other)} published but never shipped by the worker.`);
    }
    return fail(`${restart}${parts[0]}`, ...parts.slice(1),
      `The worker shipped ${shipped.size === 0 ? 'none' : `only ${shipped.size}`} of the ${ORDERS} orders.`);
  }

  const twice = expected.filter((id) => facts.lines.filter((l) => SHIPPED.test(l.text)
    && Number(SHIPPED.exec(l.text)![1]) === id).length > 1);
  return {
    passed: true,
    messages: [
      `All ${ORDERS} orders were shipped, although the broker restarted${stoppedAtMs === undefined ? '' : ` at `
        + `${at(stoppedAtMs)}`} while the shop was placing them.${twice.length > 0 ? ` ${capitalize(orderNames(twice))} `
        + `${was(twice)} shipped twice: published again because the confirm never came (at-least-once delivery).` : ''}`,
      'Persistent messages in a durable queue survived the restart, and the confirms told the shop which orders the '
        + 'broker had, so it could publish the others again.',
    ],
  };
}
