/**
 * Lesson 3's simulation: decoupling in time. The shop (the producer) publishes its orders at a steady pace whatever
 * the workers do; the workers start late, crash and restart, and the queue holds the orders meanwhile. The depth
 * chart shows the orders piling up while no worker runs and draining once workers come; the published counter
 * climbs the same way in every run.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    consumersStartAtMs: { min: 0, max: 20_000, default: 6000,
      description: 'When the workers start. Until then no consumer exists; the shop publishes all the same.' },
    consumerCount: { min: 0, max: 6, default: 3,
      description: 'Workers consuming from the queue. The shop does not know how many there are, or whether any.' },
    producerRatePerSec: { label: 'Orders per second', min: 1, max: 20, default: 4,
      description: 'How fast the shop places orders. It publishes each one to the queue and goes on.' },
    messageCount: { label: 'Orders', min: 1, max: 60, default: 30, description: 'How many orders the shop places in all.' },
    processingMs: { label: 'Packing time', min: 100, max: 2000, default: 400,
      description: 'Time a worker needs to pack one order.' },
  },
  fixed: { prefetch: 1, ackMode: 'manual' },
  counters: ['published', 'delivered', 'acked', 'redelivered'],
  charts: [
    { title: 'Orders in the queue', series: ['depth', 'unacked'],
      description: 'Orders waiting in the queue for a worker, and orders a worker is packing. The queue fills while '
        + 'no worker runs and drains when workers come.' },
  ],
  faults: ['crash-worker', 'restart-worker'],
  seed: 1,
  latencyMs: 100,
  note: 'The producer is the shop; the workers pack its orders. Changing a knob re-runs the simulation from t = 0 '
    + 'with the same seed. Crash now kills the chosen worker at the current time; Restart now starts a crashed worker '
    + 'again, as a new process. Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Decoupling: the shop publishes orders to the tasks queue whether or not any worker is running',
});
