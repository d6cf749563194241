/**
 * Poison messages, dead-lettering and retries, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the
 * lesson on dead-letter exchanges: a shop publishes orders to the durable queue `orders`; every `poisonEvery`-th
 * order is malformed and fails every time a worker handles it. The workers (prefetch 1, manual acks) acknowledge
 * the good orders; what they do with a failure is the knob `onFailure`:
 * - `requeue`: basic.nack with requeue. RabbitMQ puts the message back at the head of its queue, so with prefetch
 *   1 the same worker gets it straight back (redelivered), fails again, for ever: the orders behind it wait
 *   (https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue).
 * - `drop`: basic.nack without requeue from a queue with no dead-letter exchange: the broker discards it.
 * - `dead-letter`: the same nack, but `orders` has `x-dead-letter-exchange: orders.dlx` (a fanout exchange bound
 *   to the queue `orders.dead`): the broker moves the message there, with an `x-death` header saying why
 *   (https://www.rabbitmq.com/docs/dlx).
 * - `retry`: `orders` dead-letters to the fanout exchange `orders.retry`, bound to the queue `orders.retry`, which
 *   has `x-message-ttl: retryDelayMs` and dead-letters expired messages back to `orders` (default exchange, routing
 *   key `orders`): a delayed retry. The worker reads the `x-death` entry of `orders` (reason `rejected`): its
 *   `count` is the number of earlier failed attempts. On the `maxAttempts`-th failure the worker gives up:
 *   publishes the message (headers kept) to the queue `orders.parked` and acknowledges it.
 *
 * Pure, synchronous and deterministic (no PRNG draws): same knobs ⇒ byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The work queue. */
export const DL_QUEUE = 'orders';
/** Dead-letter exchange and queue of the `dead-letter` mode. */
export const DL_EXCHANGE = 'orders.dlx';
export const DL_DEAD_QUEUE = 'orders.dead';
/** Retry exchange and delay queue of the `retry` mode. */
export const DL_RETRY = 'orders.retry';
/** Where the `retry` mode parks a message that failed `maxAttempts` times. */
export const DL_PARKED_QUEUE = 'orders.parked';

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

export type FailureMode = 'requeue' | 'drop' | 'dead-letter' | 'retry';

export const DEAD_LETTER_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'messageCount', kind: 'number', label: 'Orders', unit: 'messages',
    description: 'How many orders the shop publishes.', min: 1, max: 100, step: 1, integer: true, default: 12,
  },
  {
    name: 'producerRatePerSec', kind: 'number', label: 'Orders per second', unit: 'msg/s',
    description: 'How fast the shop publishes.', min: 1, max: 20, step: 1, integer: true, default: 4,
  },
  {
    name: 'poisonEvery', kind: 'number', label: 'Poison order every', unit: 'orders',
    description: 'Every N-th order is malformed and fails each time it is handled.', min: 0, max: 20, step: 1,
    integer: true, default: 4, zeroText: 'never (all orders are good)',
  },
  {
    name: 'onFailure', kind: 'choice', label: 'On failure the worker',
    description: 'What a worker does with an order it failed to handle.',
    options: [
      { value: 'requeue', label: 'nacks with requeue' },
      { value: 'drop', label: 'nacks without requeue (no dead-letter exchange)' },
      { value: 'dead-letter', label: 'nacks without requeue, to a dead-letter exchange' },
      { value: 'retry', label: 'retries after a delay, then parks it' },
    ],
    default: 'requeue',
  },
  {
    name: 'retryDelayMs', kind: 'number', label: 'Retry delay', unit: 'ms',
    description: 'How long a failed order waits in orders.retry (its x-message-ttl) before it goes back to orders.',
    min: 500, max: 10_000, step: 500, integer: true, default: 2000,
  },
  {
    name: 'maxAttempts', kind: 'number', label: 'Attempts before parking', unit: 'attempts',
    description: 'How many times a worker tries an order before it parks it in orders.parked.', min: 1, max: 10,
    step: 1, integer: true, default: 3,
  },
  {
    name: 'consumerCount', kind: 'number', label: 'Workers', unit: 'workers',
    description: 'Workers consuming from orders, one order at a time each (prefetch 1).', min: 1, max: 4, step: 1,
    integer: true, default: 1,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Handling time', unit: 'ms',
    description: 'Time a worker spends on an order before it succeeds or fails.', min: 50, max: 2000, step: 50,
    integer: true, default: 300,
  },
];

interface DeadLetterKnobs {
  messageCount: number;
  producerRatePerSec: number;
  poisonEvery: number;
  onFailure: FailureMode;
  retryDelayMs: number;
  maxAttempts: number;
  consumerCount: number;
  processingMs: number;
}

function readKnobs(raw: KnobValues): DeadLetterKnobs {
  const k = checkKnobs(DEAD_LETTER_KNOB_SPECS, raw);
  return {
    messageCount: Number(k.messageCount),
    producerRatePerSec: Number(k.producerRatePerSec),
    poisonEvery: Number(k.poisonEvery),
    onFailure: k.onFailure as FailureMode,
    retryDelayMs: Number(k.retryDelayMs),
    maxAttempts: Number(k.maxAttempts),
    consumerCount: Number(k.consumerCount),
    processingMs: Number(k.processingMs),
  };
}

/** Whether order `n` (1-based) is a poison order. */
export function isPoison(n: number, poisonEvery: number): boolean {
  return poisonEvery > 0 && n % poisonEvery === 0;
}

/** The body of order `n`: good orders have a numeric quantity, poison ones a quantity no worker can read. */
export function orderBody(n: number, poisonEvery: number): string {
  return isPoison(n, poisonEvery) ? `{"id":${n},"qty":"two"}` : `{"id":${n},"qty":${1 + (n % 3)}}`;
}

/**
 * Earlier failed attempts of a delivery: the `count` of its `x-death` entry for queue `queue` with reason
 * `rejected` (0 when it has none).
 */
export function rejectedCount(properties: Record<string, unknown>, queue: string): number {
  const headers = properties.headers;
  if (headers === null || typeof headers !== 'object') return 0;
  const deaths = (headers as Record<string, unknown>)['x-death'];
  if (!Array.isArray(deaths)) return 0;
  const entry = (deaths as Record<string, unknown>[]).find((d) => d.queue === queue && d.reason === 'rejected');
  return typeof entry?.count === 'number' ? entry.count : 0;
}

const QUEUE_OPTIONS = { durable: true, exclusive: false, autoDelete: false };
const EXCHANGE_OPTIONS = { durable: true, autoDelete: false, internal: false };

/**
 * Runs the scenario: the shop ("shop") declares the topology of `onFailure` and publishes `messageCount` orders at
 * `producerRatePerSec` to `orders`; `consumerCount` workers ("worker 1" …) consume with prefetch 1 and settle each
 * delivery `processingMs` after it arrives (see the module doc for what a failure does).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runDeadLetter(raw: KnobValues, options: ScenarioRunOptions) {
  const k = readKnobs(raw);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${UNTIL_MS_MAX}] (ms), got ${String(options.untilMs)}`);
  }
  // A requeue loop runs until untilMs: a handful of entries per attempt.
  const attemptsMax = Math.ceil(options.untilMs / (k.processingMs + 2 * options.latencyMs + 1)) * k.consumerCount;
  const perRun = 16 * (k.messageCount * (k.maxAttempts + 1) + attemptsMax) + 2000;
  const engine = new Engine({
    seed: options.seed,
    limits: {
      eventsMax: Math.max(DEFAULT_LIMITS.eventsMax, perRun),
      traceEntriesMax: Math.max(DEFAULT_LIMITS.traceEntriesMax, perRun),
    },
  });
  const broker = new AmqpBroker(engine, { latencyMs: options.latencyMs });
  const mode = k.onFailure;

  const shop = broker.openChannel(broker.connect('shop'));
  const workArgs: Record<string, unknown> = mode === 'dead-letter' ? { 'x-dead-letter-exchange': DL_EXCHANGE }
    : mode === 'retry' ? { 'x-dead-letter-exchange': DL_RETRY } : {};
  const setup: Array<(next: () => void) => void> = [];
  if (mode === 'dead-letter') {
    setup.push((next) => broker.assertExchange(shop, DL_EXCHANGE, 'fanout', EXCHANGE_OPTIONS, () => next()));
    setup.push((next) => broker.assertQueue(shop, DL_DEAD_QUEUE, { ...QUEUE_OPTIONS, arguments: {} }, () => next()));
    setup.push((next) => broker.bindQueue(shop, DL_DEAD_QUEUE, DL_EXCHANGE, '', () => next()));
  }
  if (mode === 'retry') {
    setup.push((next) => broker.assertExchange(shop, DL_RETRY, 'fanout', EXCHANGE_OPTIONS, () => next()));
    setup.push((next) => broker.assertQueue(shop, DL_RETRY, { ...QUEUE_OPTIONS, arguments: {
      'x-message-ttl': k.retryDelayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': DL_QUEUE,
    } }, () => next()));
    setup.push((next) => broker.bindQueue(shop, DL_RETRY, DL_RETRY, '', () => next()));
    setup.push((next) => broker.assertQueue(shop, DL_PARKED_QUEUE, { ...QUEUE_OPTIONS, arguments: {} }, () => next()));
  }
  setup.push((next) => broker.assertQueue(shop, DL_QUEUE, { ...QUEUE_OPTIONS, arguments: workArgs }, () => next()));

  const publishOrders = () => {
    const startMs = engine.nowMs;
    let sent = 0;
    const publishNext = () => {
      sent++;
      const body = orderBody(sent, k.poisonEvery);
      broker.publish(shop, '', DL_QUEUE, body, { deliveryMode: 2, contentType: 'application/json' }, body);
      if (sent < k.messageCount) {
        const dueMs = startMs + Math.floor((sent * 1000) / k.producerRatePerSec);
        engine.schedule(Math.max(0, dueMs - engine.nowMs), publishNext);
      }
    };
    publishNext();
  };
  // Once the queues exist, the workers start consuming and the shop publishes.
  const runSetup = (i: number): void => {
    if (i < setup.length) {
      setup[i](() => runSetup(i + 1));
      return;
    }
    for (let w = 1; w <= k.consumerCount; w++) startWorker(broker, engine, `worker ${w}`, k);
    publishOrders();
  };
  runSetup(0);

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

/** One worker: prefetch 1, each delivery settled `processingMs` after it arrives, failures as `onFailure` says. */
function startWorker(broker: AmqpBroker, engine: Engine, label: string, k: DeadLetterKnobs): void {
  const waiting: Delivery[] = [];
  let busy = false;
  const channel = broker.openChannel(broker.connect(label), {
    onDeliver(delivery) {
      waiting.push(delivery);
      if (!busy) startNext();
    },
  });
  const startNext = () => {
    const delivery = waiting.shift();
    if (delivery === undefined) return;
    busy = true;
    engine.schedule(k.processingMs, () => {
      settle(delivery);
      busy = false;
      startNext();
    });
  };
  const settle = (delivery: Delivery) => {
    const body = String(delivery.content);
    if (!/"qty":"/.test(body)) {
      broker.ack(channel, delivery.deliveryTag, false);
      return;
    }
    if (k.onFailure === 'requeue') {
      broker.nack(channel, delivery.deliveryTag, false, true);
    } else if (k.onFailure === 'retry' && rejectedCount(delivery.properties, DL_QUEUE) + 1 >= k.maxAttempts) {
      broker.publish(channel, '', DL_PARKED_QUEUE, delivery.content, delivery.properties, body);
      broker.ack(channel, delivery.deliveryTag, false);
    } else {
      broker.nack(channel, delivery.deliveryTag, false, false);
    }
  };
  broker.qos(channel, 1, false, noop);
  broker.consume(channel, DL_QUEUE, { noAck: false }, noop);
}

function noop(): void {}

export const deadLetterScenario: Scenario = {
  id: 'amqp/dead-letter',
  broker: 'amqp',
  knobs: DEAD_LETTER_KNOB_SPECS,
  faults: [],
  run: runDeadLetter,
};
