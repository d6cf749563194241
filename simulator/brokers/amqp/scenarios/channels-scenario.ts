/**
 * Channels on one connection, as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lesson on running
 * RabbitMQ: one program ("app") opens ONE connection and on it one channel per task: a publisher channel that sends
 * `messageCount` tasks to the queue `tasks`, and `channelCount` worker channels that each consume from `tasks`
 * (prefetch 1, manual acks, `processingMs` per task).
 *
 * `probe` makes the program ask, at `probeAtMs`, whether the queue `reports` exists (queue.declare passive, amqplib's
 * `checkQueue`). It does not, so RabbitMQ closes the channel that asked with 404 NOT_FOUND
 * (https://www.rabbitmq.com/docs/channels#error-handling): a channel error closes that channel only. Its consumer is
 * gone and the task it held goes back to the queue (redelivered to another channel); the connection and its other
 * channels carry on.
 * - `probe: 'worker'`: the probe runs on worker 1's channel, which is closed with it; the program does not open it
 *   again (after a channel error every later call on that channel object fails).
 * - `probe: 'own'`: the program opens a channel just for the probe; only that channel closes.
 *
 * Timeline: channel 1 (publisher) and channels 2.. (workers) open at 0; the workers declare `tasks`, set prefetch 1
 * and consume; the publisher publishes from `CHANNELS_PUBLISH_START_MS`, one every `1000 / producerRatePerSec` ms.
 *
 * Pure, synchronous and deterministic (the only random draws are consumer tags, from the seeded PRNG).
 */
import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import { checkKnobs, type KnobSpec, type KnobValues, type Scenario, type ScenarioRunOptions } from '../../../scenario.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';

/** The work queue, and the queue the probe looks for (never declared). */
export const CHANNELS_QUEUE = 'tasks';
export const CHANNELS_MISSING_QUEUE = 'reports';
/** The program's one connection. */
export const CHANNELS_CONNECTION = 'app';
/** Simulated ms of the first task: after the workers have subscribed. */
export const CHANNELS_PUBLISH_START_MS = 1000;

/** Most simulated time one run may cover: a day. */
const UNTIL_MS_MAX = 86_400_000;

export const CHANNELS_KNOB_SPECS: readonly KnobSpec[] = [
  {
    name: 'channelCount', kind: 'number', label: 'Worker channels', unit: 'channels',
    description: 'Channels on the one connection that each consume from tasks (besides the publisher\'s channel).',
    min: 1, max: 4, step: 1, integer: true, default: 3,
  },
  {
    name: 'probe', kind: 'choice', label: 'Look for the queue reports',
    description: 'Whether the program checks for a queue that does not exist, and on which channel.',
    options: [
      { value: 'none', label: 'no' },
      { value: 'worker', label: 'on worker 1\'s channel' },
      { value: 'own', label: 'on a channel of its own' },
    ],
    default: 'none',
  },
  {
    name: 'probeAtMs', kind: 'number', label: 'Look at', unit: 'ms',
    description: 'When the program checks for the queue reports.', min: 0, max: 20_000, step: 500, integer: true, default: 2500,
  },
  {
    name: 'messageCount', kind: 'number', label: 'Tasks', unit: 'messages',
    description: 'How many tasks the publisher channel sends.', min: 1, max: 100, step: 1, integer: true, default: 20,
  },
  {
    name: 'producerRatePerSec', kind: 'number', label: 'Publish rate', unit: 'msg/s',
    description: 'Tasks published per second.', min: 1, max: 20, step: 1, integer: true, default: 5,
  },
  {
    name: 'processingMs', kind: 'number', label: 'Processing time', unit: 'ms',
    description: 'Time a worker channel spends on one task.', min: 0, max: 3000, step: 50, integer: true, default: 800,
  },
];

interface ChannelsKnobs {
  channelCount: number;
  probe: 'none' | 'worker' | 'own';
  probeAtMs: number;
  messageCount: number;
  producerRatePerSec: number;
  processingMs: number;
}

function readKnobs(raw: KnobValues): ChannelsKnobs {
  const k = checkKnobs(CHANNELS_KNOB_SPECS, raw);
  return {
    channelCount: Number(k.channelCount),
    probe: k.probe === 'worker' || k.probe === 'own' ? k.probe : 'none',
    probeAtMs: Number(k.probeAtMs),
    messageCount: Number(k.messageCount),
    producerRatePerSec: Number(k.producerRatePerSec),
    processingMs: Number(k.processingMs),
  };
}

const QUEUE_PROPERTIES = { durable: false, exclusive: false, autoDelete: false, arguments: {} };

/**
 * Runs the scenario (see the module doc).
 * @throws RangeError for a knob out of range or a bad `untilMs`.
 */
export function runChannels(raw: KnobValues, options: ScenarioRunOptions) {
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
  const connection = broker.connect(CHANNELS_CONNECTION);

  const publisher = broker.openChannel(connection);
  const workers: string[] = [];
  for (let i = 0; i < k.channelCount; i++) workers.push(startWorker(broker, connection, k));

  engine.schedule(CHANNELS_PUBLISH_START_MS, () => {
    const startMs = engine.nowMs;
    let sent = 0;
    const publishNext = () => {
      sent++;
      const body = `task ${sent}`;
      broker.publish(publisher, '', CHANNELS_QUEUE, body, NO_PROPERTIES, body);
      if (sent < k.messageCount) {
        const dueMs = startMs + Math.floor((sent * 1000) / k.producerRatePerSec);
        engine.schedule(Math.max(0, dueMs - engine.nowMs), publishNext);
      }
    };
    publishNext();
  });

  if (k.probe !== 'none') {
    engine.schedule(k.probeAtMs, () => {
      const channel = k.probe === 'worker' ? workers[0] : broker.openChannel(connection);
      broker.checkQueue(channel, CHANNELS_MISSING_QUEUE, noop);
    });
  }

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs };
}

/**
 * A worker channel on `connection`: declares `tasks`, sets prefetch 1 and consumes, acknowledging each task
 * `processingMs` after it arrives. Once the broker has closed the channel (a channel error) it stops: the program
 * would get "Channel closed" from every later call on it.
 */
function startWorker(broker: AmqpBroker, connection: string, k: ChannelsKnobs): string {
  const engine = broker.engine;
  const waiting: Delivery[] = [];
  let busy = false;
  let closed = false;
  const channel = broker.openChannel(connection, {
    onDeliver(delivery) {
      waiting.push(delivery);
      if (!busy) startNext();
    },
    onServerClose() {
      closed = true;
      waiting.length = 0;
    },
  });
  const startNext = () => {
    const delivery = waiting.shift();
    if (delivery === undefined || closed) return;
    busy = true;
    engine.schedule(k.processingMs, () => {
      busy = false;
      if (closed) return;
      broker.ack(channel, delivery.deliveryTag, false);
      startNext();
    });
  };
  broker.assertQueue(channel, CHANNELS_QUEUE, QUEUE_PROPERTIES, () => {
    broker.qos(channel, 1, false, noop);
    broker.consume(channel, CHANNELS_QUEUE, { noAck: false }, noop);
  });
  return channel;
}

function noop(): void {}

/** The tasks carry no properties; one shared, frozen object. */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});

export const channelsScenario: Scenario = {
  id: 'amqp/channels',
  broker: 'amqp',
  knobs: CHANNELS_KNOB_SPECS,
  faults: [],
  run: runChannels,
};
