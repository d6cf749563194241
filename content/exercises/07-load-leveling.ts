/**
 * Exercise 7 (lesson `07-load-leveling`): size the consumer side for a bursty producer.
 *
 * A flash sale publishes 4 bursts of 20 orders, 2 s apart, each burst all at once. A worker packs one order at a
 * time, 250 ms each. The learner chooses `WORKERS` (at most 6, the budget) and `PREFETCH` so that every burst is
 * packed before the next one arrives and no order waits more than `WAIT_BOUND_MS` before a worker starts packing
 * it. The starter (1 worker) falls further behind with every burst. 3 workers keep up with the average (10 orders
 * a second) but the last orders of a burst wait about 1.6 s; 5 workers with prefetch 1 pass (about 0.83 s).
 *
 * The check judges the run, never the source:
 * - the producer is unchanged: 4 × 20 orders (`{"burst":b,"n":k}`), each burst published within `BURST_SPREAD_MS`,
 *   bursts `BURST_EVERY_MS` apart (not more: sending less often is not allowed);
 * - every order was acknowledged (not auto-acked), at least `PACK_MS` after it reached its worker, and no worker
 *   packed two orders at once (acks of one consumer at least `PACK_MS` apart);
 * - at most `WORKERS_MAX` consumers;
 * - drained: when each burst starts (and `BURST_EVERY_MS` after the last one), every order of the bursts before it
 *   has been acknowledged — orders held unacknowledged by workers count as not drained, so a large prefetch that
 *   empties the queue into the workers' buffers does not pass;
 * - waited: from publish until a worker started packing it (its ack minus `PACK_MS`), every order waited at most
 *   `WAIT_BOUND_MS`: time in the queue (publish → delivery) plus time in a worker's prefetch buffer.
 * The same file runs unchanged on a real RabbitMQ (`node content/exercises/07-load-leveling/solution.mjs`).
 */
import starterCode from './07-load-leveling/starter.mjs?raw';
import solutionCode from './07-load-leveling/solution.mjs?raw';
import type { AmqpFacts, DeliveryFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list, ms, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

export const BURSTS = 4;
export const BURST_SIZE = 20;
export const BURST_EVERY_MS = 2000;
export const PACK_MS = 250;
/** Most simulated ms an order may wait from its publish until a worker starts packing it. */
export const WAIT_BOUND_MS = 900;
/** The budget: most consumers. */
export const WORKERS_MAX = 6;
/** A burst's orders must all be published within this many ms of its first (the producer sends them at once). */
const BURST_SPREAD_MS = 50;
/** Slack on the bursts' spacing (the producer's `checkQueue` round trip comes on top of its sleep). */
const SPACING_SLACK_MS = 200;
/** Timer slack: an ack this many ms short of `PACK_MS` still counts as a full packing. */
const SLACK_MS = 1;

const ORDER = /"burst"\s*:\s*(\d+)\s*,\s*"n"\s*:\s*(\d+)/;

export const loadLevelingExercise: ExerciseDefinition = {
  id: '07-load-leveling',
  lessonSlug: '07-load-leveling',
  title: 'Exercise: keep up with the flash sale',
  instructions: [
    'A flash sale sends the shop\'s orders in bursts: 20 orders at once, every 2 seconds, 4 bursts in all. A worker '
      + 'packs one order at a time and needs 250 ms per order. With one worker the queue grows with every burst: '
      + 'run the program and watch the `still waiting` numbers.',
    'Choose the consumer side, `WORKERS` and `PREFETCH`, so that every burst is packed (acknowledged) before the '
      + 'next one arrives, and the last burst within 2 seconds too, and no order waits more than 900 ms from being '
      + 'sent until a worker starts packing it. Waiting counts in the queue and in a worker\'s prefetch buffer alike.',
    'The budget pays for at most 6 workers. Do not touch the flash sale (4 bursts of 20, 2 seconds apart, each sent '
      + 'at once) or the packing (one order at a time, 250 ms, acknowledged afterwards). Press **Check** to run your '
      + 'program and judge it.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  hints: [
    'Compare two rates: how many orders the sale brings per second on average, and how many one worker can pack '
      + 'per second (250 ms of work, plus a short trip to the broker and back for the next order with prefetch 1).',
    'Enough workers for the average keeps the queue from growing from burst to burst, but the 20th order of a '
      + 'burst still waits for the 19 ahead of it. With W workers it starts after about ⌈20 / W⌉ − 1 rounds of packing.',
    'A bigger prefetch does not pack faster: it only moves waiting orders from the queue into the workers\' '
      + 'buffers. Try 5 workers with prefetch 1.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkLoadLevelingRun,
};

interface Order {
  name: string;
  burst: number;
  message: MessageFact;
  /** The delivery that was acknowledged, if any. */
  acked?: DeliveryFact;
}

/**
 * Judges a run of the exercise program: passes when the sale's 80 orders were all packed and acknowledged, each burst
 * before the next one started, no order waited more than `WAIT_BOUND_MS` for a worker to start on it, and at most
 * `WORKERS_MAX` consumers did it.
 */
export function checkLoadLevelingRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;

  // The flash sale: 4 bursts of 20 orders, each sent at once, 2 s apart.
  const orders = new Map<string, Order>();
  const duplicates: string[] = [];
  for (const message of facts.messages.values()) {
    const match = ORDER.exec(message.body ?? message.preview);
    if (!match) continue;
    const name = `${match[1]}-${match[2]}`;
    if (orders.has(name)) duplicates.push(name);
    else orders.set(name, { name, burst: Number(match[1]), message });
  }
  const expected = BURSTS * BURST_SIZE;
  const keepSale = 'Keep the flash sale as it is (Reset shows the original): choose the consumer side instead.';
  if (orders.size === 0) {
    return fail('No order was published, so there is nothing to pack.', keepSale);
  }
  if (duplicates.length > 0) {
    return fail(`Order ${duplicates[0]} was published more than once.`, keepSale);
  }
  const names = [...orders.keys()];
  const wanted = Array.from({ length: expected }, (_, i) => `${Math.floor(i / BURST_SIZE) + 1}-${(i % BURST_SIZE) + 1}`);
  const absent = wanted.filter((n) => !orders.has(n));
  if (absent.length > 0 || names.length !== expected) {
    return fail(`The sale must send ${BURSTS} bursts of ${BURST_SIZE} orders (${expected} orders); this run published `
      + `${plural(orders.size, 'order')}${absent.length > 0 ? `, without ${list(absent)}` : ''}.`, keepSale);
  }
  const starts: number[] = [];
  for (let b = 1; b <= BURSTS; b++) {
    const times = [...orders.values()].filter((o) => o.burst === b).map((o) => o.message.publishedAtMs);
    const first = Math.min(...times);
    const last = Math.max(...times);
    if (last - first > BURST_SPREAD_MS) {
      return fail(`Burst ${b}'s orders were sent over ${ms(last - first)}: the sale sends each burst at once.`,
        'Sending more slowly would make the producer send less: the point is to let the queue take the burst and size '
          + 'the consumer side for it. ' + keepSale);
    }
    starts.push(first);
  }
  for (let b = 2; b <= BURSTS; b++) {
    const gap = starts[b - 1] - starts[b - 2];
    if (gap > BURST_EVERY_MS + SPACING_SLACK_MS || gap < BURST_EVERY_MS - SPACING_SLACK_MS) {
      return fail(`Burst ${b} came ${ms(gap)} after burst ${b - 1}; the sale sends a burst every ${ms(BURST_EVERY_MS)}.`,
        keepSale);
    }
  }

  // The consumer side: within budget, manual acks.
  const orderQueues = new Set([...orders.values()].flatMap((o) => o.message.queues));
  const consumers = facts.consumers.filter((c) => orderQueues.has(c.queue));
  if (consumers.length === 0) {
    return fail('No worker consumed from the orders\' queue, so no order was packed.',
      'Keep the workers\' code and give `WORKERS` a value of at least 1.');
  }
  if (consumers.length > WORKERS_MAX) {
    return fail(`${consumers.length} workers consumed the orders, but the budget pays for at most ${WORKERS_MAX}.`,
      'Load leveling means you do not size the consumer side for the peak: find a smaller pool that keeps up.');
  }
  const autoAck = consumers.filter((c) => c.noAck);
  if (autoAck.length > 0) {
    return fail('The workers consume with `noAck: true`: the broker counts an order as done the moment it hands it '
      + 'over, long before it is packed.',
    'Keep the workers\' manual acknowledgement after packing (Reset shows the original).');
  }

  // Packing: every acknowledged order took a worker PACK_MS, one order at a time per worker.
  for (const order of orders.values()) {
    order.acked = facts.deliveries.find((d) => d.msgId === order.message.msgId && d.settled === 'ack');
  }
  for (const order of orders.values()) {
    const d = order.acked;
    if (d === undefined) continue;
    const took = (d.settledSentAtMs ?? d.atMs) - d.arriveAtMs;
    if (took < PACK_MS - SLACK_MS) {
      return fail(`Order ${order.name} was acknowledged ${ms(took)} after it reached ${label(facts, d.connection)}, but `
        + `packing an order takes ${ms(PACK_MS)}.`,
      'Keep the packing as it is: the worker acknowledges an order after packing it, and packing takes `PACK_MS`.');
    }
  }
  for (const consumer of consumers) {
    const acks = [...orders.values()].map((o) => o.acked).filter((d): d is DeliveryFact => d?.consumerTag === consumer.consumerTag)
      .map((d) => d.settledSentAtMs ?? d.atMs).sort((a, b) => a - b);
    const overlap = acks.findIndex((t, i) => i > 0 && t - acks[i - 1] < PACK_MS - SLACK_MS);
    if (overlap > 0) {
      return fail(`${capitalize(label(facts, consumer.connection))} finished two orders only `
        + `${ms(acks[overlap] - acks[overlap - 1])} apart, so it packed several at once.`,
      'A worker packs one order at a time (keep the `previous` chain in `startWorker`): more packing in parallel '
        + 'means more workers, and the budget counts them.');
    }
  }

  // Drained before each next burst (and the last one within BURST_EVERY_MS).
  /** When the worker sent the order's ack: the order was packed. */
  const ackedAt = (o: Order) => (o.acked === undefined ? Infinity : o.acked.settledSentAtMs ?? o.acked.atMs);
  for (let b = 1; b <= BURSTS; b++) {
    const deadline = b < BURSTS ? starts[b] : starts[BURSTS - 1] + BURST_EVERY_MS;
    const behind = [...orders.values()].filter((o) => o.burst <= b && ackedAt(o) > deadline);
    if (behind.length === 0) continue;
    // Held: delivered to a worker by then, and neither settled nor taken back (connection closed) before then.
    const held = behind.filter((o) => facts.deliveries.some((d) => d.msgId === o.message.msgId && d.atMs <= deadline
      && (d.settledSentAtMs ?? Infinity) > deadline && (facts.connections.get(d.connection)?.closedAtMs ?? Infinity) > deadline));
    const waiting = behind.length - held.length;
    const when = b < BURSTS ? `When burst ${b + 1} arrived (at ${at(deadline)})` : `${ms(BURST_EVERY_MS)} after the last burst (at ${at(deadline)})`;
    const messages = [`The queue did not drain in time. ${when}, ${plural(behind.length, 'order')} `
      + `${b === 1 ? 'of burst 1' : `of bursts 1–${b}`} ${behind.length === 1 ? 'was' : 'were'} not packed yet: `
      + `${waiting} still waiting in the queue and ${held.length} held by ${held.length === 1 ? 'a worker' : 'workers'}.`];
    const acked = [...orders.values()].filter((o) => o.acked !== undefined).length;
    if (acked === 0) {
      messages.push('No order was acknowledged at all: does each worker call `channel.ack(msg)` after packing?');
      return fail(...messages);
    }
    const rate = packedPerSecond(orders, starts[0], deadline);
    const average = (BURST_SIZE * 1000) / BURST_EVERY_MS;
    if (waiting === 0) {
      messages.push('The queue itself was empty, but the workers held the backlog: a large prefetch moves orders from '
        + 'the queue into the workers\' buffers, it does not pack them any faster.');
    }
    messages.push(`On average the sale brings ${fmt(average)} orders a second; your ${plural(consumers.length, 'worker')} `
      + `packed about ${fmt(rate)} a second`
      + (rate < average ? ', so every burst leaves more behind than the one before.'
        : `: enough for the average, not enough to finish a burst of ${BURST_SIZE} within ${ms(BURST_EVERY_MS)}.`));
    return fail(...messages);
  }

  // Waited: publish → start of packing (in the queue, then in a worker's buffer).
  let worst: { order: Order; waited: number; inQueue: number } | undefined;
  for (const order of orders.values()) {
    const d = order.acked!;
    const startedAt = (d.settledSentAtMs ?? d.atMs) - PACK_MS;
    const waited = startedAt - order.message.publishedAtMs;
    if (worst === undefined || waited > worst.waited) {
      worst = { order, waited, inQueue: d.atMs - order.message.publishedAtMs };
    }
  }
  const prefetches = [...new Set(consumers.map((c) => c.prefetch))];
  const setup = `${plural(consumers.length, 'worker')} with prefetch ${prefetches.map((p) => (p === 0 ? 'unlimited' : String(p))).join('/')}`;
  if (worst !== undefined && worst.waited > WAIT_BOUND_MS) {
    const inBuffer = Math.max(0, worst.waited - worst.inQueue);
    return fail(`Every burst was packed in time, but order ${worst.order.name} waited ${ms(worst.waited)} before a `
      + `worker started packing it; the goal is at most ${ms(WAIT_BOUND_MS)}.`,
    `It spent ${ms(worst.inQueue)} in the queue and ${ms(inBuffer)} in a worker's prefetch buffer (network time `
      + `included). With ${setup}, the last orders of a burst wait for all the orders ahead of them.`);
  }

  const slowestDrain = Math.max(...Array.from({ length: BURSTS }, (_, i) => {
    const done = Math.max(...[...orders.values()].filter((o) => o.burst === i + 1).map(ackedAt));
    return done - starts[i];
  }));
  return {
    passed: true,
    messages: [
      `All ${BURSTS} bursts were packed before the next one arrived (the slowest in ${ms(slowestDrain)} of its `
        + `${ms(BURST_EVERY_MS)}), and no order waited more than ${ms(worst!.waited)} for a worker (the goal was at most `
        + `${ms(WAIT_BOUND_MS)}).`,
      `${expected} of ${expected} orders were acknowledged after packing, by ${setup}. The queue took each burst of `
        + `${BURST_SIZE} at once, and the workers worked it off at their own pace.`,
    ],
  };
}

/** Orders packed (acknowledged) per second by the whole pool between `fromMs` and `toMs`. */
function packedPerSecond(orders: Map<string, Order>, fromMs: number, toMs: number): number {
  const packed = [...orders.values()].filter((o) => {
    const doneAt = o.acked === undefined ? undefined : o.acked.settledSentAtMs ?? o.acked.atMs;
    return doneAt !== undefined && doneAt >= fromMs && doneAt <= toMs;
  }).length;
  return toMs > fromMs ? (packed * 1000) / (toMs - fromMs) : 0;
}

/** `3.7`, `10`. */
function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** `worker 1` for a labelled connection, `connection c3` otherwise. */
function label(facts: AmqpFacts, connection: string): string {
  const name = facts.connections.get(connection)?.label;
  return name && name !== connection ? name : `connection ${connection}`;
}
