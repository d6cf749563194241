/**
 * Exercise 15 (lesson `15-ttl-and-limits`): stale prices must never be handled.
 *
 * Two processes: the pricer (`pricer.mjs`, the learner's file), which declares `ex15.prices` and the audit queue
 * `ex15.audit` and handles one update at a time in 500 ms (prefetch 1), and the feed (`feed.mjs 30`, thirty updates
 * 100 ms apart). In the starter the queue has no arguments: the backlog grows to about twenty updates and the pricer
 * handles prices that waited seconds. The learner gives the queue a message TTL, a length limit and a dead-letter
 * route to the audit queue.
 *
 * The check judges the run, never the source:
 * - the feed published `UPDATES` updates to `ex15.prices`;
 * - the pricer consumed with prefetch 1 (a bigger prefetch moves the backlog out of the queue, into the pricer,
 *   where no TTL or limit applies) and spent at least `HANDLE_MS` on each update it acknowledged;
 * - no update the pricer handled had waited more than `STALE_MS` in `ex15.prices` (delivery time − enqueue time);
 * - `ex15.prices` never held more than `MAX_READY` ready updates (the depth at the end of each simulated instant:
 *   with drop-head a new message is in the queue for no time before the oldest leaves);
 * - every update the pricer did not handle reached `ex15.audit` (none dropped, none refused without a route).
 * The same files run unchanged on a real RabbitMQ (`node pricer.mjs`, then `node feed.mjs 30`).
 */
import pricerStarter from './15-ttl-and-limits/pricer.starter.mjs?raw';
import pricerSolution from './15-ttl-and-limits/pricer.solution.mjs?raw';
import feed from './15-ttl-and-limits/feed.mjs?raw';
import type { AmqpFacts } from '../../simulator/brokers/amqp/queries.ts';
import { factsOfRun, fail, isVerdict, list, ms, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';
import { isRecord } from '../../src/lib/is-record.ts';

/** Updates the feed publishes in the checked run (`feed.mjs 30`). */
export const UPDATES = 30;
/** The queue of price updates and the audit queue. */
export const PRICES = 'ex15.prices';
export const AUDIT = 'ex15.audit';
/** An update that waited longer than this in the queue is stale (simulated ms). */
export const STALE_MS = 2000;
/** Most ready updates the queue may hold. */
export const MAX_READY = 10;
/** What handling one update takes (simulated ms). */
export const HANDLE_MS = 500;

export const ttlAndLimitsExercise: ExerciseDefinition = {
  id: '15-ttl-and-limits',
  lessonSlug: '15-ttl-and-limits',
  title: 'Exercise: no stale prices',
  instructions: [
    'The feed publishes thirty price updates, one every 100 ms. The pricer needs 500 ms for each, so updates pile '
      + 'up in `ex15.prices`. Press **Run**: the pricer handles every update, the last ones long after they were '
      + 'published.',
    `Change \`pricer.mjs\` so that: no update that waited more than 2 seconds in the queue is handled; the queue `
      + `never holds more than ${MAX_READY} updates; and every update that expires or is pushed out ends up in the `
      + 'audit queue `ex15.audit`.',
    'Keep the 500 ms of handling and the prefetch of 1, and leave `feed.mjs` as it is. **Check** starts the pricer, '
      + 'then the feed, and judges the run. (On a real RabbitMQ, delete `ex15.prices` before you run the changed '
      + 'pricer: a queue cannot be declared again with other arguments.)',
  ],
  language: 'js',
  starterCode: pricerStarter,
  solutionCode: pricerSolution,
  fileName: 'pricer.mjs',
  files: [
    { name: 'pricer.mjs', starter: pricerStarter, solution: pricerSolution },
    { name: 'feed.mjs', starter: feed, solution: feed },
  ],
  runLine: 'pricer.mjs "feed.mjs 30"',
  hints: [
    'Nothing in the program can make an update leave the queue early: the queue itself has to do it. What can a '
      + 'queue be told when it is declared?',
    'A message TTL (`messageTtl`, in ms) makes old updates expire; a length limit (`maxLength`) makes the queue '
      + 'drop its oldest update when a new one arrives. Without a dead-letter exchange both are simply thrown away.',
    'Declare the queue with `{ durable: false, messageTtl: 2000, maxLength: 10, deadLetterExchange: \'\', '
      + 'deadLetterRoutingKey: AUDIT }`: the empty exchange name is the default exchange, which delivers to the '
      + 'queue named by the routing key.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkTtlAndLimitsRun,
};

/** `update 3`, `updates 1, 3 and 5`. */
const updateNames = (seqs: readonly number[]) => (seqs.length === 1 ? `update ${seqs[0]}` : `updates ${list(seqs.map(String))}`);

const SEQ = /"seq"\s*:\s*(\d+)/;

/**
 * What happened in `ex15.prices` from the raw trace: when each message was enqueued there, and the most ready
 * messages it held at the end of any simulated instant (with the time).
 */
function pricesQueue(trace: readonly unknown[]): { enqueuedAt: Map<string, number>; maxReady: number; maxAtMs: number } {
  const enqueuedAt = new Map<string, number>();
  let ready = 0;
  let lastT = -1;
  let maxReady = 0;
  let maxAtMs = 0;
  const settle = () => {
    if (ready > maxReady) {
      maxReady = ready;
      maxAtMs = lastT;
    }
  };
  for (const raw of trace) {
    if (!isRecord(raw) || typeof raw.t !== 'number' || raw.queue !== PRICES) continue;
    if (raw.t !== lastT) {
      settle();
      lastT = raw.t;
    }
    switch (raw.kind) {
      case 'enqueued':
      case 'requeued':
        if (raw.kind === 'enqueued' && typeof raw.msgId === 'string' && !enqueuedAt.has(raw.msgId)) enqueuedAt.set(raw.msgId, raw.t);
        if (typeof raw.depth === 'number') ready = raw.depth;
        break;
      case 'delivered':
        ready = Math.max(0, ready - 1);
        break;
      case 'dropped':
        // A refused publish (reject-publish) never entered the queue.
        if (typeof raw.msgId === 'string' && enqueuedAt.has(raw.msgId)) ready = Math.max(0, ready - 1);
        break;
      case 'dead-lettered':
        if (raw.reason !== 'rejected' && typeof raw.msgId === 'string' && enqueuedAt.has(raw.msgId)) ready = Math.max(0, ready - 1);
        break;
      case 'queue-purged':
      case 'queue-deleted':
        ready = 0;
        break;
      default:
        break;
    }
  }
  settle();
  return { enqueuedAt, maxReady, maxAtMs };
}

/** The update number in a message's body (or preview), if any. */
function seqOf(facts: AmqpFacts, msgId: string): number | undefined {
  const m = facts.messages.get(msgId);
  const match = m === undefined ? null : SEQ.exec(m.body ?? m.preview);
  return match ? Number(match[1]) : undefined;
}

/**
 * Judges a run of the pricer and the feed: passes when no handled update was stale, the queue stayed within its
 * limit and every update not handled reached the audit queue.
 */
export function checkTtlAndLimitsRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the price updates');
  if (isVerdict(facts)) return facts;
  const trace = (run as { trace: unknown[] }).trace;

  const updates = [...facts.messages.values()].filter((m) => m.exchange === '' && m.routingKey === PRICES);
  if (updates.length < UPDATES) {
    return fail(`The feed published ${plural(updates.length, 'update')} to "${PRICES}", not ${UPDATES}.`,
      'Leave feed.mjs as it is: the run line starts it as `feed.mjs 30`.');
  }
  const missingQueue = updates.filter((m) => m.queues.length === 0 && !facts.dropped.some((d) => d.msgId === m.msgId && d.reason === 'maxlen'));
  if (missingQueue.length === updates.length) {
    return fail(`No update reached a queue: there was no queue "${PRICES}" when the feed published.`,
      'The pricer declares the queue; the run line starts it before the feed.');
  }

  const consumers = facts.consumers.filter((c) => c.queue === PRICES);
  if (consumers.length === 0) return fail(`Nobody consumed from "${PRICES}", so no price was handled.`);
  const greedy = consumers.find((c) => c.noAck || c.prefetch !== 1);
  if (greedy !== undefined) {
    const how = greedy.noAck ? 'with automatic acknowledgement' : greedy.prefetch === 0 ? 'with no prefetch limit' : `with prefetch ${greedy.prefetch}`;
    return fail(`The pricer consumed ${how}, so the broker handed it many updates at once: they waited in the `
      + 'pricer, where no TTL or length limit of the queue applies.', 'Keep `channel.prefetch(1)` and manual acks.');
  }

  const handled = facts.deliveries.filter((d) => d.queue === PRICES && d.settled === 'ack');
  const hasty = handled.find((d) => (d.settledSentAtMs ?? d.atMs) - d.arriveAtMs < HANDLE_MS);
  if (hasty !== undefined) {
    return fail(`The pricer acknowledged ${updateNames([seqOf(facts, hasty.msgId) ?? 0])} after `
      + `${ms((hasty.settledSentAtMs ?? hasty.atMs) - hasty.arriveAtMs)}; handling a price takes ${ms(HANDLE_MS)}.`,
    'Keep the handler as it is: the queue, not a faster pricer, has to deal with the backlog.');
  }

  const queue = pricesQueue(trace);
  const stale = handled
    .map((d) => ({ d, waited: d.atMs - (queue.enqueuedAt.get(d.msgId) ?? d.atMs) }))
    .filter((x) => x.waited > STALE_MS);
  if (stale.length > 0) {
    const worst = stale.reduce((a, b) => (b.waited > a.waited ? b : a));
    return fail(`The pricer handled ${plural(stale.length, 'stale update')}: ${updateNames([seqOf(facts, worst.d.msgId) ?? 0])} `
      + `had waited ${ms(worst.waited)} in "${PRICES}" when it was delivered (stale after ${ms(STALE_MS)}).`,
    'An update that waited too long must leave the queue before it reaches the pricer.');
  }

  if (queue.maxReady > MAX_READY) {
    return fail(`"${PRICES}" held ${queue.maxReady} updates at ${(queue.maxAtMs / 1000).toFixed(2)} s; it may hold at most ${MAX_READY}.`,
      'Expiry removes old updates, but a burst can still fill the queue before they are old.');
  }

  const handledIds = new Set(handled.map((d) => d.msgId));
  const unaudited = updates.filter((m) => !handledIds.has(m.msgId) && !m.queues.includes(AUDIT));
  if (unaudited.length > 0) {
    const seqs = unaudited.map((m) => seqOf(facts, m.msgId) ?? 0).sort((a, b) => a - b);
    const refused = unaudited.filter((m) => m.queues.length === 0).length;
    const why = refused === unaudited.length
      ? 'the queue refused them when it was full (reject-publish), and a refused message is never dead-lettered'
      : 'the broker threw them away when they expired or were pushed out';
    return fail(`${plural(unaudited.length, 'update')} never reached "${AUDIT}" (${updateNames(seqs)}): ${why}.`,
      'What leaves the queue unhandled goes to its dead-letter exchange, if the queue has one.');
  }

  const audited = facts.deadLettered.filter((d) => d.queue === PRICES);
  const reasons = [...new Set(audited.map((d) => d.reason))].sort();
  return {
    passed: true,
    messages: [
      `The pricer handled ${plural(handled.length, 'update')}, none older than ${ms(STALE_MS)}; "${PRICES}" held at `
        + `most ${queue.maxReady} and the other ${plural(updates.length - handled.length, 'update')} went to "${AUDIT}"`
        + (reasons.length > 0 ? ` (x-death reason ${list(reasons)}).` : '.'),
      'The queue does the housekeeping: the pricer code did not change, only the arguments it declares.',
    ],
  };
}
