/**
 * Exercise 1 (lesson `01-work-queue`): survive a crashing worker.
 *
 * A shop publishes 20 orders to the `orders` queue; three workers ship them one at a time; worker 2 crashes 500 ms
 * after its first order arrives (the program closes worker 2's connection, which is what the broker sees when a
 * process dies). The starter consumes with `noAck: true`, so the broker forgets each order the moment it sends it
 * and worker 2's unfinished orders are lost. With manual acknowledgements (`noAck: false` + `channel.ack(msg)` after
 * the work) the broker returns the orders worker 2 held unacknowledged to the queue and another worker ships them.
 *
 * The crash is part of the program (not injected by a harness) so the very same file runs unchanged against a real
 * RabbitMQ: `node content/exercises/01-work-queue/solution.mjs` ships all 20 orders there, the starter loses 5.
 * Sources: RabbitMQ "Consumer Acknowledgements and Publisher Confirms"
 * (https://www.rabbitmq.com/docs/confirms: unacknowledged deliveries are requeued when their channel or connection
 * closes; with automatic acknowledgement a delivery counts as done as soon as it is sent), and the RabbitMQ
 * tutorial's "Work Queues" page (https://www.rabbitmq.com/tutorials/tutorial-two-javascript) for fair dispatch.
 *
 * The check reads only the run's trace: an order counts as processed when the program printed its
 * `shipped order #N` line (a `console` trace entry) AND the broker received an acknowledgement of it sent no earlier
 * than that line. An ack sent before the work is done would lose the order if the worker died in between — exactly
 * what the exercise teaches — so it fails even when no crash happened to hit that order.
 */
import starterCode from './01-work-queue/starter.mjs?raw';
import solutionCode from './01-work-queue/solution.mjs?raw';
import type { CheckResult, ExerciseDefinition } from './types.ts';
import type { TraceEvent, TraceEventOf } from '../../simulator/trace.ts';
import { isRecord } from '../../src/lib/is-record.ts';

/** Orders the shop publishes. */
export const ORDER_COUNT = 20;
/**
 * A consumer connection that closes at least this many simulated ms before the last one is a crash, not part of
 * the program's shutdown (which closes the workers one round trip apart).
 */
const CRASH_GAP_MS = 1000;
/** The line a worker prints when it has shipped an order; the check reads it from the console entries. */
const SHIPPED_LINE = /\bshipped order #(\d+)\b/;
/** Most order names listed in one feedback sentence. */
const NAMES_LISTED_MAX = 8;

export const workQueueExercise: ExerciseDefinition = {
  id: '01-work-queue',
  lessonSlug: '01-work-queue',
  title: 'Exercise: no order left behind',
  instructions: [
    'The program below runs a small shop: it publishes 20 orders to the `orders` queue, and three workers take '
      + 'orders from that queue and ship them, one at a time. A little while after it starts, worker 2 crashes '
      + 'in the middle of an order (the program closes its connection, just as the broker would see a process die).',
    'Run it and read the console: some orders are never shipped. The workers consume with `noAck: true`, so the '
      + 'broker deletes each order the moment it hands it to a worker, and whatever worker 2 had not finished '
      + 'dies with it.',
    'Change the workers so that every order is shipped at least once, even though worker 2 still crashes. Keep '
      + 'the crash, the 20 orders and the `shipped order #…` line as they are (the check reads that line). Press '
      + '**Check** to run your program and judge it.',
  ],
  language: 'js',
  fileName: 'shop.mjs',
  starterCode,
  solutionCode,
  hints: [
    'The broker can only give an order to another worker if it still has it. Who decides when the broker may '
      + 'forget an order? Look at the options of `channel.consume`.',
    'Consume with `{ noAck: false }`: the broker then keeps every order it delivered until the worker '
      + 'acknowledges it, and puts the unacknowledged ones back in the queue when the worker\'s connection closes.',
    'Acknowledge an order with `channel.ack(msg)` after it is shipped, not when it arrives (skip it if the worker '
      + 'is no longer alive). Optionally call `await channel.prefetch(1)` so a worker holds one order at a time.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkWorkQueueRun,
};

type Delivered = TraceEventOf<'delivered'>;

interface Held {
  msgId: string;
  channel: string;
  connection: string;
  closedAtMs: number;
}

/**
 * Judges a run of the exercise program. Passes when the 20 orders were published, every one was acknowledged at
 * least once, and a consumer's connection closed while holding unacknowledged orders that were then redelivered
 * and acknowledged (the crash really happened and was survived). Fails with an explanation otherwise.
 */
export function checkWorkQueueRun(run: unknown): CheckResult {
  const fail = (...messages: string[]): CheckResult => ({ passed: false, messages });
  if (!isRecord(run) || !Array.isArray(run.trace)) {
    return fail('There is no run to check: the result has no trace. Run the program, then check again.');
  }
  const trace = (run.trace as unknown[]).filter(isTraceEvent);
  const error = isRecord(run.error) ? run.error : undefined;
  if (run.status === 'error') {
    const where = typeof error?.line === 'number' ? ` (line ${error.line})` : '';
    const what = error ? `${String(error.name)}: ${String(error.message)}` : 'an error';
    return fail(`The program stopped with ${what}${where} before the orders could be judged.`,
      'Fix the error (the console shows where), then check again.');
  }
  if (trace.length === 0) {
    return fail('The run recorded nothing: the program never talked to the broker.',
      'Start from the exercise\'s code (Reset restores it) and check again.');
  }

  // Who is who: channel → connection, connection → label, consumers per channel.
  const connectionOf = new Map<string, string>();
  const labelOf = new Map<string, string>();
  const noAckChannels = new Set<string>();
  const consumerConnections: string[] = [];
  for (const e of trace) {
    if (e.kind === 'connection-opened') labelOf.set(e.connection, e.label);
    else if (e.kind === 'channel-opened') connectionOf.set(e.channel, e.connection);
    else if (e.kind === 'consumer-added') {
      if (e.noAck) noAckChannels.add(e.channel);
      const connection = connectionOf.get(e.channel) ?? e.channel.split('.')[0];
      if (!consumerConnections.includes(connection)) consumerConnections.push(connection);
    }
  }
  const name = (connection: string) => connectionName(connection, labelOf.get(connection));

  // The orders: published messages that reached a queue (`enqueued`; `routed` to a queue counts as well).
  const orderNames = new Map<string, string>();
  const previews = new Map<string, string>();
  for (const e of trace) {
    if (e.kind === 'published') previews.set(e.msgId, e.preview);
    const reachedQueue = e.kind === 'enqueued' || (e.kind === 'routed' && e.queues.length > 0);
    if (reachedQueue && previews.has(e.msgId) && !orderNames.has(e.msgId)) {
      orderNames.set(e.msgId, orderName(e.msgId, previews.get(e.msgId)));
    }
  }
  const orders = [...orderNames.keys()];
  if (orders.length === 0) {
    return fail('No order reached a queue: the shop published nothing the workers could take.',
      'Keep the shop part of the program as it is (Reset restores it).');
  }
  if (orders.length !== ORDER_COUNT) {
    return fail(`The shop should publish ${ORDER_COUNT} orders, but ${orders.length} reached the queue.`,
      `Keep \`ORDER_COUNT = ${ORDER_COUNT}\` and the publishing loop as they are.`);
  }
  if (consumerConnections.length === 0) {
    return fail('No worker consumed from the queue: nothing called `channel.consume`.');
  }

  // Replay deliveries and acknowledgements to find what each consumer held when its connection closed.
  const acked = new Set<string>();
  const ackSentAtMs = new Map<string, number[]>(); // msgId → when each of its acks was sent (client time)
  const closedAtMs = new Map<string, number>();
  const outstanding = new Map<string, Delivered>(); // `${channel}#${deliveryTag}` → delivery
  const deliveredTo = new Map<string, string[]>(); // connection → msgIds delivered to it
  const heldAtClose: Held[] = [];
  const closedEarly: { connection: string; atMs: number }[] = [];
  const openConsumers = new Set(consumerConnections);
  for (const e of trace) {
    switch (e.kind) {
      case 'delivered': {
        const connection = connectionOf.get(e.channel) ?? e.channel.split('.')[0];
        if (!deliveredTo.has(connection)) deliveredTo.set(connection, []);
        deliveredTo.get(connection)!.push(e.msgId);
        if (!noAckChannels.has(e.channel)) outstanding.set(`${e.channel}#${e.deliveryTag}`, e);
        break;
      }
      case 'acked':
        acked.add(e.msgId);
        ackSentAtMs.set(e.msgId, [...(ackSentAtMs.get(e.msgId) ?? []), e.sentAtMs]);
        outstanding.delete(`${e.channel}#${e.deliveryTag}`);
        break;
      case 'nacked':
        outstanding.delete(`${e.channel}#${e.deliveryTag}`);
        break;
      case 'channel-closed':
      case 'connection-closed': {
        const closing = e.kind === 'channel-closed' ? e.channel : e.connection;
        const connection = e.kind === 'channel-closed' ? connectionOf.get(e.channel) ?? closing : e.connection;
        for (const [key, d] of outstanding) {
          const dConnection = connectionOf.get(d.channel) ?? d.channel.split('.')[0];
          if (e.kind === 'channel-closed' ? d.channel === closing : dConnection === closing) {
            heldAtClose.push({ msgId: d.msgId, channel: d.channel, connection: dConnection, closedAtMs: e.t });
            outstanding.delete(key);
          }
        }
        if (e.kind === 'connection-closed') closedAtMs.set(e.connection, e.t);
        if (e.kind === 'connection-closed' && openConsumers.has(connection)) {
          openConsumers.delete(connection);
          if (openConsumers.size > 0) closedEarly.push({ connection, atMs: e.t });
        }
        break;
      }
      default:
        break;
    }
  }

  const lost = orders.filter((id) => !acked.has(id));
  // A crash is a consumer connection closing while the other workers stay connected for a good while; the
  // program's normal shutdown closes the workers one right after the other.
  const lastEventAtMs = trace[trace.length - 1].t;
  const lastConsumerCloseAtMs = openConsumers.size > 0
    ? lastEventAtMs
    : Math.max(...consumerConnections.map((c) => closedAtMs.get(c) ?? lastEventAtMs));
  const crashed = closedEarly.find((c) => c.atMs <= lastConsumerCloseAtMs - CRASH_GAP_MS);

  if (noAckChannels.size > 0) {
    // The first verdict most learners see (the starter): say what went wrong in the run, and leave the fix to them
    // and the hints.
    const shipped = shippedAtMs(trace);
    const nameOf = (id: string) => orderNames.get(id) ?? id;
    const unshipped = orders.filter((id) => !shipped.has(nameOf(id)));
    const messages = [unshipped.length > 0
      ? `${unshipped.length} of the ${ORDER_COUNT} orders ${unshipped.length === 1 ? 'was' : 'were'} never shipped: `
        + `${list(unshipped.map(nameOf))}.`
      : `Every order was shipped in this run, but the broker was never told so: no order was acknowledged.`];
    if (crashed) {
      const sent = unique(deliveredTo.get(crashed.connection) ?? []);
      const died = sent.filter((id) => !shipped.has(nameOf(id)));
      messages.push(`${capitalize(name(crashed.connection))} crashed. It had received `
        + `${plural(sent.length, 'order')} (${list(sent.map(nameOf))})`
        + (died.length > 0
          ? ` and had not shipped ${died.length === 1 ? 'this one' : 'these'} yet: ${list(died.map(nameOf))}. `
            + `No other worker ever received ${died.length === 1 ? 'it' : 'them'}.`
          : '.'));
    }
    messages.push('Why could the broker not hand those orders to another worker? Read the instructions again, or '
      + 'press **Show a hint**: the hints lead to the fix one step at a time.');
    return fail(...messages);
  }

  if (lost.length > 0) {
    const heldLost = heldAtClose.filter((h) => lost.includes(h.msgId));
    const messages = [`${plural(lost.length, 'order')} ${lost.length === 1 ? 'was' : 'were'} never acknowledged: `
      + `${list(lost.map((id) => orderNames.get(id) ?? id))}. As far as the broker knows, `
      + `${lost.length === 1 ? 'it was' : 'they were'} never shipped.`];
    const neverDelivered = lost.filter((id) => ![...deliveredTo.values()].some((ids) => ids.includes(id)));
    if (neverDelivered.length > 0) {
      messages.push(`${plural(neverDelivered.length, 'order')} never reached a worker: did the workers stop `
        + 'before the queue was empty?');
    }
    if (heldLost.length > 0) {
      messages.push('Some were still unacknowledged when a worker\'s connection closed: the broker put them back '
        + 'in the queue (nothing is lost on the broker), but no worker acknowledged them afterwards. Does every '
        + 'worker call `channel.ack(msg)` after shipping an order?');
    } else {
      messages.push('Every order must be acknowledged with `channel.ack(msg)` once it is shipped.');
    }
    return fail(...messages);
  }

  const shipping = judgeShipping(trace, orders, orderNames, ackSentAtMs);
  if (shipping !== undefined) return shipping;

  const recovered = heldAtClose.filter((h) => acked.has(h.msgId) && h.connection === crashed?.connection);
  if (!crashed || recovered.length === 0) {
    const why = crashed
      ? `${capitalize(name(crashed.connection))} held no unacknowledged order when it crashed, so the broker had `
        + 'nothing to give back: any order it had received but not shipped is lost. Acknowledge an order after it '
        + 'is shipped, not as soon as it arrives.'
      : 'No worker crashed while others kept working. Keep worker 2\'s crash in the program: surviving it is '
        + 'the point of the exercise.';
    return fail('Every order was acknowledged, but the crash was not survived the way it should be.', why);
  }

  const recoveredNames = unique(recovered.map((h) => h.msgId)).map((id) => orderNames.get(id) ?? id);
  return {
    passed: true,
    messages: [
      `All ${ORDER_COUNT} orders were shipped and acknowledged; none was lost.`,
      `${capitalize(name(crashed.connection))} crashed holding ${plural(recoveredNames.length, 'unacknowledged order')} `
        + `(${list(recoveredNames)}); the broker put ${recoveredNames.length === 1 ? 'it' : 'them'} back in the `
        + 'queue and another worker shipped ' + (recoveredNames.length === 1 ? 'it' : 'them') + ' (redelivered).',
    ],
  };
}

/**
 * Every acknowledged order must also have been shipped (its `shipped order #N` line printed), and acknowledged no
 * earlier than that. Returns a failing verdict, or undefined when shipping and acks agree.
 */
function judgeShipping(trace: TraceEvent[], orders: string[], orderNames: Map<string, string>,
  ackSentAtMs: Map<string, number[]>): CheckResult | undefined {
  const shippedAt = shippedAtMs(trace);
  const nameOf = (id: string) => orderNames.get(id) ?? id;
  const neverShipped = orders.filter((id) => !shippedAt.has(nameOf(id)));
  if (neverShipped.length === orders.length) {
    return { passed: false, messages: [
      'Every order was acknowledged, but no `shipped order #…` line was printed, so the check cannot tell that any '
        + 'order was shipped.',
      'Keep the workers\' `console.log(`worker ${n} shipped order #${order.id}`)` line (Reset shows the original).',
    ] };
  }
  if (neverShipped.length > 0) {
    return { passed: false, messages: [
      `${plural(neverShipped.length, 'order')} ${neverShipped.length === 1 ? 'was' : 'were'} acknowledged but never `
        + `shipped: ${list(neverShipped.map(nameOf))}.`,
      'A worker acknowledged these orders before finishing them and then crashed: the ack told the broker it could '
        + 'forget them, so nobody else got them. Call `channel.ack(msg)` after the order is shipped, not when it '
        + 'arrives.',
    ] };
  }
  const ackedEarly = orders.filter((id) => {
    const shippedAtOrder = shippedAt.get(nameOf(id)) ?? 0;
    return !(ackSentAtMs.get(id) ?? []).some((sentAtMs) => sentAtMs >= shippedAtOrder);
  });
  if (ackedEarly.length > 0) {
    return { passed: false, messages: [
      `Every order was shipped, but ${plural(ackedEarly.length, 'order')} (${list(ackedEarly.map(nameOf))}) `
        + `${ackedEarly.length === 1 ? 'was' : 'were'} acknowledged before ${ackedEarly.length === 1 ? 'it was' : 'they were'} shipped.`,
      'It worked out this time, but a worker that dies between the ack and the end of the work loses that order '
        + 'for good. Call `channel.ack(msg)` after the order is shipped.',
    ] };
  }
  return undefined;
}

/** Order name (`#8`) → the first time (simulated ms) its `shipped order #8` line was printed (log or info). */
function shippedAtMs(trace: readonly TraceEvent[]): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const e of trace) {
    if (e.kind !== 'console' || (e.level !== 'log' && e.level !== 'info')) continue;
    const match = SHIPPED_LINE.exec(e.text);
    if (match && !shipped.has(`#${match[1]}`)) shipped.set(`#${match[1]}`, e.t);
  }
  return shipped;
}

function isTraceEvent(value: unknown): value is TraceEvent {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.t === 'number';
}

/** `{"id":8}` → `#8`; otherwise the message id. */
function orderName(msgId: string, preview: string | undefined): string {
  const match = /"id"\s*:\s*(\d+)/.exec(preview ?? '');
  return match ? `#${match[1]}` : msgId;
}

/** `worker 2` for a labelled connection, `the worker on connection c3` otherwise. */
function connectionName(connection: string, label: string | undefined): string {
  if (label && label !== connection && label.trim() !== '') return label;
  return `the worker on connection ${connection}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function list(names: string[]): string {
  const shown = names.slice(0, NAMES_LISTED_MAX).join(', ');
  return names.length > NAMES_LISTED_MAX ? `${shown} and ${names.length - NAMES_LISTED_MAX} more` : shown;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
