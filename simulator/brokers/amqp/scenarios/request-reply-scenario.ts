/**
 * Request-reply over RabbitMQ, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on request-reply:
 * a client (connection "shop") asks a price service for prices; one to three servers ("pricer 1" …) share the
 * request queue `price-requests` and answer each request on the address the request names in `replyTo`, with the
 * request's `correlationId` (https://www.rabbitmq.com/docs/direct-reply-to, AMQP 0-9-1 basic properties
 * `reply-to` / `correlation-id`).
 *
 * - `replyQueue: 'direct'`: the client consumes the pseudo-queue `amq.rabbitmq.reply-to` (no-ack) before it sends
 *   anything, and sends each request with `replyTo: 'amq.rabbitmq.reply-to'`; the broker rewrites that to the
 *   channel's reply address, and a reply published to it goes straight to the client (no queue holds it).
 * - `replyQueue: 'exclusive'`: the client declares an exclusive, server-named queue (`amq.gen-…`), consumes it
 *   (no-ack) and names it in `replyTo`; replies wait in that queue like any message.
 * - Request 1 takes `slowRequestMs` to answer, the others `processingMs`: with two servers or more, the replies to
 *   the later requests overtake it, so replies come back in another order than the requests went out, and only the
 *   correlation id says which request a reply answers.
 *
 * Timeline (latency L = 100 ms one way): the servers declare the queue, set prefetch 1 and consume (ready after two
 * round trips); the client sets up its reply consumer and sends its first request at `REQUESTS_START_MS`, then one
 * every `REQUEST_GAP_MS`. Request i carries `correlationId` `r<i>`; its reply carries the same. A server
 * acknowledges a request once it has published its reply.
 *
 * Pure, synchronous and deterministic (the only random draws are the broker's names: consumer tags, the reply key,
 * the server-named queue): same knobs and seed ⇒ byte-identical trace.
 */
import { Engine } from '../../../core/engine.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';
import { REPLY_TO_QUEUE } from '../model/reply-to.ts';

/** The queue the servers read requests from. */
export const RPC_QUEUE = 'price-requests';
/** Connection label of the client. */
export const RPC_CLIENT = 'shop';
/** Connection labels of the servers, in order (the knob takes the first N). */
export const RPC_SERVERS: readonly string[] = ['pricer 1', 'pricer 2', 'pricer 3'];
/** Simulated ms of the first request: after the servers and the client's reply consumer are ready. */
export const REQUESTS_START_MS = 1000;
/** Simulated ms between two requests. */
export const REQUEST_GAP_MS = 200;

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

export const REQUEST_REPLY_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'replyQueue', kind: 'choice', label: 'Reply queue',
    description: 'Where the servers send their replies: direct reply-to (no queue), or an exclusive queue the client declared.',
    options: [
      { value: 'direct', label: 'direct reply-to (amq.rabbitmq.reply-to)' },
      { value: 'exclusive', label: 'an exclusive server-named queue' },
    ],
    default: 'direct',
  },
  {
    name: 'requestCount', kind: 'number', label: 'Requests', unit: 'requests',
    description: 'How many price requests the shop sends, 200 ms apart.', min: 1, max: 10, step: 1, integer: true,
    default: 4,
  },
  {
    name: 'serverCount', kind: 'number', label: 'Servers', unit: 'servers',
    description: 'Servers reading the request queue; each handles one request at a time.', min: 1,
    max: RPC_SERVERS.length, step: 1, integer: true, default: 2,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Time per request', unit: 'ms',
    description: 'Time a server takes to answer a request (all but the first).', min: 0, max: 3000, step: 50,
    integer: true, default: 300,
  },
  {
    name: 'slowRequestMs', kind: 'number', label: 'Time for request 1', unit: 'ms',
    description: 'Time a server takes to answer the first request: a big one.', min: 0, max: 5000, step: 100,
    integer: true, default: 1500,
  },
];

interface RequestReplyKnobs {
  replyQueue: 'direct' | 'exclusive';
  requestCount: number;
  serverCount: number;
  processingMs: number;
  slowRequestMs: number;
}

function readKnobs(raw: KnobValues): RequestReplyKnobs {
  const k = checkKnobs(REQUEST_REPLY_KNOB_SPECS, raw);
  return {
    replyQueue: k.replyQueue === 'exclusive' ? 'exclusive' : 'direct',
    requestCount: Number(k.requestCount),
    serverCount: Number(k.serverCount),
    processingMs: Number(k.processingMs),
    slowRequestMs: Number(k.slowRequestMs),
  };
}

const QUEUE_PROPERTIES = { durable: false, exclusive: false, autoDelete: false, arguments: {} };

/**
 * Runs the scenario (see the module doc).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runRequestReply(raw: KnobValues, options: ScenarioRunOptions) {
  const k = readKnobs(raw);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${UNTIL_MS_MAX}] (ms), got ${String(options.untilMs)}`);
  }
  const engine = new Engine({ seed: options.seed });
  const broker = new AmqpBroker(engine, { latencyMs: options.latencyMs });

  for (let i = 0; i < k.serverCount; i++) startServer(broker, k, RPC_SERVERS[i]);
  startClient(broker, k);

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

/** Request number of a request's body (`price of item 3?` → 3). */
function requestNumber(delivery: Delivery): number {
  const match = /(\d+)/.exec(String(delivery.content));
  return match === null ? 0 : Number(match[1]);
}

/**
 * A server: declares the request queue, takes one request at a time (prefetch 1, manual acks), and after the
 * request's processing time publishes the reply to the default exchange with the request's `replyTo` as routing
 * key and its `correlationId`, then acknowledges the request.
 */
function startServer(broker: AmqpBroker, k: RequestReplyKnobs, label: string): void {
  const engine = broker.engine;
  const channel = broker.openChannel(broker.connect(label), {
    onDeliver(delivery) {
      const n = requestNumber(delivery);
      engine.schedule(n === 1 ? k.slowRequestMs : k.processingMs, () => {
        const replyTo = String(delivery.properties.replyTo);
        const correlationId = String(delivery.properties.correlationId);
        const body = `item ${n} costs ${(9.5 + n).toFixed(2)}`;
        broker.publish(channel, '', replyTo, body, { correlationId }, `reply ${correlationId}: ${body}`, {
          details: { body, properties: [['correlationId', correlationId]], headers: [] },
        });
        broker.ack(channel, delivery.deliveryTag, false);
      });
    },
  });
  broker.assertQueue(channel, RPC_QUEUE, QUEUE_PROPERTIES, noop);
  broker.qos(channel, 1, false, noop);
  broker.consume(channel, RPC_QUEUE, { noAck: false }, noop);
}

/**
 * The client: its reply consumer first (direct reply-to, or an exclusive server-named queue), then the requests,
 * each with `replyTo` and a fresh `correlationId`.
 */
function startClient(broker: AmqpBroker, k: RequestReplyKnobs): void {
  const engine = broker.engine;
  const channel = broker.openChannel(broker.connect(RPC_CLIENT), { onDeliver: noop });
  const sendRequests = (replyTo: string) => {
    engine.schedule(Math.max(0, REQUESTS_START_MS - engine.nowMs), () => {
      let sent = 0;
      const sendNext = () => {
        sent++;
        const correlationId = `r${sent}`;
        const body = `price of item ${sent}?`;
        broker.publish(channel, '', RPC_QUEUE, body, { replyTo, correlationId }, `request ${correlationId}: ${body}`, {
          details: { body, properties: [['replyTo', replyTo], ['correlationId', correlationId]], headers: [] },
        });
        if (sent < k.requestCount) engine.schedule(REQUEST_GAP_MS, sendNext);
      };
      sendNext();
    });
  };
  if (k.replyQueue === 'direct') {
    broker.consume(channel, REPLY_TO_QUEUE, { noAck: true }, () => sendRequests(REPLY_TO_QUEUE));
  } else {
    broker.assertQueue(channel, '', { ...QUEUE_PROPERTIES, exclusive: true }, (error, info) => {
      if (error !== null || info === undefined) return;
      broker.consume(channel, info.queue, { noAck: true }, () => sendRequests(info.queue));
    });
  }
}

function noop(): void {}

export const requestReplyScenario: Scenario = {
  id: 'amqp/request-reply',
  broker: 'amqp',
  knobs: REQUEST_REPLY_KNOB_SPECS,
  faults: [],
  run: runRequestReply,
};
