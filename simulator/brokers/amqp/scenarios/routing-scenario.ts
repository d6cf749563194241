/**
 * Routing with a topic (or direct) exchange, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on
 * choosing receivers: an application ("app") publishes nine log messages to the exchange `logs`, one for each
 * routing key `<severity>.<service>` (severities info, warn, error; services auth, billing, web), and three consumers
 * each read a named queue bound to `logs` with the binding key their knob picks: "alerts", "billing team" and
 * "archive".
 *
 * - A topic exchange matches a routing key against a binding key word by word (words are separated by dots): `*`
 *   stands for exactly one word, `#` for zero or more (https://www.rabbitmq.com/docs/exchanges#topic).
 * - A direct exchange compares the routing key with the binding key as plain strings: `error.*` then only matches
 *   the key `error.*` itself, so the pattern bindings get nothing.
 * - A queue whose binding matches no key gets nothing; a message no binding matches is dropped (unroutable,
 *   AMQP 0-9-1 basic.publish without `mandatory`). Binding key `none` leaves the queue unbound.
 *
 * Timeline: the consumers declare the exchange, their queue, bind it and consume (done by 0.5 s); the app declares
 * the exchange and publishes its first message at `ROUTING_PUBLISH_START_MS`, then one every 500 ms, in the order
 * of `ROUTING_KEYS`. Each consumer takes `processingMs` per message (prefetch 1, manual acks).
 *
 * Pure, synchronous and deterministic (the only random draws are consumer tags): same knobs and seed ⇒
 * byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The exchange the app publishes to. */
export const ROUTING_EXCHANGE = 'logs';
/** Connection label of the publisher. */
export const ROUTING_PUBLISHER = 'app';
/** The routing keys of the nine messages, in publish order: every severity with every service once. */
export const ROUTING_KEYS: readonly string[] = [
  'info.auth', 'warn.billing', 'error.web', 'info.billing', 'error.auth', 'warn.web', 'info.web', 'warn.auth',
  'error.billing',
];
/** Simulated ms of the first message: after the consumers are bound. */
export const ROUTING_PUBLISH_START_MS = 1000;
/** Simulated ms between two messages. */
export const ROUTING_GAP_MS = 500;
/** The consumers: knob name, connection label and queue, in order. */
export const ROUTING_CONSUMERS = [
  { knob: 'alertsKey', label: 'alerts', queue: 'alerts' },
  { knob: 'billingKey', label: 'billing team', queue: 'billing-team' },
  { knob: 'archiveKey', label: 'archive', queue: 'archive' },
] as const;

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

const keyOptions = (keys: readonly string[]) => keys.map((value) => ({ value, label: value === 'none' ? 'no binding' : value }));

export const ROUTING_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'exchangeType', kind: 'choice', label: 'Exchange type',
    description: 'How the exchange logs compares routing keys with binding keys.',
    options: [{ value: 'topic', label: 'topic (patterns)' }, { value: 'direct', label: 'direct (exact match)' }],
    default: 'topic',
  },
  {
    name: 'alertsKey', kind: 'choice', label: 'alerts binds',
    description: 'The binding key of the queue alerts.',
    options: keyOptions(['error.*', '*.error', 'error.#', 'error.billing', 'none']), default: 'error.*',
  },
  {
    name: 'billingKey', kind: 'choice', label: 'billing team binds',
    description: 'The binding key of the queue billing-team.',
    options: keyOptions(['*.billing', 'billing', 'billing.*', '#.billing', 'none']), default: '*.billing',
  },
  {
    name: 'archiveKey', kind: 'choice', label: 'archive binds',
    description: 'The binding key of the queue archive.',
    options: keyOptions(['#', '*', '*.*', 'none']), default: '#',
  },
  {
    name: 'processingMs', kind: 'number', label: 'Processing time', unit: 'ms',
    description: 'Time a consumer spends on one message.', min: 0, max: 2000, step: 50, integer: true, default: 200,
  },
];

interface RoutingKnobs {
  exchangeType: 'topic' | 'direct';
  keys: Record<string, string>;
  processingMs: number;
}

function readKnobs(raw: KnobValues): RoutingKnobs {
  const k = checkKnobs(ROUTING_KNOB_SPECS, raw);
  return {
    exchangeType: k.exchangeType === 'direct' ? 'direct' : 'topic',
    keys: Object.fromEntries(ROUTING_CONSUMERS.map((c) => [c.knob, String(k[c.knob])])),
    processingMs: Number(k.processingMs),
  };
}

const EXCHANGE_OPTIONS = { durable: false, autoDelete: false, internal: false };
const QUEUE_PROPERTIES = { durable: false, exclusive: false, autoDelete: false, arguments: {} };

/**
 * Runs the scenario (see the module doc).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runRouting(raw: KnobValues, options: ScenarioRunOptions) {
  const k = readKnobs(raw);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${UNTIL_MS_MAX}] (ms), got ${String(options.untilMs)}`);
  }
  const engine = new Engine({ seed: options.seed });
  const broker = new AmqpBroker(engine, { latencyMs: options.latencyMs });

  for (const consumer of ROUTING_CONSUMERS) startConsumer(broker, k, consumer.label, consumer.queue, k.keys[consumer.knob]);

  engine.schedule(ROUTING_PUBLISH_START_MS - 2 * broker.latencyMs, () => {
    const channel = broker.openChannel(broker.connect(ROUTING_PUBLISHER));
    broker.assertExchange(channel, ROUTING_EXCHANGE, k.exchangeType, EXCHANGE_OPTIONS, () => {
      let sent = 0;
      const publishNext = () => {
        const key = ROUTING_KEYS[sent++];
        const body = `${key.split('.')[0]} from ${key.split('.')[1]}`;
        broker.publish(channel, ROUTING_EXCHANGE, key, body, NO_PROPERTIES, body);
        if (sent < ROUTING_KEYS.length) engine.schedule(ROUTING_GAP_MS, publishNext);
      };
      publishNext();
    });
  });

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

/**
 * A consumer: declares the exchange and its named queue, binds the queue with `bindingKey` (unless 'none'), and
 * consumes with prefetch 1, acknowledging each message `processingMs` after it arrives.
 */
function startConsumer(broker: AmqpBroker, k: RoutingKnobs, label: string, queue: string, bindingKey: string): void {
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
  broker.assertExchange(channel, ROUTING_EXCHANGE, k.exchangeType, EXCHANGE_OPTIONS, noop);
  broker.assertQueue(channel, queue, QUEUE_PROPERTIES, noop);
  if (bindingKey !== 'none') broker.bindQueue(channel, queue, ROUTING_EXCHANGE, bindingKey, noop);
  broker.qos(channel, 1, false, noop);
  broker.consume(channel, queue, { noAck: false }, noop);
}

function noop(): void {}

/** The messages carry no properties; one shared, frozen object. */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});

export const routingScenario: Scenario = {
  id: 'amqp/routing',
  broker: 'amqp',
  knobs: ROUTING_KNOB_SPECS,
  faults: [],
  run: runRouting,
};
