/**
 * Knobs of the first lesson's work-queue scenario: their defaults, allowed ranges (for validation and for building
 * the UI's sliders) and `validateWorkQueueKnobs`, which rejects absurd values with a RangeError that names the
 * knob and its range.
 */

/** A consumer crash: worker `consumer` (1-based) loses its connection at simulated time `atMs`. */
export interface WorkQueueCrash {
  consumer: number;
  atMs: number;
}

/** The scenario's inputs. */
export interface WorkQueueKnobs {
  /** Messages the producer publishes per simulated second. */
  producerRatePerSec: number;
  /** Total messages the producer publishes (then it stops). */
  messageCount: number;
  /** Number of workers consuming from the queue. */
  consumerCount: number;
  /** basic.qos prefetch per worker (0 = unlimited). Ignored by RabbitMQ when ackMode is 'auto'. */
  prefetch: number;
  /** Simulated ms a worker spends on one message. */
  processingMs: number;
  /** Processing time varies uniformly within ± this many ms (default 0). */
  processingJitterMs?: number;
  /**
   * Simulated ms worker 1 spends on one message instead of `processingMs` (default 0: the same as the others): a
   * slow worker among fast ones, for fairness and prefetch (jitter applies to it too).
   */
  slowWorkerMs?: number;
  /** 'manual': workers ack after processing; 'auto': noAck consumers, the broker forgets a message once sent. */
  ackMode: 'manual' | 'auto';
  /** Workers that crash and when. */
  crashes: WorkQueueCrash[];
  /** Crashed workers that start again (a new process: a new connection and consumer) and when. */
  restarts?: WorkQueueCrash[];
  /**
   * Messages per burst; 0 (default) publishes steadily at `producerRatePerSec`. With bursts, each burst publishes
   * `burstSize` messages at `producerRatePerSec`, and a new burst starts every `burstEveryMs`.
   */
  burstSize?: number;
  /** Simulated ms from the start of one burst to the start of the next (default 10 s). */
  burstEveryMs?: number;
  /** Simulated ms at which the workers start (connect and consume); default 0, with the producer. */
  consumersStartAtMs?: number;
  /** Whether the queue is declared durable (default true): a durable queue survives a broker restart. */
  durable?: boolean;
  /**
   * Whether messages are published persistent (deliveryMode 2; default false): in a durable queue a persistent
   * message survives a broker restart, a transient one does not.
   */
  persistent?: boolean;
  /** When the broker restarts (simulated ms); each time it is down for `brokerDownMs`. */
  brokerRestarts?: number[];
  /** How long a broker restart keeps it down (simulated ms, default 3 s). */
  brokerDownMs?: number;
}

/** Allowed range of a numeric knob; `slider` is the range a UI slider should offer by default. */
export interface KnobRange {
  min: number;
  max: number;
  /** True if the value must be a whole number. */
  integer: boolean;
  unit: string;
  label: string;
  description: string;
  slider: { min: number; max: number; step: number };
}

/** Defaults shown when the lesson loads. */
export const WORK_QUEUE_DEFAULTS: Readonly<Required<WorkQueueKnobs>> = Object.freeze({
  producerRatePerSec: 5,
  messageCount: 20,
  consumerCount: 2,
  prefetch: 1,
  processingMs: 600,
  processingJitterMs: 0,
  slowWorkerMs: 0,
  ackMode: 'manual',
  crashes: [],
  restarts: [],
  burstSize: 0,
  burstEveryMs: 10_000,
  consumersStartAtMs: 0,
  durable: true,
  persistent: false,
  brokerRestarts: [],
  brokerDownMs: 3_000,
});

/** Ranges of the numeric knobs. Values outside them are rejected by `validateWorkQueueKnobs`. */
export const WORK_QUEUE_KNOB_RANGES = Object.freeze({
  producerRatePerSec: {
    min: 0.1, max: 100_000, integer: false, unit: 'msg/s', label: 'Producer rate',
    description: 'Messages the producer publishes per second.', slider: { min: 1, max: 50, step: 1 },
  },
  messageCount: {
    min: 0, max: 1_000_000, integer: true, unit: 'messages', label: 'Messages',
    description: 'How many messages the producer publishes in total.', slider: { min: 1, max: 200, step: 1 },
  },
  consumerCount: {
    min: 0, max: 100, integer: true, unit: 'workers', label: 'Workers',
    description: 'Consumers sharing the queue (round-robin).', slider: { min: 0, max: 8, step: 1 },
  },
  prefetch: {
    min: 0, max: 10_000, integer: true, unit: 'messages', label: 'Prefetch',
    description: 'Unacknowledged messages each worker may hold (0 = unlimited).', slider: { min: 0, max: 20, step: 1 },
  },
  processingMs: {
    min: 0, max: 3_600_000, integer: true, unit: 'ms', label: 'Processing time',
    description: 'Time a worker spends on one message.', slider: { min: 0, max: 5000, step: 50 },
  },
  processingJitterMs: {
    min: 0, max: 3_600_000, integer: true, unit: 'ms', label: 'Processing jitter',
    description: 'Processing time varies by up to ± this much.', slider: { min: 0, max: 2000, step: 50 },
  },
  slowWorkerMs: {
    min: 0, max: 3_600_000, integer: true, unit: 'ms', label: 'Worker 1 takes',
    description: 'Time worker 1 spends on one message, when it is slower than the others (0 = the same as them).',
    slider: { min: 0, max: 5000, step: 100 },
  },
  crashAtMs: {
    min: 0, max: 86_400_000, integer: true, unit: 'ms', label: 'Crash time',
    description: 'When a worker crashes.', slider: { min: 0, max: 30_000, step: 100 },
  },
  burstSize: {
    min: 0, max: 1_000_000, integer: true, unit: 'messages', label: 'Burst size',
    description: 'Messages the producer sends in each burst (0 = a steady stream).', slider: { min: 0, max: 100, step: 1 },
  },
  burstEveryMs: {
    min: 100, max: 86_400_000, integer: true, unit: 'ms', label: 'Time between bursts',
    description: 'From the start of one burst to the start of the next.', slider: { min: 1000, max: 60_000, step: 500 },
  },
  consumersStartAtMs: {
    min: 0, max: 86_400_000, integer: true, unit: 'ms', label: 'Workers start at',
    description: 'When the workers start; until then messages wait in the queue.', slider: { min: 0, max: 30_000, step: 500 },
  },
  brokerDownMs: {
    min: 0, max: 3_600_000, integer: true, unit: 'ms', label: 'Broker down for',
    description: 'How long a broker restart takes.', slider: { min: 500, max: 20_000, step: 500 },
  },
} satisfies Record<string, KnobRange>);

/** Most crashes one run may schedule. */
export const WORK_QUEUE_CRASHES_MAX = 100;

type NumericKnob = keyof typeof WORK_QUEUE_KNOB_RANGES;

/** A rejected value as text for an error message; never throws (`String({ toString: 1 })` would). */
function shown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function checkNumber(name: string, rangeName: NumericKnob, value: unknown): number {
  const r: KnobRange = WORK_QUEUE_KNOB_RANGES[rangeName];
  const kind = r.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < r.min || value > r.max ||
    (r.integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${kind} in [${r.min}, ${r.max}] (${r.unit}), got ${shown(value)}`);
  }
  return value;
}

/**
 * Checks every knob and returns a complete copy (defaults filled in for optional ones).
 * @throws RangeError naming the knob and its allowed range, e.g.
 *   `prefetch must be an integer in [0, 10000] (messages), got 1000000000`.
 */
export function validateWorkQueueKnobs(knobs: WorkQueueKnobs): Required<WorkQueueKnobs> {
  const producerRatePerSec = checkNumber('producerRatePerSec', 'producerRatePerSec', knobs.producerRatePerSec);
  const messageCount = checkNumber('messageCount', 'messageCount', knobs.messageCount);
  const consumerCount = checkNumber('consumerCount', 'consumerCount', knobs.consumerCount);
  const prefetch = checkNumber('prefetch', 'prefetch', knobs.prefetch);
  const processingMs = checkNumber('processingMs', 'processingMs', knobs.processingMs);
  const processingJitterMs = checkNumber('processingJitterMs', 'processingJitterMs', knobs.processingJitterMs ?? 0);
  const slowWorkerMs = checkNumber('slowWorkerMs', 'slowWorkerMs', knobs.slowWorkerMs ?? 0);
  if (knobs.ackMode !== 'manual' && knobs.ackMode !== 'auto') {
    throw new RangeError(`ackMode must be 'manual' or 'auto', got ${shown(knobs.ackMode)}`);
  }
  if (!Array.isArray(knobs.crashes) || knobs.crashes.length > WORK_QUEUE_CRASHES_MAX) {
    throw new RangeError(`crashes must be an array of at most ${WORK_QUEUE_CRASHES_MAX} entries`);
  }
  const burstSize = checkNumber('burstSize', 'burstSize', knobs.burstSize ?? 0);
  const burstEveryMs = checkNumber('burstEveryMs', 'burstEveryMs', knobs.burstEveryMs ?? WORK_QUEUE_DEFAULTS.burstEveryMs);
  const consumersStartAtMs = checkNumber('consumersStartAtMs', 'consumersStartAtMs', knobs.consumersStartAtMs ?? 0);
  const restarts = checkCrashes('restarts', knobs.restarts ?? [], consumerCount);
  const crashes = checkCrashes('crashes', knobs.crashes, consumerCount);
  const durable = checkBoolean('durable', knobs.durable ?? true);
  const persistent = checkBoolean('persistent', knobs.persistent ?? false);
  const brokerDownMs = checkNumber('brokerDownMs', 'brokerDownMs', knobs.brokerDownMs ?? WORK_QUEUE_DEFAULTS.brokerDownMs);
  const restartsOf = knobs.brokerRestarts ?? [];
  if (!Array.isArray(restartsOf) || restartsOf.length > WORK_QUEUE_CRASHES_MAX) {
    throw new RangeError(`brokerRestarts must be an array of at most ${WORK_QUEUE_CRASHES_MAX} times`);
  }
  const brokerRestarts = restartsOf.map((t, i) => checkNumber(`brokerRestarts[${i}]`, 'crashAtMs', t));
  return {
    producerRatePerSec, messageCount, consumerCount, prefetch, processingMs, processingJitterMs, slowWorkerMs,
    ackMode: knobs.ackMode, crashes, restarts, burstSize, burstEveryMs, consumersStartAtMs, durable, persistent,
    brokerRestarts, brokerDownMs,
  };
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new RangeError(`${name} must be true or false, got ${shown(value)}`);
  return value;
}

/** Checks a list of `{ consumer, atMs }` (crashes or restarts). @throws RangeError naming the entry. */
function checkCrashes(name: string, list: unknown, consumerCount: number): WorkQueueCrash[] {
  if (!Array.isArray(list) || list.length > WORK_QUEUE_CRASHES_MAX) {
    throw new RangeError(`${name} must be an array of at most ${WORK_QUEUE_CRASHES_MAX} entries`);
  }
  return list.map((c: unknown, i) => {
    if (typeof c !== 'object' || c === null) {
      throw new RangeError(`${name}[${i}] must be an object { consumer, atMs }, got ${shown(c)}`);
    }
    const crash = c as Partial<Record<keyof WorkQueueCrash, unknown>>;
    if (typeof crash.consumer !== 'number' || !Number.isInteger(crash.consumer) || crash.consumer < 1 ||
      crash.consumer > consumerCount) {
      throw new RangeError(`${name}[${i}].consumer must be an integer in [1, ${consumerCount}] (the worker ` +
        `number, 1-based), got ${shown(crash.consumer)}`);
    }
    return { consumer: crash.consumer, atMs: checkNumber(`${name}[${i}].atMs`, 'crashAtMs', crash.atMs) };
  });
}
