/**
 * Lesson 13's simulation: what a broker restart keeps. The shop publishes orders to a durable queue while the worker
 * has not started yet; the learner restarts the broker. Transient messages in the queue are gone after the restart
 * (the lost counter), persistent ones in a durable queue come back; a transient queue is gone with everything in it.
 * The shop publishes without confirms, so it never learns what was lost.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    persistent: { default: 'no' },
    durable: { default: 'yes' },
    consumersStartAtMs: { label: 'Worker starts at', min: 0, max: 20_000, default: 10_000,
      description: 'When the worker starts. Until then the orders wait in the queue.' },
    brokerDownMs: { min: 1000, max: 10_000, step: 500, default: 2000 },
  },
  fixed: { messageCount: 20, producerRatePerSec: 4, consumerCount: 1, prefetch: 1, processingMs: 200, ackMode: 'manual' },
  counters: ['published', 'delivered', 'acked', 'lost'],
  charts: [
    { title: 'Orders in the queue', series: ['depth'],
      description: 'Orders waiting in the queue. A restart empties it unless the queue is durable and the orders '
        + 'persistent.' },
  ],
  faults: ['restart-broker'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Restart now stops the broker at the '
    + 'current time; it starts again after "Broker down for", and the shop and worker connect again. The shop '
    + 'publishes without confirms. Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Publisher confirms: the shop publishes orders to a queue; a broker restart keeps or loses them',
});
