/**
 * Exercise 5 (lesson `05-reliability`): a bad night for the packing worker.
 *
 * Two programs: `worker.mjs` (the packing worker: packs one order per second) and `shop.mjs` (puts six orders in the
 * queue `ex05.orders`, then closes). The checked run (`runLine` `worker.mjs shop.mjs`) has three faults: the worker's
 * process is killed at `KILL_AT_MS` while it packs, the broker restarts at `RESTART_AT_MS` and is down for
 * `DOWN_MS`, and the worker is started again at `WORKER_BACK_AT_MS`, as a process supervisor would. The shop has
 * long finished by then. The starter loses every order three times over: the worker consumes with `noAck: true`,
 * the queue is not durable and the orders are transient messages. The solution consumes with manual acks (ack
 * after packing), declares the queue durable in both programs and publishes persistent messages.
 *
 * The check judges the run, never the source: each order the shop published (found by `"order":N` in its body) must
 * have a `packed order N` line from the worker process, printed at least `PACK_MS` after a worker received that
 * order (a line that comes sooner means the packing was changed, and fails with a message saying so). When orders
 * are missing, it says what happened to them in the run, earliest loss first: held by the worker when it was killed
 * (received with automatic acknowledgement, or acknowledged before packing), deleted with a non-durable queue by
 * the restart, dropped by the restart as transient messages, or still waiting when the run ended.
 * Both versions run unchanged on a real RabbitMQ (start `worker.mjs`, then `shop.mjs`; kill the worker, restart the
 * broker with `rabbitmqctl stop_app` and `start_app`, start the worker again): the same orders survive there.
 */
import workerStarter from './05-reliability/worker-starter.mjs?raw';
import workerSolution from './05-reliability/worker-solution.mjs?raw';
import shopStarter from './05-reliability/shop-starter.mjs?raw';
import shopSolution from './05-reliability/shop-solution.mjs?raw';
import type { AmqpFacts, DeliveryFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Orders the shop places. */
export const ORDERS = 6;
/** Simulated ms at which the worker's process is killed (it is packing then). */
export const KILL_AT_MS = 600;
/** Simulated ms at which the broker stops; it starts again `DOWN_MS` later. */
export const RESTART_AT_MS = 2000;
export const DOWN_MS = 2000;
/** Simulated ms at which the worker is started again. */
export const WORKER_BACK_AT_MS = 5000;
/** Simulated ms the worker needs to pack one order (`PACK_MS` in the programs). */
export const PACK_MS = 1000;

const WORKER = 'worker.mjs';
const SHOP = 'shop.mjs';
const ORDER_IN_BODY = /"order"\s*:\s*(\d+)/;
const PACKED = /^packed order (\d+)\b/;

export const reliabilityExercise: ExerciseDefinition = {
  id: '05-reliability',
  lessonSlug: '05-reliability',
  title: 'Exercise: no order left behind',
  instructions: [
    'The shop (`shop.mjs`) puts six orders in the queue `ex05.orders` and closes. The packing worker (`worker.mjs`) '
      + 'takes them one by one; packing an order takes a second.',
    'Tonight is a bad night. Check runs `worker.mjs shop.mjs` and then, at 0.6 s, kills the worker\'s process while '
      + 'it is packing; at 2 s the broker restarts and is down for 2 s; at 5 s the worker is started again, as a '
      + 'process supervisor would. Run the programs as they are and read the output: the worker starts packing, dies, '
      + 'and when it is back there is nothing left to pack.',
    'Change the two programs so that every order is packed at least once, after all that. Keep the lines the '
      + 'programs print (`order N placed`, `packed order N`): the check reads them, and the run, never your code.',
  ],
  language: 'js',
  starterCode: workerStarter,
  solutionCode: workerSolution,
  files: [
    { name: WORKER, starter: workerStarter, solution: workerSolution },
    { name: SHOP, starter: shopStarter, solution: shopSolution },
  ],
  runLine: `${WORKER} ${SHOP}`,
  hints: [
    'Fix one failure at a time, in the order they happen: first the worker dying mid-order, then the broker restart. '
      + 'Check tells you which comes first.',
    'When may the broker forget an order? With `noAck: true`, the moment it hands the order to the worker. Consume '
      + 'with `{ noAck: false }` and call `channel.ack(msg)` after the order is packed: what the dead worker held goes '
      + 'back to the queue.',
    'A restart keeps a queue only if it was declared with `{ durable: true }` (in both programs: a queue cannot be '
      + 'declared twice with different settings), and keeps a message in it only if it was published with '
      + '`{ persistent: true }`.',
  ],
  run: {
    seed: 1,
    untilMs: 30_000,
    faults: [
      { id: 'kill-process', target: WORKER, atMs: KILL_AT_MS },
      { id: 'restart-broker', atMs: RESTART_AT_MS, valueMs: DOWN_MS },
      { id: 'restart-process', target: WORKER, atMs: WORKER_BACK_AT_MS },
    ],
  },
  check: checkReliabilityRun,
};

/** Order number named in a message's body (or preview), if any. */
function orderOf(message: MessageFact): number | undefined {
  const match = ORDER_IN_BODY.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** `order 3`, `orders 1, 2 and 3`. */
const orderNames = (ids: readonly number[]) => (ids.length === 1 ? `order ${ids[0]}` : `orders ${list(ids.map(String))}`);

/** What happened to an order that was never packed. */
type Fate =
  | { kind: 'unrouted' }
  | { kind: 'held-no-ack'; atMs: number }
  | { kind: 'acked-early'; atMs: number; ackedAtMs: number }
  | { kind: 'queue-deleted'; atMs: number; queue: string }
  | { kind: 'transient'; atMs: number; queue: string }
  | { kind: 'waiting' };

/** Events of the raw trace the facts do not keep. */
interface RunEvents {
  killedAtMs?: number;
  workerStarts: number[];
  stops: number[];
  deleted: Array<{ atMs: number; queue: string; messageCount: number }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function runEvents(trace: readonly unknown[]): RunEvents {
  const out: RunEvents = { workerStarts: [], stops: [], deleted: [] };
  for (const e of trace) {
    if (!isRecord(e) || typeof e.t !== 'number') continue;
    if (e.kind === 'process-exited' && e.process === WORKER && e.how === 'killed') out.killedAtMs ??= e.t;
    else if (e.kind === 'process-started' && e.process === WORKER) out.workerStarts.push(e.t);
    else if (e.kind === 'broker-stopped') out.stops.push(e.t);
    else if (e.kind === 'queue-deleted' && typeof e.queue === 'string') {
      out.deleted.push({ atMs: e.t, queue: e.queue, messageCount: Number(e.messageCount) || 0 });
    }
  }
  return out;
}

/**
 * The fate of an order whose message is `message` and whose deliveries are `deliveries` (none packed it): lost
 * with the killed worker, deleted or dropped by the restart, never routed, or still waiting at the end.
 */
function fateOf(facts: AmqpFacts, events: RunEvents, message: MessageFact, deliveries: readonly DeliveryFact[]): Fate {
  if (message.queues.length === 0) return { kind: 'unrouted' };
  const killedAt = events.killedAtMs;
  const last = deliveries[deliveries.length - 1];
  if (killedAt !== undefined && last !== undefined && last.atMs <= killedAt) {
    if (last.settled === 'auto') return { kind: 'held-no-ack', atMs: killedAt };
    if (last.settled === 'ack') return { kind: 'acked-early', atMs: killedAt, ackedAtMs: last.settledSentAtMs ?? last.atMs };
  }
  const dropped = facts.dropped.find((d) => d.msgId === message.msgId && d.reason === 'transient');
  if (dropped) return { kind: 'transient', atMs: dropped.atMs, queue: dropped.queue ?? message.queues[0] };
  const settled = last !== undefined && (last.settled === 'ack' || last.settled === 'auto' || last.settled === 'reject');
  if (!settled) {
    const deletion = events.deleted.find((d) => message.queues.includes(d.queue) && events.stops.includes(d.atMs)
      && d.atMs >= message.publishedAtMs && (last === undefined || d.atMs >= last.atMs));
    if (deletion) return { kind: 'queue-deleted', atMs: deletion.atMs, queue: deletion.queue };
  }
  return { kind: 'waiting' };
}

/**
 * Judges a run of the exercise: passes when every order the shop published was packed (a `packed order N` line of
 * the worker, after a worker received the order) despite the kill and the restart; otherwise says what happened to
 * the orders that were not, earliest loss first.
 */
export function checkReliabilityRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;
  const events = runEvents((run as { trace: readonly unknown[] }).trace);
  const orders = Array.from({ length: ORDERS }, (_, i) => i + 1);

  // The shop's part: six orders published.
  const messages = [...facts.messages.values()].filter((m) => orderOf(m) !== undefined);
  const messageOf = (n: number) => messages.filter((m) => orderOf(m) === n).at(-1);
  const unpublished = orders.filter((n) => messageOf(n) === undefined);
  if (unpublished.length === ORDERS) {
    return fail('The shop published no orders: no message with `"order": N` in its body reached the broker.',
      'Keep the shop\'s loop as it is: it publishes `{ "order": N }` for orders 1 to 6.');
  }
  if (unpublished.length > 0) {
    return fail(`${capitalize(orderNames(unpublished))} never reached the broker: the shop must publish all ${ORDERS} `
      + 'orders.');
  }

  // Packed: a `packed order N` line of the worker, after the worker received order N.
  const deliveriesOf = (n: number) => messages.filter((m) => orderOf(m) === n)
    .flatMap((m) => facts.deliveries.filter((d) => d.msgId === m.msgId));
  const packedLines = facts.lines.filter((l) => (l.process === undefined || l.process === WORKER) && PACKED.test(l.text));
  const packsOf = (n: number) => packedLines.filter((l) => Number(PACKED.exec(l.text)![1]) === n
    && deliveriesOf(n).some((d) => d.arriveAtMs + PACK_MS <= l.atMs + 1));
  const unpacked = orders.filter((n) => packsOf(n).length === 0);
  // A `packed order N` line sooner than packing takes: the work itself was changed.
  const hasty = unpacked.map((n) => ({ n, line: packedLines.find((l) => Number(PACKED.exec(l.text)![1]) === n) }))
    .find((h) => h.line !== undefined);
  if (hasty !== undefined) {
    const received = deliveriesOf(hasty.n).filter((d) => d.arriveAtMs <= hasty.line!.atMs).at(-1);
    return fail(`Order ${hasty.n} was reported packed at ${at(hasty.line!.atMs)}, `
      + (received === undefined ? 'before the worker had received it'
        : `${Math.round(hasty.line!.atMs - received.arriveAtMs)} ms after the worker received it`)
      + `; packing an order takes ${PACK_MS.toLocaleString('en-US')} ms.`,
    'Keep the packing as it is (`PACK_MS` and the `sleep`): the exercise is about what survives the failures, not '
      + 'about packing faster than they happen.');
  }
  const killed = events.killedAtMs === undefined ? '' : `killed at ${at(events.killedAtMs)}`;
  const back = events.workerStarts.find((t) => t > (events.killedAtMs ?? Infinity));

  if (unpacked.length === 0) {
    const redelivered = orders.filter((n) => deliveriesOf(n).some((d) => d.redelivered));
    const twice = orders.filter((n) => packsOf(n).length > 1);
    const messages = [`All ${ORDERS} orders were packed, although the worker was ${killed || 'killed'} and the broker `
      + `restarted at ${at(events.stops[0] ?? RESTART_AT_MS)}.`];
    if (redelivered.length > 0) {
      messages.push(`${capitalize(orderNames(redelivered))} came back to the worker with \`redelivered\` set: the `
        + 'broker had delivered '
        + (redelivered.length === 1 ? 'it' : 'them') + ' before and never got an acknowledgement, so it delivered '
        + (redelivered.length === 1 ? 'it' : 'them') + ' again.');
    }
    messages.push(twice.length > 0
      ? `${capitalize(orderNames(twice))} ${twice.length === 1 ? 'was' : 'were'} packed twice: at-least-once `
        + 'delivery in action. Packing must be safe to repeat, or the worker must recognise an order it has done.'
      : 'This is at-least-once delivery: had the worker died after packing an order but before its ack, that order '
        + 'would have been packed twice. A real worker must make that harmless.');
    return { passed: true, messages };
  }

  // What became of the orders that were never packed, earliest loss first.
  const fates = unpacked.map((n) => ({ n, fate: fateOf(facts, events, messageOf(n)!, deliveriesOf(n)) }));
  const withFate = (kind: Fate['kind']) => fates.filter((f) => f.fate.kind === kind);
  const details: string[] = [];
  const afterRestart = back === undefined ? ''
    : ` When the worker started again at ${at(back)}, there was nothing left for it to pack.`;

  const unrouted = withFate('unrouted');
  if (unrouted.length > 0) {
    const m = messageOf(unrouted[0].n)!;
    details.push(`${capitalize(orderNames(unrouted.map((f) => f.n)))} reached no queue: the broker dropped `
      + `${unrouted.length === 1 ? 'it' : 'them'} (published with routing key "${m.routingKey}").`);
  }
  const noAck = withFate('held-no-ack');
  if (noAck.length > 0) {
    details.push(`${capitalize(orderNames(noAck.map((f) => f.n)))} ${noAck.length === 1 ? 'was' : 'were'} lost when the `
      + `worker was ${killed}: it had received ${noAck.length === 1 ? 'it' : 'them'} with automatic acknowledgement, so `
      + `the broker had forgotten ${noAck.length === 1 ? 'it' : 'them'} as soon as it sent `
      + `${noAck.length === 1 ? 'it' : 'them'}, and nothing went back to the queue.`);
  }
  const early = withFate('acked-early');
  if (early.length > 0) {
    const first = early[0].fate as Extract<Fate, { kind: 'acked-early' }>;
    details.push(`${capitalize(orderNames(early.map((f) => f.n)))} ${early.length === 1 ? 'was' : 'were'} lost when the `
      + `worker was ${killed}: it had acknowledged ${early.length === 1 ? 'it' : 'them'} before packing `
      + `(order ${early[0].n} at ${at(first.ackedAtMs)}), so the broker had already forgotten `
      + `${early.length === 1 ? 'it' : 'them'}.`);
  }
  const deleted = withFate('queue-deleted');
  if (deleted.length > 0) {
    const first = deleted[0].fate as Extract<Fate, { kind: 'queue-deleted' }>;
    const count = events.deleted.find((d) => d.atMs === first.atMs && d.queue === first.queue)?.messageCount ?? deleted.length;
    details.push(`The broker restarted at ${at(first.atMs)} with ${count === 1 ? '1 order' : `${count} orders`} in the `
      + `queue \`${first.queue}\`. The queue was not durable, so the restart deleted it, orders and all: `
      + `${orderNames(deleted.map((f) => f.n))} ${deleted.length === 1 ? 'was' : 'were'} gone.`
      + (back === undefined ? '' : ` When the worker started again at ${at(back)}, it declared a new, empty `
        + `\`${first.queue}\` and waited.`));
  }
  const transient = withFate('transient');
  if (transient.length > 0) {
    const first = transient[0].fate as Extract<Fate, { kind: 'transient' }>;
    details.push(`The queue \`${first.queue}\` survived the broker restart at ${at(first.atMs)}, but `
      + `${orderNames(transient.map((f) => f.n))} in it did not: they were published as transient messages, which `
      + 'a restart drops even from a durable queue.' + afterRestart);
  }
  const waiting = withFate('waiting');
  if (waiting.length > 0) {
    const held = facts.deliveries.filter((d) => d.settled === 'none' && d.atMs >= (back ?? 0));
    details.push(`${capitalize(orderNames(waiting.map((f) => f.n)))} ${waiting.length === 1 ? 'was' : 'were'} still `
      + 'in the broker, never packed, when the run ended.'
      + (held.length > 0 ? ` The worker held ${held.length === 1 ? 'an order' : `${held.length} orders`} it never `
        + 'acknowledged: with a prefetch limit, the broker sends the next order only after an acknowledgement.' : ''));
  }
  const headline = `${capitalize(orderNames(unpacked))} ${unpacked.length === 1 ? 'was' : 'were'} never packed.`;
  return fail(headline, ...details);
}
