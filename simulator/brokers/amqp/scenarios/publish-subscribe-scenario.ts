/**
 * Publish/subscribe with a fanout exchange, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on
 * pub/sub: a publisher ("sign-ups") publishes one event per new user to the fanout exchange `user-events`, and up to
 * four subscribers ("emailer", "stats", "audit", "search") each react to every event.
 *
 * - `queues: 'own'` (publish/subscribe): each subscriber declares its own exclusive, server-named queue
 *   (`queue.declare` with an empty name: RabbitMQ names it `amq.gen-…`, https://www.rabbitmq.com/docs/queues#server-named-queues),
 *   binds it to the exchange and consumes from it. A fanout exchange puts a copy of every message in every queue
 *   bound to it and ignores the routing key (https://www.rabbitmq.com/docs/exchanges#fanout), so every subscriber
 *   gets every event published after its binding, at its own pace.
 * - `queues: 'shared'` (a work queue, for contrast): the subscribers all consume from one named queue
 *   (`user-events.all`) bound to the exchange: they compete, and each event reaches exactly one of them.
 * - `lastSubscriberAtMs` starts the last subscriber late: events published before its queue was bound are not in it
 *   (no queue, no copy). With no subscriber at all the exchange has no bindings and drops every event as unroutable
 *   (AMQP 0-9-1 basic.publish without `mandatory`).
 *
 * Timeline: every subscriber that starts at 0 is bound after three round trips (exchange.declare, queue.declare,
 * then queue.bind + basic.qos + basic.consume pipelined); the publisher declares the exchange and publishes its
 * first event at `PUBLISH_START_MS`, later than that, then one every `1000 / producerRatePerSec` ms. Each subscriber
 * takes `processingMs` per event, one at a time (prefetch 1, manual acks).
 *
 * Pure, synchronous and deterministic (the only random draws are the broker's server-named queue names and consumer
 * tags, from the seeded PRNG): same knobs and seed ⇒ byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The fanout exchange the publisher publishes to. */
export const PUBSUB_EXCHANGE = 'user-events';
/** The one named queue of the 'shared' mode. */
export const PUBSUB_SHARED_QUEUE = 'user-events.all';
/** Connection labels of the subscribers, in order (the knob takes the first N). */
export const PUBSUB_SUBSCRIBERS: readonly string[] = ['emailer', 'stats', 'audit', 'search'];
/** Connection label of the publisher. */
export const PUBSUB_PUBLISHER = 'sign-ups';
/** Simulated ms of the first event: after the subscribers that start at 0 are bound (3 round trips at 100 ms). */
export const PUBSUB_PUBLISH_START_MS = 1000;

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

export const PUBLISH_SUBSCRIBE_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'subscriberCount', kind: 'number', label: 'Subscribers', unit: 'subscribers',
    description: 'Programs that want every event: emailer, stats, audit, search (the first N).',
    min: 0, max: PUBSUB_SUBSCRIBERS.length, step: 1, integer: true, default: 3,
  },
  {
    name: 'queues', kind: 'choice', label: 'Subscriber queues',
    description: 'Whether each subscriber binds a queue of its own to the exchange, or all of them read one shared queue.',
    options: [
      { value: 'own', label: 'one per subscriber (pub/sub)' },
      { value: 'shared', label: 'one shared (work queue)' },
    ],
    default: 'own',
  },
  {
    name: 'lastSubscriberAtMs', kind: 'number', label: 'Last subscriber starts at', unit: 'ms',
    description: 'When the last subscriber starts and binds its queue. Events published before that are not in it.',
    min: 0, max: 20_000, step: 500, integer: true, default: 0,
  },
  {
    name: 'messageCount', kind: 'number', label: 'Events', unit: 'messages',
    description: 'How many sign-up events the publisher sends.', min: 1, max: 100, step: 1, integer: true, default: 10,
  },
  {
    name: 'producerRatePerSec', kind: 'number', label: 'Publish rate', unit: 'msg/s',
    description: 'Events the publisher sends per second.', min: 1, max: 20, step: 1, integer: true, default: 2,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Processing time', unit: 'ms',
    description: 'Time a subscriber spends on one event.', min: 0, max: 3000, step: 50, integer: true, default: 200,
  },
];

interface PubSubKnobs {
  subscriberCount: number;
  queues: 'own' | 'shared';
  lastSubscriberAtMs: number;
  messageCount: number;
  producerRatePerSec: number;
  processingMs: number;
}

function readKnobs(raw: KnobValues): PubSubKnobs {
  const k = checkKnobs(PUBLISH_SUBSCRIBE_KNOB_SPECS, raw);
  return {
    subscriberCount: Number(k.subscriberCount),
    queues: k.queues === 'shared' ? 'shared' : 'own',
    lastSubscriberAtMs: Number(k.lastSubscriberAtMs),
    messageCount: Number(k.messageCount),
    producerRatePerSec: Number(k.producerRatePerSec),
    processingMs: Number(k.processingMs),
  };
}

const EXCHANGE_OPTIONS = { durable: false, autoDelete: false, internal: false };

/**
 * Runs the scenario (see the module doc).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runPublishSubscribe(raw: KnobValues, options: ScenarioRunOptions) {
  const k = readKnobs(raw);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${UNTIL_MS_MAX}] (ms), got ${String(options.untilMs)}`);
  }
  const perRun = 16 * k.messageCount * Math.max(1, k.subscriberCount) + 1000;
  const engine = new Engine({
    seed: options.seed,
    limits: {
      eventsMax: Math.max(DEFAULT_LIMITS.eventsMax, perRun),
      traceEntriesMax: Math.max(DEFAULT_LIMITS.traceEntriesMax, perRun),
    },
  });
  const broker = new AmqpBroker(engine, { latencyMs: options.latencyMs });

  for (let i = 0; i < k.subscriberCount; i++) {
    const last = i === k.subscriberCount - 1;
    const label = PUBSUB_SUBSCRIBERS[i];
    if (last && k.lastSubscriberAtMs > 0) engine.schedule(k.lastSubscriberAtMs, () => startSubscriber(broker, k, label));
    else startSubscriber(broker, k, label);
  }

  // The publisher: declares the exchange, then publishes from PUBSUB_PUBLISH_START_MS at its rate.
  engine.schedule(PUBSUB_PUBLISH_START_MS - 2 * broker.latencyMs, () => {
    const channel = broker.openChannel(broker.connect(PUBSUB_PUBLISHER));
    broker.assertExchange(channel, PUBSUB_EXCHANGE, 'fanout', EXCHANGE_OPTIONS, () => {
      const startMs = engine.nowMs;
      let sent = 0;
      const publishNext = () => {
        sent++;
        const body = `user ${sent} signed up`;
        broker.publish(channel, PUBSUB_EXCHANGE, '', body, NO_PROPERTIES, body);
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
 * A subscriber: its own connection; declares the exchange, then its queue (an exclusive server-named one, or the
 * shared named one), binds it, and consumes with prefetch 1, acknowledging each event `processingMs` after it
 * arrives.
 */
function startSubscriber(broker: AmqpBroker, k: PubSubKnobs, label: string): void {
  const engine = broker.engine;
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
      broker.ack(channel, delivery.deliveryTag, false);
      busy = false;
      startNext();
    });
  };
  const own = k.queues === 'own';
  const queueProperties = { durable: false, exclusive: own, autoDelete: false, arguments: {} };
  broker.assertExchange(channel, PUBSUB_EXCHANGE, 'fanout', EXCHANGE_OPTIONS, () => {
    broker.assertQueue(channel, own ? '' : PUBSUB_SHARED_QUEUE, queueProperties, (error, info) => {
      if (error !== null || info === undefined) return;
      broker.bindQueue(channel, info.queue, PUBSUB_EXCHANGE, '', noop);
      broker.qos(channel, 1, false, noop);
      broker.consume(channel, info.queue, { noAck: false }, noop);
    });
  });
}

function noop(): void {}

/** The events carry no properties; one shared, frozen object. */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});

export const publishSubscribeScenario: Scenario = {
  id: 'amqp/publish-subscribe',
  broker: 'amqp',
  knobs: PUBLISH_SUBSCRIBE_KNOB_SPECS,
  faults: [],
  run: runPublishSubscribe,
};
