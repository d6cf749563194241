/**
 * Message expiry and queue length limits, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on
 * TTL and limits: a feed ("price-feed") publishes price updates to the queue `prices` faster than one consumer
 * ("pricer") handles them, so the queue grows; the queue's arguments decide what happens to the backlog.
 *
 * - `messageTtlMs` > 0 sets `x-message-ttl`: a message that has waited that long in the queue expires. RabbitMQ
 *   removes expired messages from the head of the queue (https://www.rabbitmq.com/docs/ttl).
 * - `maxLength` > 0 sets `x-max-length` (ready messages only, https://www.rabbitmq.com/docs/maxlength) with
 *   `x-overflow` = `overflow`: `drop-head` (the default) throws the oldest message out to make room for the new one;
 *   `reject-publish` refuses the new one (the feed publishes with confirms and gets a nack for it).
 * - `deadLetter: 'yes'` sets `x-dead-letter-exchange` = `prices.dlx`, a fanout exchange bound to `prices.dead`:
 *   expired messages (reason `expired`) and messages thrown out by drop-head (reason `maxlen`) are republished there
 *   instead of being dropped. A message refused by reject-publish is never dead-lettered (only reject-publish-dlx
 *   does that). Without it they are dropped.
 *
 * Timeline: the pricer declares the dead-letter exchange and queue, then `prices`, sets prefetch 1 and consumes,
 * acknowledging each update `processingMs` after it arrives. The feed declares `prices` with the same arguments and
 * publishes its first update at `TTL_PUBLISH_START_MS`, then one every `1000 / producerRatePerSec` ms, on a confirm
 * channel.
 *
 * Pure, synchronous and deterministic (the only random draw is the consumer tag, from the seeded PRNG): same knobs
 * and seed ⇒ byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The queue the feed publishes to. */
export const TTL_QUEUE = 'prices';
/** The dead-letter exchange (fanout) of `prices`, when dead-lettering is on. */
export const TTL_DLX = 'prices.dlx';
/** The queue bound to the dead-letter exchange: where expired and dropped updates end up. */
export const TTL_DEAD_QUEUE = 'prices.dead';
/** Connection labels. */
export const TTL_PUBLISHER = 'price-feed';
export const TTL_CONSUMER = 'pricer';
/** Simulated ms of the first update: after the pricer has declared everything and subscribed. */
export const TTL_PUBLISH_START_MS = 1000;

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

export const TTL_LIMITS_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'producerRatePerSec', kind: 'number', label: 'Publish rate', unit: 'msg/s',
    description: 'Price updates the feed publishes per second.', min: 1, max: 20, step: 1, integer: true, default: 4,
  },
  {
    name: 'messageCount', kind: 'number', label: 'Updates', unit: 'messages',
    description: 'How many price updates the feed publishes.', min: 1, max: 100, step: 1, integer: true, default: 40,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Handling time', unit: 'ms',
    description: 'Time the pricer spends on one update (it takes one at a time).',
    min: 0, max: 3000, step: 50, integer: true, default: 500,
  },
  {
    name: 'messageTtlMs', kind: 'number', label: 'Message TTL (x-message-ttl)', unit: 'ms',
    description: 'How long an update may wait in the queue before it expires.',
    min: 0, max: 20_000, step: 500, integer: true, default: 0, zeroText: 'none',
  },
  {
    name: 'maxLength', kind: 'number', label: 'Max length (x-max-length)', unit: 'messages',
    description: 'Most updates the queue holds ready; what happens to one more depends on the overflow mode.',
    min: 0, max: 50, step: 1, integer: true, default: 0, zeroText: 'no limit',
  },
  {
    name: 'overflow', kind: 'choice', label: 'When full (x-overflow)',
    description: 'What the queue does with one more update when it holds its maximum.',
    options: [
      { value: 'drop-head', label: 'drop the oldest (drop-head)' },
      { value: 'reject-publish', label: 'refuse the new one (reject-publish)' },
    ],
    default: 'drop-head',
  },
  {
    name: 'deadLetter', kind: 'choice', label: 'Dead-letter exchange',
    description: 'Whether expired and dropped updates go to prices.dlx (and on to prices.dead) or are thrown away.',
    options: [
      { value: 'yes', label: 'prices.dlx → prices.dead' },
      { value: 'no', label: 'none (throw them away)' },
    ],
    default: 'yes',
  },
];

interface TtlKnobs {
  producerRatePerSec: number;
  messageCount: number;
  processingMs: number;
  messageTtlMs: number;
  maxLength: number;
  overflow: 'drop-head' | 'reject-publish';
  deadLetter: boolean;
}

function readKnobs(raw: KnobValues): TtlKnobs {
  const k = checkKnobs(TTL_LIMITS_KNOB_SPECS, raw);
  return {
    producerRatePerSec: Number(k.producerRatePerSec),
    messageCount: Number(k.messageCount),
    processingMs: Number(k.processingMs),
    messageTtlMs: Number(k.messageTtlMs),
    maxLength: Number(k.maxLength),
    overflow: k.overflow === 'reject-publish' ? 'reject-publish' : 'drop-head',
    deadLetter: k.deadLetter !== 'no',
  };
}

/** The arguments of `prices` for these knobs (amqplib's `messageTtl`, `maxLength`, `overflow`, `deadLetterExchange`). */
export function ttlQueueArguments(k: Pick<TtlKnobs, 'messageTtlMs' | 'maxLength' | 'overflow' | 'deadLetter'>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (k.messageTtlMs > 0) args['x-message-ttl'] = k.messageTtlMs;
  if (k.maxLength > 0) {
    args['x-max-length'] = k.maxLength;
    args['x-overflow'] = k.overflow;
  }
  if (k.deadLetter) args['x-dead-letter-exchange'] = TTL_DLX;
  return args;
}

/**
 * Runs the scenario (see the module doc).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runTtlLimits(raw: KnobValues, options: ScenarioRunOptions) {
  const k = readKnobs(raw);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${UNTIL_MS_MAX}] (ms), got ${String(options.untilMs)}`);
  }
  const perRun = 16 * k.messageCount + 1000;
  const engine = new Engine({
    seed: options.seed,
    limits: {
      eventsMax: Math.max(DEFAULT_LIMITS.eventsMax, perRun),
      traceEntriesMax: Math.max(DEFAULT_LIMITS.traceEntriesMax, perRun),
    },
  });
  const broker = new AmqpBroker(engine, { latencyMs: options.latencyMs });
  const queueProperties = { durable: false, exclusive: false, autoDelete: false, arguments: ttlQueueArguments(k) };

  startPricer(broker, k, queueProperties);

  // The feed: declares `prices` the same way, then publishes on a confirm channel from TTL_PUBLISH_START_MS.
  engine.schedule(TTL_PUBLISH_START_MS - 2 * broker.latencyMs, () => {
    const channel = broker.openChannel(broker.connect(TTL_PUBLISHER));
    broker.assertQueue(channel, TTL_QUEUE, queueProperties, () => {
      const startMs = engine.nowMs;
      let sent = 0;
      const publishNext = () => {
        sent++;
        const body = `price update ${sent}`;
        broker.publish(channel, '', TTL_QUEUE, body, NO_PROPERTIES, body, CONFIRMED);
        if (sent < k.messageCount) {
          const dueMs = startMs + Math.floor((sent * 1000) / k.producerRatePerSec);
          engine.schedule(Math.max(0, dueMs - engine.nowMs), publishNext);
        }
      };
      publishNext();
    });
  });

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

/**
 * The pricer: declares the dead-letter exchange and queue (when on), then `prices`, and consumes with prefetch 1,
 * acknowledging each update `processingMs` after it arrives.
 */
function startPricer(broker: AmqpBroker, k: TtlKnobs,
  queueProperties: { durable: boolean; exclusive: boolean; autoDelete: boolean; arguments: Record<string, unknown> }): void {
  const engine = broker.engine;
  const waiting: Delivery[] = [];
  let busy = false;
  const channel = broker.openChannel(broker.connect(TTL_CONSUMER), {
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
      broker.ack(channel, delivery.deliveryTag, false);
      busy = false;
      startNext();
    });
  };
  const declarePrices = () => {
    broker.assertQueue(channel, TTL_QUEUE, queueProperties, () => {
      broker.qos(channel, 1, false, noop);
      broker.consume(channel, TTL_QUEUE, { noAck: false }, noop);
    });
  };
  if (!k.deadLetter) {
    declarePrices();
    return;
  }
  broker.assertExchange(channel, TTL_DLX, 'fanout', EXCHANGE_OPTIONS, noop);
  broker.assertQueue(channel, TTL_DEAD_QUEUE, { durable: false, exclusive: false, autoDelete: false, arguments: {} }, noop);
  broker.bindQueue(channel, TTL_DEAD_QUEUE, TTL_DLX, '', () => declarePrices());
}

function noop(): void {}

const EXCHANGE_OPTIONS = { durable: false, autoDelete: false, internal: false };
/** The updates carry no properties; one shared, frozen object. */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});
/** The feed publishes with confirms (a nack when reject-publish refuses an update); it does nothing more with them. */
const CONFIRMED = Object.freeze({ onConfirmed: noop });

export const ttlLimitsScenario: Scenario = {
  id: 'amqp/ttl-limits',
  broker: 'amqp',
  knobs: TTL_LIMITS_KNOB_SPECS,
  faults: [],
  run: runTtlLimits,
};
