/**
 * Exercise 3 (lesson `03-decoupling`): orders placed before any worker exists.
 *
 * Two programs, two processes: `shop.mjs` places five orders in the queue `ex03.orders` and closes; `worker.mjs` is
 * started 3 s later (`runLine`) and packs orders from that queue. In the starter only the worker declares the queue,
 * so while the shop runs the queue does not exist: the default exchange finds no queue named by the routing key and
 * drops every order, and nobody is told (the shop does not set the mandatory flag). RabbitMQ does the same:
 * https://www.rabbitmq.com/docs/exchanges#default-exchange (the default exchange routes to the queue named by the
 * routing key) and https://www.rabbitmq.com/docs/publishers#unroutable (unroutable messages are dropped unless the
 * publisher asks to get them back). The fix is for the shop to declare the queue too, with the worker's options:
 * queue.declare is idempotent when the options match (https://www.rabbitmq.com/docs/queues#property-equivalence),
 * and a declaration with other options is refused with 406 PRECONDITION_FAILED.
 *
 * Starter and solution were run on a real RabbitMQ 3.x with the real amqplib (queue deleted first with
 * `rabbitmqctl delete_queue ex03.orders`, then `node shop.mjs`, and `node worker.mjs` 3 s later): the starter's
 * worker prints `worker started: 0 orders waiting` and packs nothing, the solution's packs orders #1 to #5; a shop
 * declaring the queue with `{ durable: false }` makes the worker fail with 406 PRECONDITION_FAILED. The simulator
 * prints the same lines (test/unit/exercise/decoupling-check.test.ts).
 *
 * The check judges the run, never the source:
 * - the five orders were published (bodies `{"id":N,…}`) by the shop, all before the worker process started: the
 *   shop must not wait for a worker;
 * - every order reached a queue (none dropped as unroutable) and a consumer on another connection received it;
 * - the worker printed `packed order #N` exactly once for each order, and each delivery was settled (acknowledged).
 */
import shopStarter from './03-decoupling/shop-starter.mjs?raw';
import shopSolution from './03-decoupling/shop-solution.mjs?raw';
import workerCode from './03-decoupling/worker-exercise.mjs?raw';
import type { AmqpFacts, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Orders the shop places. */
export const ORDERS = 5;
/** The queue both programs name. */
export const QUEUE = 'ex03.orders';
/** Simulated ms after the start at which the check's run starts the worker. */
export const WORKER_STARTS_AT_MS = 3000;

const PACKED = /\bpacked order #(\d+)\b/;
const ORDER_ID = /"id"\s*:\s*(\d+)/;

export const decouplingExercise: ExerciseDefinition = {
  id: '03-decoupling',
  lessonSlug: '03-decoupling',
  title: 'Exercise: orders for a worker that is not there yet',
  instructions: [
    'Two programs share the queue `ex03.orders`. The shop places five orders and closes; the worker packs orders '
      + 'from the queue. The run line starts the shop first and the worker 3 seconds later (`--at 3s`), long after '
      + 'the shop has closed: just the situation a queue is for.',
    'Press **Run** and read the console. The shop reports every order as placed, no error appears anywhere, and '
      + 'yet the worker finds no order waiting and packs nothing.',
    'Change the programs so that every order is packed exactly once, with the programs still started this way: the '
      + 'shop places its orders and closes without waiting for any worker. Keep the `packed order #…` line (the check '
      + 'reads it). Press **Check** to run both programs as the run line says and judge the run.',
  ],
  language: 'js',
  fileName: 'shop.mjs',
  starterCode: shopStarter,
  solutionCode: shopSolution,
  files: [
    { name: 'shop.mjs', starter: shopStarter, solution: shopSolution },
    { name: 'worker.mjs', starter: workerCode, solution: workerCode },
  ],
  runLine: `shop.mjs --at ${WORKER_STARTS_AT_MS / 1000}s worker.mjs`,
  hints: [
    'The orders left the shop, but they never reached the worker. Where was the queue `ex03.orders` while the shop '
      + 'was running? Which program creates it, and when?',
    'With the default exchange (`sendToQueue`) the routing key must name a queue that exists at that moment. A '
      + 'message no queue takes is dropped, and unless the publisher asked to hear about it, nobody is told.',
    'Let the shop declare the queue too, before it publishes, with exactly the same options as the worker: '
      + '`await channel.assertQueue(QUEUE, { durable: true })`. Declaring a queue that already exists with the same '
      + 'options changes nothing, so it does not matter which program starts first.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkDecouplingRun,
};

/** Order number in a message's body (or preview), if it is an order. */
function orderOf(message: MessageFact): number | undefined {
  const match = ORDER_ID.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** `order #3`, `orders #1, #2 and #5`. */
function orderNames(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b).map((id) => `#${id}`);
  return sorted.length === 1 ? `order ${sorted[0]}` : `orders ${list(sorted)}`;
}

/** When the worker process started: its `process-started` entry, else its first consumer. */
function workerStartMs(trace: readonly unknown[], facts: AmqpFacts): number | undefined {
  for (const e of trace) {
    const entry = e as { kind?: unknown; process?: unknown; t?: unknown };
    if (entry?.kind === 'process-started' && typeof entry.process === 'string' && /^worker/.test(entry.process)
      && typeof entry.t === 'number') return entry.t;
  }
  return facts.consumers[0]?.addedAtMs;
}

/** When a queue named `name` was first created in the run (its `queue-declared` entry), if it was. */
function queueCreatedAtMs(trace: readonly unknown[], name: string): number | undefined {
  for (const e of trace) {
    const entry = e as { kind?: unknown; queue?: unknown; t?: unknown };
    if (entry?.kind === 'queue-declared' && entry.queue === name && typeof entry.t === 'number') return entry.t;
  }
  return undefined;
}

/**
 * Judges a run of the two programs: passes when the shop published the five orders before the worker started, every
 * order waited in a queue, and the worker packed each exactly once and acknowledged it. Never throws.
 */
export function checkDecouplingRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) {
    const message = (run as { error?: { message?: unknown } } | undefined)?.error?.message;
    if (typeof message === 'string' && /inequivalent arg/.test(message)) {
      return fail(facts.messages[0], 'The broker refused a declaration of the queue: a queue that already exists '
        + 'can only be declared again with the options it was created with. Do both programs declare '
        + `\`${QUEUE}\` the same way?`);
    }
    return facts;
  }
  const trace = (run as { trace: unknown[] }).trace;
  const orders = [...facts.messages.values()].filter((m) => orderOf(m) !== undefined);
  const ids = [...new Set(orders.map((m) => orderOf(m)!))];
  const expected = Array.from({ length: ORDERS }, (_, i) => i + 1);

  // 1. The shop places its five orders (each once), and does not wait for the worker.
  if (orders.length === 0) {
    return fail('No order was published: the broker never heard of the shop\'s orders.',
      'Keep the shop\'s loop that places the orders (Reset restores it).');
  }
  const missing = expected.filter((id) => !ids.includes(id));
  if (missing.length > 0) {
    return fail(`${capitalize(orderNames(missing))} ${missing.length === 1 ? 'was' : 'were'} never published: the `
      + `shop must place its ${ORDERS} orders.`, 'Keep the shop\'s loop that places the orders (Reset restores it).');
  }
  const twice = expected.filter((id) => orders.filter((m) => orderOf(m) === id).length > 1);
  if (twice.length > 0) {
    return fail(`${capitalize(orderNames(twice))} ${twice.length === 1 ? 'was' : 'were'} published more than once: `
      + 'the shop must place each order once.');
  }
  const workerAtMs = workerStartMs(trace, facts);
  const late = orders.filter((m) => workerAtMs !== undefined && m.publishedAtMs >= workerAtMs);
  if (workerAtMs !== undefined && late.length > 0) {
    const first = late.reduce((a, b) => (b.publishedAtMs < a.publishedAtMs ? b : a));
    return fail(`The shop waited for the worker: order #${orderOf(first)} was published at ${at(first.publishedAtMs)}, `
      + `after the worker started at ${at(workerAtMs)}.`,
    'A producer should not need its consumers to be running: the shop must place its orders and close on its own, '
      + 'and the orders wait for the worker in the queue.');
  }

  // 2. Every order reached a queue.
  const dropped = orders.filter((m) => m.queues.length === 0);
  if (dropped.length > 0) {
    const all = dropped.length === ORDERS;
    const routingKeys = [...new Set(dropped.map((m) => m.routingKey))];
    const createdAtMs = routingKeys.length === 1 ? queueCreatedAtMs(trace, routingKeys[0]) : undefined;
    const returned = dropped.every((m) => facts.dropped.some((d) => d.msgId === m.msgId && d.reason === 'returned'));
    const them = dropped.length === 1 ? 'it' : 'them';
    const target = returned
      ? `no queue took ${them}: the broker sent ${them} back to the shop (published as mandatory)`
      : dropped[0].exchange === ''
      ? `no queue named \`${dropped[0].routingKey}\` existed: the default exchange dropped ${them}`
      : `no queue was bound to exchange \`${dropped[0].exchange}\` for routing key \`${dropped[0].routingKey}\`: the `
        + `exchange dropped ${dropped.length === 1 ? 'it' : 'them'}`;
    const messages = [`${all ? `All ${ORDERS} orders were` : `${capitalize(orderNames(dropped.map((m) => orderOf(m)!)))} `
      + `${dropped.length === 1 ? 'was' : 'were'}`} published while ${target}.${returned ? '' : ' No error told the shop.'}`];
    if (createdAtMs !== undefined) {
      messages.push(`The queue \`${routingKeys[0]}\` was created only at ${at(createdAtMs)}, when the worker `
        + `started; by then the shop had closed, and ${dropped.length === 1 ? 'that order was' : 'those orders were'} `
        + 'long gone. The worker never saw ' + (dropped.length === 1 ? 'it.' : 'them.'));
    } else {
      messages.push('The worker never saw ' + (dropped.length === 1 ? 'it.' : 'them.'));
    }
    return fail(...messages);
  }

  // 3. The worker received every order, on its own connection.
  const shopConnections = new Set(orders.map((m) => m.connection));
  const delivered = (id: number) => facts.deliveries.filter((d) => d.msgId === orders.find((m) => orderOf(m) === id)!.msgId
    && !shopConnections.has(d.connection));
  if (facts.deliveries.some((d) => shopConnections.has(d.connection))) {
    return fail('The shop consumed orders itself: orders must be packed by the worker, a program of its own.');
  }
  const neverDelivered = expected.filter((id) => delivered(id).length === 0);
  if (neverDelivered.length > 0) {
    const queues = [...new Set(orders.flatMap((m) => m.queues))];
    return fail(`${capitalize(orderNames(neverDelivered))} waited in the queue ${queues.map((q) => `\`${q}\``).join(', ')}`
      + `, but never reached the worker.`,
    facts.consumers.length === 0
      ? 'Nothing consumed from the queue. Keep the worker\'s `channel.consume` (Reset restores it).'
      : `The worker consumed from ${list([...new Set(facts.consumers.map((c) => `\`${c.queue}\``))])}: the shop and `
        + 'the worker must name the same queue.');
  }

  // 4. Packed exactly once each, and acknowledged.
  const packedLines = facts.lines.filter((l) => (l.level === 'log' || l.level === 'info') && PACKED.test(l.text));
  const packedCount = (id: number) => packedLines.filter((l) => Number(PACKED.exec(l.text)![1]) === id).length;
  const unpacked = expected.filter((id) => packedCount(id) === 0);
  if (unpacked.length > 0) {
    return fail(`${capitalize(orderNames(unpacked))} reached the worker but no \`packed order #…\` line followed.`,
      'Keep the worker\'s `packed order #…` line: the check reads it (Reset shows the original).');
  }
  const repacked = expected.filter((id) => packedCount(id) > 1);
  if (repacked.length > 0) {
    return fail(`${capitalize(orderNames(repacked))} ${repacked.length === 1 ? 'was' : 'were'} packed more than once `
      + `(order #${repacked[0]}: ${packedCount(repacked[0])} times).`, 'Each order must be packed exactly once.');
  }
  const unsettled = expected.filter((id) => !delivered(id).some((d) => d.settled === 'ack' || d.settled === 'auto'));
  if (unsettled.length > 0) {
    return fail(`${capitalize(orderNames(unsettled))} ${unsettled.length === 1 ? 'was' : 'were'} packed but never `
      + 'acknowledged: as far as the broker knows, the worker still holds '
      + (unsettled.length === 1 ? 'it.' : 'them.'),
    'The worker must acknowledge each order (`channel.ack(msg)`) once it is packed.');
  }

  const shopClosedAtMs = Math.max(...[...shopConnections].map((c) => facts.connections.get(c)?.closedAtMs ?? 0));
  const when = shopClosedAtMs > 0 && workerAtMs !== undefined
    ? ` The shop had closed at ${at(shopClosedAtMs)}; the worker started at ${at(workerAtMs)}.`
    : '';
  return {
    passed: true,
    messages: [
      `All ${ORDERS} orders waited in the queue while no worker was running, and the worker packed each of them `
        + `exactly once.${when}`,
      'Neither program needed the other to be running: the queue exists whichever of them starts first, and it '
        + 'holds the orders for as long as no worker is there.',
    ],
  };
}
