/**
 * Exercise 14 (lesson `14-dead-lettering`): a poison order that blocks the queue.
 *
 * Two programs, two processes: `worker.mjs` declares the queue `ex14.orders` and handles its orders one at a time
 * (prefetch 1); `shop.mjs`, started 1 s later (`runLine`), places six orders and closes. Order #3 has a quantity
 * no worker can read, so it fails every time. The starter's worker nacks a failed order with requeue: RabbitMQ puts
 * it back at the head of the queue (https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue) and the worker
 * gets it straight back, for ever; orders #4 to #6 wait behind it and the checked run stops at its time limit.
 *
 * The solution retries with a delay and then gives up: `ex14.orders` dead-letters rejected orders to the fanout
 * exchange `ex14.retry`, bound to the queue `ex14.retry`, whose `x-message-ttl` (1 s) and dead-letter exchange
 * (the default exchange, routing key `ex14.orders`) send each one back after the delay
 * (https://www.rabbitmq.com/docs/dlx, https://www.rabbitmq.com/docs/ttl). The worker reads how many times an order
 * has failed from the `count` of its `x-death` entry for `ex14.orders` (reason `rejected`); on the third failure it
 * publishes the order to `ex14.parked` and acknowledges it.
 *
 * Starter and solution were run on a real RabbitMQ 3.x with the real amqplib (queues deleted first with
 * `rabbitmqctl delete_queue`, `node worker.mjs`, then `node shop.mjs` a second later): the starter prints
 * `order #3 failed: …` over and over and `ex14.orders` keeps 4 messages; the solution handles orders 1, 2, 4, 5, 6,
 * fails #3 at attempts 1 and 2 a second apart and parks it after the third, leaving 1 message in `ex14.parked`.
 * The simulator prints the same lines (test/unit/exercise/dead-lettering-check.test.ts).
 *
 * The check judges the run, never the source:
 * - every good order (#1, #2, #4, #5, #6) was handled (`handled order #N`) exactly once and acknowledged;
 * - order #3 was delivered from `ex14.orders` exactly `MAX_ATTEMPTS` times, at least `RETRY_DELAY_MIN_MS` apart;
 * - at the end of the run order #3 waits in `ex14.parked`, once.
 */
import shopCode from './14-dead-lettering/shop.mjs?raw';
import workerStarter from './14-dead-lettering/worker-starter.mjs?raw';
import workerSolution from './14-dead-lettering/worker-solution.mjs?raw';
import type { AmqpFacts, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list, ms } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** The work queue, and where a given-up order must end. */
export const QUEUE = 'ex14.orders';
export const PARKED = 'ex14.parked';
/** The orders the shop places, and the one that always fails. */
export const ORDER_IDS = [1, 2, 3, 4, 5, 6] as const;
export const POISON = 3;
/** Attempts the poison order must get before it is parked. */
export const MAX_ATTEMPTS = 3;
/** Least gap between two attempts that counts as a delayed retry (the solution waits 1 s; latency may shave a little). */
export const RETRY_DELAY_MIN_MS = 900;
/** Simulated ms of the checked run. */
export const RUN_UNTIL_MS = 30_000;

const HANDLED = /\bhandled order #(\d+)\b/;
const ORDER_ID = /"id"\s*:\s*(\d+)/;

export const deadLetteringExercise: ExerciseDefinition = {
  id: '14-dead-lettering',
  lessonSlug: '14-dead-lettering',
  title: 'Exercise: the order that never goes through',
  instructions: [
    'The worker handles the orders in `ex14.orders` one at a time; the shop, started a second later, places six. '
      + 'Order #3 has a quantity no program can read: it fails every time.',
    'Press **Run** and read the console. The worker puts the failed order back in the queue to try it again, and '
      + 'gets it straight back, again and again. Orders #4, #5 and #6 are never handled.',
    `Change the worker so that a failed order is tried again after a delay of at least a second, ${MAX_ATTEMPTS} `
      + `attempts in all, and after the last one ends in the queue \`${PARKED}\` for a human to look at. Every good `
      + 'order must be handled exactly once. Keep the `handled order #…` line (the check reads it). Press **Check** '
      + 'to run both programs as the run line says and judge the run.',
  ],
  language: 'js',
  fileName: 'worker.mjs',
  starterCode: workerStarter,
  solutionCode: workerSolution,
  files: [
    { name: 'worker.mjs', starter: workerStarter, solution: workerSolution },
    { name: 'shop.mjs', starter: shopCode, solution: shopCode },
  ],
  runLine: 'worker.mjs --at 1s shop.mjs',
  hints: [
    'Putting a message back with requeue puts it at the head of its queue. With prefetch 1 the worker gets the same '
      + 'order back at once, fails again, and never reaches the ones behind it. A failed order has to leave '
      + '`ex14.orders` for a while.',
    'Reject it without requeue (`channel.nack(msg, false, false)`) from a queue that has a dead-letter exchange, '
      + 'and let that exchange lead to a retry queue that nobody consumes, with `messageTtl: 1000` and a dead-letter '
      + 'exchange of its own that sends expired orders back to `ex14.orders` (`deadLetterExchange: \'\'`, '
      + '`deadLetterRoutingKey: \'ex14.orders\'`).',
    'Each rejection from `ex14.orders` adds to the `count` of the `x-death` header entry whose `queue` is '
      + '`ex14.orders` and `reason` is `rejected`. Read it: on the third failure send the order to `ex14.parked` '
      + '(`sendToQueue`) and acknowledge it instead of rejecting it. A queue\'s arguments cannot change once it '
      + 'exists: declare `ex14.orders` with `deadLetterExchange` from the start.',
  ],
  run: { seed: 1, untilMs: RUN_UNTIL_MS },
  check: checkDeadLetteringRun,
};

/** Order number in a message's body (or preview), if it is an order. */
function orderOf(message: MessageFact | undefined): number | undefined {
  if (message === undefined) return undefined;
  const match = ORDER_ID.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** `order #3`, `orders #4, #5 and #6`. */
function orderNames(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b).map((id) => `#${id}`);
  return sorted.length === 1 ? `order ${sorted[0]}` : `orders ${list(sorted)}`;
}

/** The queues in which each of `msgIds` is ready at the end of the trace (a copy per queue). */
function readyAtEnd(trace: readonly unknown[], msgIds: ReadonlySet<string>): Map<string, string[]> {
  const where = new Map<string, Set<string>>();
  const queuesOf = (id: string) => {
    let set = where.get(id);
    if (set === undefined) where.set(id, set = new Set());
    return set;
  };
  for (const raw of trace) {
    const e = raw as { kind?: unknown; msgId?: unknown; queue?: unknown; reason?: unknown };
    if (typeof e?.msgId !== 'string' || !msgIds.has(e.msgId)) {
      if ((e?.kind === 'queue-deleted' || e?.kind === 'queue-purged') && typeof e.queue === 'string') {
        for (const set of where.values()) set.delete(e.queue);
      }
      continue;
    }
    const queue = typeof e.queue === 'string' ? e.queue : undefined;
    switch (e.kind) {
      case 'enqueued':
      case 'requeued':
        if (queue !== undefined) queuesOf(e.msgId).add(queue);
        break;
      case 'delivered':
        if (queue !== undefined) queuesOf(e.msgId).delete(queue);
        break;
      case 'dead-lettered':
        if (queue !== undefined && e.reason !== 'rejected') queuesOf(e.msgId).delete(queue);
        break;
      case 'dropped':
        if (queue !== undefined) queuesOf(e.msgId).delete(queue);
        else if (e.reason !== 'acked-on-delivery' && e.reason !== 'returned') queuesOf(e.msgId).clear();
        break;
      default:
        break;
    }
  }
  return new Map([...where].map(([id, set]) => [id, [...set]]));
}

/** What became of a delivery of the poison order after it failed, in words. */
function fateOf(facts: AmqpFacts, msgId: string, settled: string): string {
  const dead = facts.deadLettered.filter((d) => d.msgId === msgId && d.queue === QUEUE && d.reason === 'rejected');
  if (settled === 'reject') {
    return dead.length > 0
      ? `it was rejected and dead-lettered to exchange \`${dead[dead.length - 1].exchange || '(default)'}\``
      : `it was rejected without requeue from a queue with no dead-letter exchange, so the broker dropped it`;
  }
  if (settled === 'requeue') return 'it was put back in the queue';
  if (settled === 'ack') return 'it was acknowledged';
  return 'it was never settled';
}

/**
 * Judges a run of the worker and the shop: passes when every good order was handled once and acknowledged, and the
 * poison order was tried `MAX_ATTEMPTS` times, at least `RETRY_DELAY_MIN_MS` apart, and ended in `ex14.parked`.
 * Never throws.
 */
export function checkDeadLetteringRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) {
    const message = (run as { error?: { message?: unknown } } | undefined)?.error?.message;
    if (typeof message === 'string' && /inequivalent arg/.test(message)) {
      return fail(facts.messages[0], 'The broker refused a declaration: a queue that already exists can only be '
        + 'declared again with the arguments it was created with. Do all declarations of a queue agree?');
    }
    return facts;
  }
  const trace = (run as { trace: unknown[] }).trace;
  const status = (run as { status?: unknown }).status;
  const orders = [...facts.messages.values()].filter((m) => orderOf(m) !== undefined);
  const firstPublisher = orders[0]?.connection;
  const originals = orders.filter((m) => m.connection === firstPublisher);
  const good = ORDER_IDS.filter((id) => id !== POISON);

  // 1. The shop's six orders were published.
  const missing = ORDER_IDS.filter((id) => !originals.some((m) => orderOf(m) === id));
  if (missing.length > 0) {
    return fail(`${capitalize(orderNames(missing))} ${missing.length === 1 ? 'was' : 'were'} never published: the `
      + 'shop must place its six orders.', 'Keep the shop as it is (Reset restores it).');
  }

  // 2. Every good order handled, once, and acknowledged.
  const handled = facts.lines.filter((l) => (l.level === 'log' || l.level === 'info') && HANDLED.test(l.text))
    .map((l) => Number(HANDLED.exec(l.text)![1]));
  const poisonIds = new Set(orders.filter((m) => orderOf(m) === POISON).map((m) => m.msgId));
  const attempts = facts.deliveries.filter((d) => poisonIds.has(d.msgId) && d.queue === QUEUE)
    .sort((a, b) => a.atMs - b.atMs);
  const unhandled = good.filter((id) => !handled.includes(id));
  if (unhandled.length > 0) {
    const stuck = attempts.length > 2 * MAX_ATTEMPTS && attempts.every((d) => d.settled === 'requeue'
      || d.settled === 'none');
    if (stuck) {
      const limit = status === 'time-limit' ? ` The run stopped at its ${at(RUN_UNTIL_MS)} limit with them still `
        + 'waiting.' : '';
      return fail(`Order #${POISON} failed ${attempts.length} times in a row: each time it went back to the head of `
        + `\`${QUEUE}\` and the worker got it straight back. ${capitalize(orderNames(unhandled))} waited behind it `
        + `and ${unhandled.length === 1 ? 'was' : 'were'} never handled.${limit}`,
      'A message that fails every time must not go straight back to the queue it came from.');
    }
    return fail(`${capitalize(orderNames(unhandled))} ${unhandled.length === 1 ? 'was' : 'were'} never handled: no `
      + '`handled order #…` line for ' + (unhandled.length === 1 ? 'it.' : 'them.'),
    'Keep the worker\'s `handled order #…` line (Reset shows the original).');
  }
  const twice = good.filter((id) => handled.filter((h) => h === id).length > 1);
  if (twice.length > 0) {
    return fail(`${capitalize(orderNames(twice))} ${twice.length === 1 ? 'was' : 'were'} handled more than once: `
      + 'a good order must be handled exactly once.');
  }
  if (handled.includes(POISON)) {
    return fail(`Order #${POISON} was reported as handled, but it cannot be: its quantity is not a number.`,
      'Keep the worker\'s `handle` function: the poison order must fail.');
  }
  const unacked = good.filter((id) => !facts.deliveries.some((d) => d.settled === 'ack'
    && orderOf(facts.messages.get(d.msgId)) === id));
  if (unacked.length > 0) {
    return fail(`${capitalize(orderNames(unacked))} ${unacked.length === 1 ? 'was' : 'were'} handled but never `
      + 'acknowledged.', 'The worker must acknowledge each order it has handled (`channel.ack(msg)`).');
  }

  // 3. The poison order: MAX_ATTEMPTS attempts, a delay between them.
  if (attempts.length < MAX_ATTEMPTS) {
    const last = attempts[attempts.length - 1];
    const fate = last === undefined ? 'it never reached the worker' : fateOf(facts, last.msgId, last.settled);
    return fail(`Order #${POISON} was tried only ${attempts.length === 1 ? 'once' : `${attempts.length} times`}: `
      + `after that ${fate}.`,
    `A failure may be passing (a database that was restarting): give each order ${MAX_ATTEMPTS} attempts before `
      + 'giving up on it.');
  }
  if (attempts.length > MAX_ATTEMPTS) {
    return fail(`Order #${POISON} was tried ${attempts.length} times: the worker must give up after the `
      + `${MAX_ATTEMPTS === 3 ? 'third' : `${MAX_ATTEMPTS}th`} attempt.`,
    'Count the attempts an order has had: the `x-death` header records every rejection from a queue.');
  }
  for (let i = 1; i < attempts.length; i++) {
    const gap = attempts[i].atMs - attempts[i - 1].atMs;
    if (gap < RETRY_DELAY_MIN_MS) {
      return fail(`Order #${POISON} was tried again only ${ms(gap)} after attempt ${i} (at ${at(attempts[i - 1].atMs)} `
        + `and ${at(attempts[i].atMs)}): retries must wait at least a second.`,
      'Let a failed order wait in a queue of its own with a message TTL, which sends it back when it expires.');
    }
  }

  // 4. It ends, once, in the parking queue.
  const ready = readyAtEnd(trace, poisonIds);
  const places = [...ready.values()].flat();
  const parked = places.filter((q) => q === PARKED).length;
  if (parked === 0) {
    const last = attempts[attempts.length - 1];
    const elsewhere = places.filter((q) => q !== PARKED);
    const where = elsewhere.length > 0
      ? `it is waiting in ${list([...new Set(elsewhere)].map((q) => `\`${q}\``))}`
      : fateOf(facts, last.msgId, last.settled);
    return fail(`After its last attempt order #${POISON} is not in \`${PARKED}\`: ${where}.`,
      `An order the worker gives up on must be kept for a human: publish it to \`${PARKED}\` and acknowledge it.`);
  }
  if (parked > 1) {
    return fail(`Order #${POISON} is in \`${PARKED}\` ${parked} times: park it once.`);
  }

  const gaps = attempts.slice(1).map((d, i) => d.atMs - attempts[i].atMs);
  return {
    passed: true,
    messages: [
      `Orders ${list(good.map((id) => `#${id}`))} were handled once each. Order #${POISON} was tried ${MAX_ATTEMPTS} `
        + `times (at ${list(attempts.map((d) => at(d.atMs)))}, ${gaps.map(ms).join(' and ')} apart) and then `
        + `parked in \`${PARKED}\`.`,
      'The poison order no longer blocks the queue: while it waited for its retry, the orders behind it went '
        + 'through.',
    ],
  };
}
