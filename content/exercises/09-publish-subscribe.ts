/**
 * Exercise 9 (lesson `09-publish-subscribe`): every service hears about every order.
 *
 * Two processes of `service.mjs` (billing and shipping) and the shop (`shop.mjs 6`, six orders 200 ms apart). In the
 * starter the shop sends each order to the queue `ex09.orders` and both services consume that one queue, so they
 * compete: billing handles orders 1, 3, 5 and shipping 2, 4, 6. The learner makes the shop publish to a fanout
 * exchange and gives each service a queue of its own bound to it.
 *
 * The check judges the run, never the source:
 * - the shop published `ORDERS` orders (messages whose JSON body has an `id`), each once (the broker makes the
 *   copies, not the shop), and each reached at least one queue;
 * - each service (a consumer whose connection is named `billing` or `shipping`) handled, exactly once, every order
 *   published after it started consuming (a delivery it acknowledged, or one settled on delivery with noAck);
 * - when both services missed orders because they read the same queue, the verdict says so (competing consumers).
 * The same files run unchanged on a real RabbitMQ (`node service.mjs billing`, `node service.mjs shipping`,
 * `node shop.mjs 6`, each in its own terminal).
 */
import serviceStarter from './09-publish-subscribe/service.starter.mjs?raw';
import serviceSolution from './09-publish-subscribe/service.solution.mjs?raw';
import shopStarter from './09-publish-subscribe/shop.starter.mjs?raw';
import shopSolution from './09-publish-subscribe/shop.solution.mjs?raw';
import type { DeliveryFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { capitalize, factsOfRun, fail, isVerdict, list, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Orders the shop places in the checked run (`shop.mjs 6`). */
export const ORDERS = 6;
/** The services, by their connection names, in the order the run line starts them. */
export const SERVICES = ['billing', 'shipping'] as const;

export const publishSubscribeExercise: ExerciseDefinition = {
  id: '09-publish-subscribe',
  lessonSlug: '09-publish-subscribe',
  title: 'Exercise: every service hears about every order',
  instructions: [
    'The shop places six orders. Billing must write an invoice for each of them and shipping must pack each of '
      + 'them, so both services need to hear about every order. Press **Run**: the run line starts '
      + '`service.mjs` twice (as billing and as shipping), then the shop.',
    'Read the console: each order reaches only one of the two services. Change the programs so that billing and '
      + 'shipping each handle all six orders, each order once.',
    'Keep the connection names (`billing`, `shipping`, `shop`): the check knows the services by them. Press '
      + '**Check** to run the three processes and judge the run.',
  ],
  language: 'js',
  starterCode: serviceStarter,
  solutionCode: serviceSolution,
  fileName: 'service.mjs',
  files: [
    { name: 'service.mjs', starter: serviceStarter, solution: serviceSolution },
    { name: 'shop.mjs', starter: shopStarter, solution: shopSolution },
  ],
  runLine: '"service.mjs billing" "service.mjs shipping" "shop.mjs 6"',
  hints: [
    'Both services read from the same queue. How many times can one message in one queue be delivered?',
    'Each service needs a queue of its own, and the shop must put a copy of every order in each of them. Which '
      + 'kind of exchange copies a message into every queue bound to it?',
    'In `shop.mjs`, declare a fanout exchange (`assertExchange(\'ex09.order-events\', \'fanout\', { durable: false })`) '
      + 'and `publish` to it. In `service.mjs`, declare the same exchange, then `const { queue } = await '
      + 'channel.assertQueue(\'\', { exclusive: true })`, `bindQueue(queue, \'ex09.order-events\', \'\')`, and '
      + 'consume from `queue`.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkPublishSubscribeRun,
};

const ORDER_ID = /"id"\s*:\s*(\d+)/;

/** The order number in a message's body (or preview), if any. */
function orderOf(message: MessageFact): number | undefined {
  const match = ORDER_ID.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** `order 3`, `orders 1, 3 and 5`. */
const orderNames = (ids: readonly number[]) => (ids.length === 1 ? `order ${ids[0]}` : `orders ${list(ids.map(String))}`);

/** A delivery the service finished: acknowledged, or settled on delivery (noAck). */
const handled = (d: DeliveryFact) => d.settled === 'ack' || d.settled === 'auto';

/**
 * Judges a run of the exercise's three processes: passes when each service handled every order published after it
 * subscribed, exactly once.
 */
export function checkPublishSubscribeRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;

  const orders = [...facts.messages.values()]
    .map((m) => ({ m, id: orderOf(m) }))
    .filter((o): o is { m: MessageFact; id: number } => o.id !== undefined);
  if (orders.length === 0) {
    return fail('The shop published no order: the check found no message with an order `id` in its body.',
      'Keep the shop\'s loop as it is: it publishes one JSON order (`{ id, total }`) at a time.');
  }
  const ids = [...new Set(orders.map((o) => o.id))].sort((a, b) => a - b);
  if (ids.length < ORDERS) {
    return fail(`The shop published ${plural(ids.length, 'order')}, not ${ORDERS}.`,
      'The run line starts `shop.mjs 6`: keep the shop\'s loop placing one order per number.');
  }

  // Each order published once: the broker makes the copies, not the shop.
  const repeated = ids.filter((id) => orders.filter((o) => o.id === id).length > 1);
  if (repeated.length > 0) {
    const times = orders.filter((o) => o.id === repeated[0]).length;
    return fail(`The shop published ${orderNames(repeated)} more than once (order ${repeated[0]}: ${times} times).`,
      'A publisher that sends one copy per receiver has to know every receiver, and changes with each new one. '
        + 'Publish each order once and let the broker make a copy for every service.');
  }

  // Orders that reached no queue were dropped by the exchange.
  const unrouted = orders.filter((o) => o.m.queues.length === 0);
  if (unrouted.length > 0) {
    const exchange = unrouted[0].m.exchange;
    const bound = facts.bindings.filter((b) => b.exchange === exchange);
    const it = unrouted.length === 1 ? 'it was' : 'they were';
    const where = exchange === ''
      ? `${it} sent to the queue "${unrouted[0].m.routingKey}" through the default exchange, and no queue of that name existed`
      : bound.length === 0
        ? `${it} published to the exchange "${exchange}", which had no queue bound to it`
        : `${it} published to the exchange "${exchange}" with the routing key "${unrouted[0].m.routingKey}", `
          + 'which none of its bindings matched';
    const count = unrouted.length === orders.length ? `All ${plural(orders.length, 'order')}` : capitalize(orderNames(unrouted.map((o) => o.id)));
    return fail(`${count} reached no queue, so the broker dropped ${unrouted.length === 1 ? 'it' : 'them'}: ${where}.`,
      'A message the exchange cannot route to any queue is gone, without an error.');
  }

  // Each service: its consumers (by connection name) and what it handled.
  const verdicts: Array<{ service: string; missed: number[]; twice: number[]; queues: string[]; got: number[] }> = [];
  for (const service of SERVICES) {
    const connections = new Set([...facts.connections.values()].filter((c) => c.label === service).map((c) => c.id));
    const consumers = facts.consumers.filter((c) => connections.has(c.connection));
    if (connections.size === 0) {
      return fail(`No connection named "${service}" took part in the run, so the check cannot tell what ${service} handled.`,
        `Keep \`connection_name: service\` in service.mjs: the run line starts it as ${SERVICES.join(' and ')}.`);
    }
    if (consumers.length === 0) {
      return fail(`${capitalize(service)} never consumed from any queue, so it handled no order.`);
    }
    const since = Math.min(...consumers.map((c) => c.addedAtMs));
    const due = orders.filter((o) => o.m.publishedAtMs >= since);
    const mine = facts.deliveries.filter((d) => connections.has(d.connection) && handled(d));
    const countOf = (o: { m: MessageFact }) => mine.filter((d) => d.msgId === o.m.msgId).length;
    verdicts.push({
      service,
      missed: due.filter((o) => countOf(o) === 0).map((o) => o.id),
      twice: due.filter((o) => countOf(o) > 1).map((o) => o.id),
      queues: [...new Set(consumers.map((c) => c.queue))],
      got: orders.filter((o) => countOf(o) > 0).map((o) => o.id),
    });
  }

  const missing = verdicts.filter((v) => v.missed.length > 0);
  if (missing.length > 0) {
    const shared = verdicts[0].queues.find((q) => verdicts.every((v) => v.queues.includes(q)));
    if (shared !== undefined && missing.length === verdicts.length) {
      const who = verdicts.map((v) => `${v.service} handled ${v.got.length === 0 ? 'none' : orderNames(v.got)}`);
      return fail(`Each order reached only one service: ${list(who)}.`,
        `Both services consumed from the same queue, "${shared}", so they took turns with its messages, as the `
          + 'workers of a work queue do: a message in a queue is delivered to one consumer.');
    }
    const v = missing[0];
    const reached = [...new Set(orders.filter((o) => v.missed.includes(o.id)).flatMap((o) => o.m.queues))];
    const owner = (q: string) => {
      const readers = verdicts.filter((w) => w.queues.includes(q)).map((w) => w.service);
      return readers.length === 0 ? `"${q}", which no service reads` : `"${q}" (read by ${list(readers)})`;
    };
    const reads = v.queues.length === 1 ? `the queue "${v.queues[0]}"` : `the queues ${list(v.queues.map((q) => `"${q}"`))}`;
    return fail(`${capitalize(v.service)} missed ${orderNames(v.missed)}: ${v.missed.length === 1 ? 'it' : 'they'} `
      + `went to ${list(reached.map(owner))}, while ${v.service} reads ${reads}.`,
    `${capitalize(v.service)} was already subscribed when ${v.missed.length === 1 ? 'it was' : 'they were'} published; `
      + 'only the queues bound to the exchange the shop publishes to get a copy.');
  }
  const doubled = verdicts.find((v) => v.twice.length > 0);
  if (doubled !== undefined) {
    return fail(`${capitalize(doubled.service)} handled ${orderNames(doubled.twice)} more than once: each service `
      + 'should handle each order once.',
    `${capitalize(doubled.service)} consumed from ${list(doubled.queues.map((q) => `"${q}"`))}; a service needs one `
      + 'queue, bound once, to get one copy of each order.');
  }

  return {
    passed: true,
    messages: [
      `Billing and shipping each handled all ${ORDERS} orders, each order once: the exchange put a copy of every `
        + 'order in each service\'s own queue.',
      'The shop published each order once and did not need to know who listens: a third service would only '
        + 'bind a queue of its own.',
    ],
  };
}
