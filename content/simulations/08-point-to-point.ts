/**
 * Lesson 8's simulation: one queue shared by competing workers, one of them slower than the others (worker 1). The
 * prefetch knob shows the broker's two ways of sharing the work: with no limit it deals the messages out in turn
 * as they arrive (an even split, whatever each worker's speed); with a small prefetch each worker holds only a few,
 * and new messages go to whoever has room. Crashing a worker shows redelivery changing the order of the work.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    consumerCount: { min: 1, max: 4, default: 2 },
    slowWorkerMs: { label: 'Worker 1 takes', max: 3000, default: 1500,
      description: 'Time the slow worker (worker 1) spends on one message.' },
    processingMs: { label: 'The others take', min: 100, max: 2000, step: 100, default: 300,
      description: 'Time every other worker spends on one message.' },
    prefetch: { min: 0, max: 10, default: 0 },
    messageCount: { min: 1, max: 60, default: 20 },
    producerRatePerSec: { min: 1, max: 50, default: 20 },
  },
  fixed: { ackMode: 'manual', processingJitterMs: 0 },
  counters: ['published', 'delivered', 'acked', 'redelivered'],
  charts: [
    { title: 'Waiting and held messages', series: ['depth', 'unacked'],
      description: 'Messages waiting in the queue, and messages delivered to a worker and not yet acknowledged. With no '
        + 'prefetch limit nothing waits in the queue: the workers hold everything.' },
  ],
  faults: ['crash-worker', 'restart-worker'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Each worker handles one message at a '
    + 'time and acknowledges it when done. Crash now kills a worker at the current time; Restart now starts it '
    + 'again. Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Point-to-point: a producer, the tasks queue and competing workers, worker 1 slower than the others',
});
