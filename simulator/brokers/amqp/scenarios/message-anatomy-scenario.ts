/**
 * Messages with properties and headers, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on a
 * message's anatomy: a shop publishes order events to the queue `invoices` through the default exchange, each with
 * a JSON body, the standard AMQP properties (content type, delivery mode, message id, correlation id, timestamp,
 * type, app id) and two custom headers; one consumer ("invoicing") takes them one at a time (prefetch 1, manual
 * acks). Every published message gets a `message-properties` trace entry, so the lesson's inspector shows its body,
 * properties and headers.
 *
 * The knobs separate what the broker reads from what only consumers read:
 * - `properties` ('full' | 'bare') adds or leaves out the properties and headers only consumers use: the run plays
 *   out identically either way (only the inspector differs), because the broker never looks at them;
 * - `expirationMs` sets the `expiration` property, which the broker does read: a message still waiting in the queue
 *   when it expires is dropped (RabbitMQ per-message TTL, expired at the head of the queue,
 *   https://www.rabbitmq.com/docs/ttl#per-message-ttl-in-publishers);
 * - `routingKey` is read by the (default) exchange: a key that names no queue leaves the message unroutable, and
 *   without the mandatory flag it is dropped (AMQP 0-9-1 basic.publish).
 *
 * Pure, synchronous and deterministic (no PRNG draws): same knobs ⇒ byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The queue the shop publishes to and the consumer reads. */
export const ANATOMY_QUEUE = 'invoices';

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

/** Seconds since the epoch of the run's t = 0 (2026-01-01T00:00:00Z), for the `timestamp` property. */
const EPOCH_SECONDS = 1_767_225_600;

export const MESSAGE_ANATOMY_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'messageCount', kind: 'number', label: 'Orders', unit: 'messages',
    description: 'How many order events the shop publishes.', min: 1, max: 200, step: 1, integer: true, default: 10,
  },
  {
    name: 'producerRatePerSec', kind: 'number', label: 'Producer rate', unit: 'msg/s',
    description: 'Order events the shop publishes per second.', min: 1, max: 50, step: 1, integer: true, default: 3,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Processing time', unit: 'ms',
    description: 'Time the invoicing consumer spends on one message.', min: 0, max: 5000, step: 50, integer: true,
    default: 500,
  },
  {
    name: 'properties', kind: 'choice', label: 'Properties and headers',
    description: 'Whether the shop sets the standard properties and its custom headers, or sends the body alone.',
    options: [
      { value: 'full', label: 'set (all of them)' },
      { value: 'bare', label: 'left out (body only)' },
    ],
    default: 'full',
  },
  {
    name: 'expirationMs', kind: 'number', label: 'Expiration', unit: 'ms',
    description: 'The expiration property: how long a message may wait in the queue before the broker drops it.',
    min: 0, max: 10_000, step: 500, integer: true, default: 0, zeroText: 'none (never expires)',
  },
  {
    name: 'routingKey', kind: 'choice', label: 'Routing key',
    description: 'The routing key the shop publishes with. The default exchange delivers to the queue of that name.',
    options: [
      { value: ANATOMY_QUEUE, label: `"${ANATOMY_QUEUE}" (the queue)` },
      { value: 'invoice', label: '"invoice" (a typo)' },
    ],
    default: ANATOMY_QUEUE,
  },
];

/** The scenario's knobs, checked. */
interface AnatomyKnobs {
  messageCount: number;
  producerRatePerSec: number;
  processingMs: number;
  properties: 'full' | 'bare';
  expirationMs: number;
  routingKey: string;
}

/** One order event: its body, and the properties and headers it is published with. */
export interface OrderEvent {
  body: string;
  /** What the broker gets (amqplib's property names; numbers as numbers). */
  properties: Record<string, unknown>;
  /** The same, as the inspector prints it (amqplib's order, values as text). */
  shown: Array<[string, string]>;
  headers: Array<[string, string]>;
}

/**
 * The `n`-th order event (1-based) published at simulated `atMs`: every fifth order is cancelled, the others are
 * created; orders alternate between the EU and the US shop.
 */
export function orderEvent(n: number, atMs: number, knobs: Pick<AnatomyKnobs, 'properties' | 'expirationMs'>): OrderEvent {
  const orderId = 1000 + n;
  const cancelled = n % 5 === 0;
  const region = n % 2 === 1 ? 'eu' : 'us';
  const currency = region === 'eu' ? 'EUR' : 'USD';
  const items = 1 + ((n * 7) % 4);
  const total = `${(items * 12.5 + (n % 3) * 4.25).toFixed(2)} ${currency}`;
  const body = cancelled
    ? JSON.stringify({ orderId, status: 'cancelled', reason: 'customer request' })
    : JSON.stringify({ orderId, status: 'created', items, total });
  const type = cancelled ? 'order.cancelled' : 'order.created';
  const properties: Record<string, unknown> = {};
  const shown: Array<[string, string]> = [];
  const set = (key: string, value: string | number) => {
    properties[key] = value;
    shown.push([key, String(value)]);
  };
  let headers: Array<[string, string]> = [];
  if (knobs.properties === 'full') {
    set('contentType', 'application/json');
    set('deliveryMode', 2);
    set('correlationId', `checkout-${7000 + n}`);
  }
  if (knobs.expirationMs > 0) set('expiration', String(knobs.expirationMs));
  if (knobs.properties === 'full') {
    set('messageId', `order-${orderId}-${cancelled ? 'cancelled' : 'created'}`);
    set('timestamp', EPOCH_SECONDS + Math.floor(atMs / 1000));
    set('type', type);
    set('appId', 'shop');
    headers = [['region', region], ['schema-version', '2']];
    properties.headers = { region, 'schema-version': 2 };
  }
  return { body, properties, shown, headers };
}

function readKnobs(raw: KnobValues): AnatomyKnobs {
  const k = checkKnobs(MESSAGE_ANATOMY_KNOB_SPECS, raw);
  return {
    messageCount: Number(k.messageCount),
    producerRatePerSec: Number(k.producerRatePerSec),
    processingMs: Number(k.processingMs),
    properties: k.properties === 'bare' ? 'bare' : 'full',
    expirationMs: Number(k.expirationMs),
    routingKey: String(k.routingKey),
  };
}

/**
 * Runs the scenario: the shop ("shop") declares the durable queue `invoices` and, once declared, publishes
 * `messageCount` order events at `producerRatePerSec` to the default exchange with routing key `routingKey`; the
 * consumer ("invoicing") consumes with prefetch 1 and acknowledges each message `processingMs` after it arrives.
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runMessageAnatomy(raw: KnobValues, options: ScenarioRunOptions) {
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

  const shop = broker.openChannel(broker.connect('shop'));
  broker.assertQueue(shop, ANATOMY_QUEUE, { durable: true, exclusive: false, autoDelete: false, arguments: {} }, () => {
    const startMs = engine.nowMs;
    let sent = 0;
    const publishNext = () => {
      sent++;
      const event = orderEvent(sent, engine.nowMs, k);
      const preview = event.body.slice(0, 40);
      broker.publish(shop, '', k.routingKey, event.body, event.properties, preview, {
        details: { body: event.body, properties: event.shown, headers: event.headers },
      });
      if (sent < k.messageCount) {
        const dueMs = startMs + Math.floor((sent * 1000) / k.producerRatePerSec);
        engine.schedule(Math.max(0, dueMs - engine.nowMs), publishNext);
      }
    };
    publishNext();
  });

  // The consumer: one message at a time, acknowledged once processed.
  const waiting: Delivery[] = [];
  let busy = false;
  const invoicing = broker.openChannel(broker.connect('invoicing'), {
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
      broker.ack(invoicing, delivery.deliveryTag, false);
      busy = false;
      startNext();
    });
  };
  broker.qos(invoicing, 1, false, noop);
  broker.consume(invoicing, ANATOMY_QUEUE, { noAck: false }, noop);

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

function noop(): void {}

export const messageAnatomyScenario: Scenario = {
  id: 'amqp/message-anatomy',
  broker: 'amqp',
  knobs: MESSAGE_ANATOMY_KNOB_SPECS,
  faults: [],
  run: runMessageAnatomy,
};
