import { Engine } from '../../../core/engine.ts';
import { DEFAULT_LIMITS } from '../../../core/limits.ts';
import type { Prng } from '../../../core/prng.ts';
import type { TraceLog } from '../../../core/trace-log.ts';
import { AmqpBroker } from '../model/broker.ts';
import type { Delivery } from '../model/channel.ts';
import {
  consumerState, initialConsumerSnapshot, nextConsumerSnapshot, type ConsumerEvent, type ConsumerSnapshot,
} from './consumer-machine.ts';
import { validateWorkQueueKnobs, type WorkQueueKnobs } from './work-queue-knobs.ts';

export {
  WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES, WORK_QUEUE_CRASHES_MAX, validateWorkQueueKnobs,
  type WorkQueueKnobs, type WorkQueueCrash, type KnobRange,
} from './work-queue-knobs.ts';

/** Name of the queue the scenario's producer and workers share. */
export const WORK_QUEUE_NAME = 'tasks';

/** Options of `runWorkQueue`. */
export interface WorkQueueRunOptions {
  /** PRNG seed (any finite number): same seed + knobs ⇒ identical trace. */
  seed: number;
  /** Simulated time in ms to stop at (events after it are not run). Must be in [0, 86400000]. */
  untilMs: number;
  /** One-way network latency in ms (default 10, see AmqpBroker). */
  latencyMs?: number;
}

/**
 * A finished run: the trace (the engine's dense `TraceLog`, a `TraceReader`; `toArray()` gives a `TraceEvent[]`),
 * and the time of its last event (or `untilMs` if work was still pending).
 */
export interface WorkQueueRun {
  trace: TraceLog;
  endedAtMs: number;
  /** Engine events the run processed (for benchmarks). */
  eventsProcessed: number;
}

/** Most simulated time one run may cover: a day. */
export const WORK_QUEUE_UNTIL_MS_MAX = 86_400_000;

/**
 * Runs the first lesson's work queue: one producer publishing `messageCount` messages to the durable queue
 * `tasks` at `producerRatePerSec` (steadily, or in bursts of `burstSize` every `burstEveryMs`) through the default
 * exchange, and `consumerCount` workers (connecting at `consumersStartAtMs`) consuming from it
 * (manual acks with basic.qos `prefetch`, or noAck), each processing one message at a time for `processingMs`
 * (worker 1 for `slowWorkerMs` when that is set; ± jitter drawn from the seeded PRNG). Crashed workers drop their
 * connection: with manual acks their unacked messages are redelivered to the others; with auto ack the messages
 * they held are lost, and their ids are listed in the `consumer-crashed` entry's `lostMsgIds` (https://www.rabbitmq.com/docs/confirms#acknowledgement-modes).
 *
 * Synchronous and promise-free (it drives `AmqpBroker` callbacks directly), so large runs stay fast. Connections
 * are labelled "producer" and "worker 1" … "worker N".
 * @throws RangeError for an invalid knob or option (naming it and its range); SimulationLimitError if the run
 *   crosses an engine limit.
 */
export function runWorkQueue(knobs: WorkQueueKnobs, options: WorkQueueRunOptions): WorkQueueRun {
  const k = validateWorkQueueKnobs(knobs);
  if (!Number.isInteger(options.untilMs) || options.untilMs < 0 || options.untilMs > WORK_QUEUE_UNTIL_MS_MAX) {
    throw new RangeError(`untilMs must be an integer in [0, ${WORK_QUEUE_UNTIL_MS_MAX}] (ms), got ` +
      `${String(options.untilMs)}`);
  }
  // A message costs at most ~6 engine events and ~6 trace entries (publish, enqueue, deliver, ack, and a requeue
  // and redelivery after a crash); scale the limits so the knob ranges fit.
  const perRun = 16 * k.messageCount + 1000;
  const engine = new Engine({
    seed: options.seed,
    limits: {
      eventsMax: Math.max(DEFAULT_LIMITS.eventsMax, perRun),
      traceEntriesMax: Math.max(DEFAULT_LIMITS.traceEntriesMax, perRun),
      messagesInFlightMax: Math.max(DEFAULT_LIMITS.messagesInFlightMax, k.messageCount + 1),
    },
  });
  const broker = new AmqpBroker(engine, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const rng = engine.rng.fork();

  const queueProperties = { durable: k.durable, exclusive: false, autoDelete: false, arguments: {} };
  const messageProperties = k.persistent ? PERSISTENT : NO_PROPERTIES;
  // The producer publishes once its queue.declare returned (one round trip), like `await ch.assertQueue(...)`.
  // When the broker closes its connection (a restart), it connects again (RECONNECT_DELAY_MS later, again and again
  // while connections are refused), declares the queue again and goes on with the messages not yet sent.
  let sent = 0;
  let startMs = -1;
  let producerChannel = '';
  let connected = false;
  let stalled = false;
  /** When message n (0-based) is due: steadily at the rate, or in bursts (see WorkQueueKnobs.burstSize). */
  const dueAtMs = (n: number) => (k.burstSize > 0
    ? startMs + Math.floor(n / k.burstSize) * k.burstEveryMs + Math.floor(((n % k.burstSize) * 1000) / k.producerRatePerSec)
    : startMs + Math.floor((n * 1000) / k.producerRatePerSec));
  const publishNext = () => {
    if (!connected) {
      stalled = true;
      return;
    }
    sent++;
    const body = `task ${sent}`;
    broker.publish(producerChannel, '', WORK_QUEUE_NAME, body, messageProperties, body);
    if (sent < k.messageCount) engine.schedule(Math.max(0, dueAtMs(sent) - engine.nowMs), publishNext);
  };
  const connectProducer = () => {
    const connection = broker.connect('producer', {
      onServerClose: () => {
        connected = false;
        engine.schedule(RECONNECT_DELAY_MS, connectProducer);
      },
      onOpenFailed: () => engine.schedule(RECONNECT_DELAY_MS, connectProducer),
    });
    producerChannel = broker.openChannel(connection);
    broker.assertQueue(producerChannel, WORK_QUEUE_NAME, queueProperties, () => {
      connected = true;
      if (k.messageCount === 0) return;
      if (startMs < 0) {
        startMs = engine.nowMs;
        publishNext();
      } else if (stalled && sent < k.messageCount) {
        stalled = false;
        publishNext();
      }
    });
  };
  connectProducer();
  for (const atMs of k.brokerRestarts) broker.restart({ inMs: atMs, downMs: k.brokerDownMs });
  // Workers connect after the producer, so their basic.consume reaches the broker after the queue.declare.
  const workers: Worker[] = [];
  const startWorkers = () => {
    for (let i = 1; i <= k.consumerCount; i++) workers.push(startWorker(broker, rng, k, i));
  };
  if (k.consumersStartAtMs === 0) startWorkers();
  else engine.schedule(k.consumersStartAtMs, startWorkers);
  for (const crash of k.crashes) {
    engine.schedule(crash.atMs, () => workers[crash.consumer - 1]?.crash());
  }
  // A restarted worker is a new process: a new connection and consumer, with the same name.
  for (const restart of k.restarts) {
    engine.schedule(restart.atMs, () => {
      const old = workers[restart.consumer - 1];
      if (old === undefined || !old.crashed) return;
      workers[restart.consumer - 1] = startWorker(broker, rng, k, restart.consumer);
    });
  }

  engine.runThrough(options.untilMs);
  const endedAtMs = engine.hasPending ? options.untilMs : engine.nowMs;
  return { trace: engine.trace, endedAtMs, eventsProcessed: engine.eventsProcessed };
}

interface Worker {
  crash(): void;
  readonly crashed: boolean;
}

/** A worker: its own connection and channel, a local buffer of deliveries, and the xstate lifecycle. */
function startWorker(broker: AmqpBroker, rng: Prng, k: Required<WorkQueueKnobs>, n: number): Worker {
  const engine = broker.engine;
  const manual = k.ackMode === 'manual';
  /** Time per message: worker 1 may be the slow one (`slowWorkerMs`). */
  const baseMs = n === 1 && k.slowWorkerMs > 0 ? k.slowWorkerMs : k.processingMs;
  let snapshot: ConsumerSnapshot = initialConsumerSnapshot();
  /** The delivery being processed, and the highest delivery tag that reached this worker. */
  let current: Delivery | undefined;
  let lastReceivedTag = 0;
  /** Deliveries waiting in `buffer[bufferHead, bufferTail)`; the array is kept when it empties (no allocation per
   * message when the worker keeps up). */
  const buffer: (Delivery | undefined)[] = [];
  let bufferHead = 0;
  let bufferTail = 0;
  let timer: number | undefined;

  const startNext = () => {
    if (bufferHead >= bufferTail) return;
    const delivery = buffer[bufferHead] as Delivery;
    buffer[bufferHead++] = undefined;
    if (bufferHead === bufferTail) {
      bufferHead = 0;
      bufferTail = 0;
      if (buffer.length > 1024) buffer.length = 0;
    }
    snapshot = nextConsumerSnapshot(snapshot, START);
    current = delivery;
    const jitter = k.processingJitterMs;
    const durationMs = Math.max(0, baseMs + (jitter > 0 ? rng.int(-jitter, jitter) : 0));
    timer = engine.schedule(durationMs, finish);
  };
  /** The current message is processed: ack it (manual mode) and take the next one. One function per worker. */
  const finish = () => {
    const delivery = current as Delivery;
    timer = undefined;
    current = undefined;
    if (manual) broker.ack(channel, delivery.deliveryTag, false);
    snapshot = nextConsumerSnapshot(snapshot, DONE);
    startNext();
  };

  const onDeliver = (delivery: Delivery) => {
    if (consumerState(snapshot) === 'crashed') return;
    lastReceivedTag = delivery.deliveryTag;
    if (bufferTail < buffer.length) buffer[bufferTail] = delivery;
    else buffer.push(delivery);
    bufferTail++;
    if (consumerState(snapshot) === 'idle') startNext();
  };
  /**
   * The broker closed the connection (a restart): what the worker was doing is gone with it (the broker requeued
   * its unacked messages), and it connects again RECONNECT_DELAY_MS later, as a resilient client does.
   */
  const onServerClose = () => {
    if (consumerState(snapshot) === 'crashed') return;
    if (timer !== undefined) engine.cancel(timer);
    timer = undefined;
    current = undefined;
    buffer.length = 0;
    bufferHead = 0;
    bufferTail = 0;
    snapshot = initialConsumerSnapshot();
    engine.schedule(RECONNECT_DELAY_MS, reconnect);
  };
  const listener = {
    onServerClose,
    onOpenFailed: () => {
      if (consumerState(snapshot) !== 'crashed') engine.schedule(RECONNECT_DELAY_MS, reconnect);
    },
  };
  let connection = broker.connect(`worker ${n}`, listener);
  let channel = broker.openChannel(connection, { onDeliver });
  if (manual && k.prefetch > 0) broker.qos(channel, k.prefetch, false, noop);
  broker.consume(channel, WORK_QUEUE_NAME, { noAck: !manual }, noop);
  /** After a restart the worker declares the queue itself before consuming (it may be a new, empty one). */
  function reconnect(): void {
    if (consumerState(snapshot) === 'crashed') return;
    connection = broker.connect(`worker ${n}`, listener);
    channel = broker.openChannel(connection, { onDeliver });
    broker.assertQueue(channel, WORK_QUEUE_NAME, { durable: k.durable, exclusive: false, autoDelete: false, arguments: {} }, noop);
    if (manual && k.prefetch > 0) broker.qos(channel, k.prefetch, false, noop);
    broker.consume(channel, WORK_QUEUE_NAME, { noAck: !manual }, noop);
  }

  /**
   * With noAck the broker settled every delivery when it sent it, so a crash loses what this worker held: the one
   * being processed, the buffered ones, and those still on the wire to it (delivered by the broker, not arrived:
   * `delivered` entries of this channel with a tag above the last one received, all recorded within the last
   * `latencyMs`). In delivery-tag order.
   */
  const heldNoAck = (): string[] => {
    const lost: string[] = [];
    if (current !== undefined) lost.push(`m${current.msgNum}`);
    for (let i = bufferHead; i < bufferTail; i++) lost.push(`m${(buffer[i] as Delivery).msgNum}`);
    const trace = engine.trace;
    const onWire: string[] = [];
    for (let i = trace.length - 1; i >= 0 && trace.timeAt(i) >= engine.nowMs - broker.latencyMs; i--) {
      if (trace.kindAt(i) !== 'delivered') continue;
      const e = trace.at(i);
      if (e?.kind === 'delivered' && e.channel === channel && e.deliveryTag > lastReceivedTag) onWire.push(e.msgId);
    }
    for (let i = onWire.length - 1; i >= 0; i--) lost.push(onWire[i]);
    return lost;
  };

  return {
    get crashed() {
      return consumerState(snapshot) === 'crashed';
    },
    crash() {
      if (consumerState(snapshot) === 'crashed') return;
      snapshot = nextConsumerSnapshot(snapshot, CRASH);
      if (timer !== undefined) engine.cancel(timer);
      const lost = manual ? [] : heldNoAck();
      current = undefined;
      buffer.length = 0;
      bufferHead = 0;
      bufferTail = 0;
      broker.dropConnection(connection, lost.length > 0 ? new Map([[channel, lost]]) : undefined);
    },
  };
}

function noop(): void {}

/** The machine's events, allocated once (the machine reads only `type`). */
const START: ConsumerEvent = { type: 'START' };
const DONE: ConsumerEvent = { type: 'DONE' };
const CRASH: ConsumerEvent = { type: 'CRASH' };

/** The scenario's messages carry no properties; one shared, frozen object (nothing reads or changes it). */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});
/** Persistent messages (deliveryMode 2: https://www.rabbitmq.com/docs/persistence-conf). */
const PERSISTENT: Record<string, unknown> = Object.freeze({ deliveryMode: 2 });
/** How long a client waits before connecting again after the broker closed its connection or refused it (ms). */
export const RECONNECT_DELAY_MS = 1_000;
