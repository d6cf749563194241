/**
 * The work queue as a knob-driven `Scenario` (`simulator/scenario.ts`) for the lessons' simulation component: the
 * knobs of `runWorkQueue` as specs (names, labels, units, the model's allowed ranges and defaults), and crashing a
 * worker as a fault. A lesson narrows the ranges it offers (`content/simulations/*.ts`).
 */
import type { Fault, KnobSpec, KnobValues, Scenario, ScenarioRunOptions } from '../../../scenario.ts';
import { runWorkQueue, WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES } from './work-queue.ts';

type NumericName = 'producerRatePerSec' | 'messageCount' | 'consumerCount' | 'prefetch' | 'processingMs'
  | 'processingJitterMs' | 'slowWorkerMs' | 'burstSize' | 'burstEveryMs' | 'consumersStartAtMs' | 'brokerDownMs';

function numberKnob(name: NumericName, step: number, zeroText?: string): KnobSpec {
  const r = WORK_QUEUE_KNOB_RANGES[name];
  return {
    name, kind: 'number', label: r.label, unit: r.unit, description: r.description, min: r.min, max: r.max, step,
    integer: r.integer, default: WORK_QUEUE_DEFAULTS[name], ...(zeroText === undefined ? {} : { zeroText }),
  };
}

export const WORK_QUEUE_KNOB_SPECS: readonly KnobSpec[] = [
  numberKnob('producerRatePerSec', 1),
  numberKnob('messageCount', 1),
  numberKnob('consumerCount', 1),
  numberKnob('prefetch', 1, 'unlimited'),
  numberKnob('processingMs', 50),
  numberKnob('processingJitterMs', 50),
  numberKnob('slowWorkerMs', 100, 'as fast as the others'),
  numberKnob('burstSize', 1, 'no bursts (steady)'),
  numberKnob('burstEveryMs', 500),
  numberKnob('consumersStartAtMs', 500),
  numberKnob('brokerDownMs', 500),
  {
    name: 'durable', kind: 'choice', label: 'Queue',
    description: 'A durable queue is kept when the broker restarts; a transient one is deleted with everything in it.',
    options: [{ value: 'yes', label: 'durable' }, { value: 'no', label: 'transient (not durable)' }],
    default: 'yes',
  },
  {
    name: 'persistent', kind: 'choice', label: 'Messages',
    description: 'A persistent message (deliveryMode 2) in a durable queue survives a broker restart; a transient one does not.',
    options: [{ value: 'no', label: 'transient' }, { value: 'yes', label: 'persistent' }],
    default: 'no',
  },
  {
    name: 'ackMode', kind: 'choice', label: 'Acknowledgement',
    description: 'When the broker may forget a message: after the worker acknowledges it, or the moment it sends it.',
    options: [{ value: 'manual', label: 'manual (ack after work)' }, { value: 'auto', label: 'automatic (on delivery)' }],
    default: 'manual',
  },
];

/** Workers 1 … N for the crash picker. */
function workers(knobs: KnobValues): Array<{ value: string; label: string }> {
  const n = Number(knobs.consumerCount ?? 0);
  return Array.from({ length: Number.isInteger(n) && n > 0 ? Math.min(n, 100) : 0 }, (_, i) => ({
    value: String(i + 1), label: `worker ${i + 1}`,
  }));
}

export const workQueueScenario: Scenario = {
  id: 'amqp/work-queue',
  broker: 'amqp',
  knobs: WORK_QUEUE_KNOB_SPECS,
  faults: [{
    id: 'crash-worker',
    label: 'Crash a worker',
    verb: 'Crash now',
    description: 'The worker\'s process dies at the current time: its connection drops, and the broker requeues '
      + 'what it had not acknowledged (with manual acks) or loses it (with automatic acks).',
    targets: workers,
    repeatable: false,
  }, {
    id: 'restart-worker',
    label: 'Restart a worker',
    verb: 'Restart now',
    description: 'A crashed worker starts again as a new process: it connects, subscribes and takes messages again.',
    targets: workers,
    repeatable: true,
  }, {
    id: 'restart-broker',
    label: 'Restart the broker',
    verb: 'Restart now',
    description: 'The broker stops at the current time and starts again after "Broker down for": every connection is '
      + 'closed, the clients connect again; durable queues and their persistent messages are kept, the rest is gone.',
    targets: () => [{ value: 'broker', label: 'the broker' }],
    repeatable: true,
  }],
  run(knobs: KnobValues, options: ScenarioRunOptions) {
    const workersOf = (id: string) => options.faults
      .filter((f: Fault) => f.id === id)
      .map((f) => ({ consumer: Number(f.target), atMs: f.atMs }))
      .filter((c) => c.consumer >= 1 && c.consumer <= Number(knobs.consumerCount));
    const run = runWorkQueue({
      producerRatePerSec: Number(knobs.producerRatePerSec),
      messageCount: Number(knobs.messageCount),
      consumerCount: Number(knobs.consumerCount),
      prefetch: Number(knobs.prefetch),
      processingMs: Number(knobs.processingMs),
      processingJitterMs: Number(knobs.processingJitterMs ?? 0),
      slowWorkerMs: Number(knobs.slowWorkerMs ?? 0),
      ackMode: knobs.ackMode === 'auto' ? 'auto' : 'manual',
      crashes: workersOf('crash-worker'),
      restarts: workersOf('restart-worker'),
      burstSize: Number(knobs.burstSize ?? 0),
      burstEveryMs: Number(knobs.burstEveryMs ?? WORK_QUEUE_DEFAULTS.burstEveryMs),
      consumersStartAtMs: Number(knobs.consumersStartAtMs ?? 0),
      durable: knobs.durable !== 'no',
      persistent: knobs.persistent === 'yes',
      brokerRestarts: options.faults.filter((f) => f.id === 'restart-broker').map((f) => f.atMs),
      brokerDownMs: Number(knobs.brokerDownMs ?? WORK_QUEUE_DEFAULTS.brokerDownMs),
    }, { seed: options.seed, untilMs: options.untilMs, latencyMs: options.latencyMs });
    return { trace: run.trace, endedAtMs: run.endedAtMs };
  },
};
